/**
 * Backend start-up. Until the measured choice exists, the app starts on WASM (the fastest backend for this
 * small model on devices without a real GPU) and falls back along WebGL, then CPU.
 */
import * as tf from '@tensorflow/tfjs';
import { getThreadsCount, setThreadsCount, setWasmPaths } from '@tensorflow/tfjs-backend-wasm';
import { WASM_PATHS } from './wasm-paths.ts';

/** The backends the app knows. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** The order tried at start-up. */
export const STARTUP_ORDER: BackendName[] = ['wasm', 'webgl', 'cpu'];

/** What the badge shows about the backend in use. */
export interface BackendInfo {
  name: BackendName;
  /** e.g. "WASM · SIMD · 2 threads" */
  label: string;
  /** Backends that failed to start, with the reason. */
  failures: string[];
}

setWasmPaths(WASM_PATHS);
// tfjs defaults to half the cores (1 on a 2-core device); use them all, up to 4, when threads are possible.
if (globalThis.crossOriginIsolated) setThreadsCount(Math.min(4, Math.max(1, globalThis.navigator?.hardwareConcurrency ?? 1)));

async function describe(name: BackendName): Promise<string> {
  if (name !== 'wasm') return name.toUpperCase();
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threads = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  return ['WASM', simd ? 'SIMD' : 'no SIMD', threads ? `multithreaded (${getThreadsCount()})` : 'single-threaded'].join(' · ');
}

/** Starts the first backend of `order` that initialises; the others are only tried if it fails. */
export async function startBackend(order: BackendName[] = STARTUP_ORDER): Promise<BackendInfo> {
  const failures: string[] = [];
  for (const name of order) {
    try {
      if (await tf.setBackend(name)) {
        await tf.ready();
        return { name, label: await describe(name), failures };
      }
      failures.push(`${name}: did not initialise`);
    } catch (err) {
      failures.push(`${name}: ${err instanceof Error ? err.message : String(err)}`);
    }
  }
  throw new Error(`No backend could start (${failures.join('; ')})`);
}
