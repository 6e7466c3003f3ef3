/**
 * The four tfjs backends: registering them only when needed (each backend package is a dynamic import, so
 * a device downloads only the code of the backends it starts), switching between initialised ones, and
 * their labels.
 */
import * as tf from './tf.ts';
import { withTimeout } from '../timeout.ts';
import { BACKEND_TITLES, type BackendName } from './backend-names.ts';
import { ADAPTER_TRIES, requestAdapterWithRetry } from './detect.ts';
import { MAX_WASM_THREADS } from './backend-policy.ts';

let wasmThreadsWanted: number | null = null;

/**
 * Sets the WASM backend's thread count for this worker; call before WASM starts (the pool is made once).
 * tfjs 4.22 passes `setThreadsCount` to its binary, which ignores it (tensorflow/tfjs#8513): the binary sizes
 * its pool as navigator.hardwareConcurrency / 2, capped at 4. So the compute worker, which runs nothing else,
 * shows the binary 2 × `threads` as its core count before the module starts.
 */
export function setWasmThreads(threads: number): void {
  if (!Number.isInteger(threads) || threads < 1 || threads > MAX_WASM_THREADS) {
    throw new Error(`WASM threads must be a whole number from 1 to ${MAX_WASM_THREADS}`);
  }
  if (registering.has('wasm'))
    throw new Error('WASM has started in this worker; its thread count is fixed');
  wasmThreadsWanted = threads;
}

const registering = new Map<BackendName, Promise<void>>();

async function register(name: BackendName): Promise<void> {
  if (name === 'webgpu') {
    // tfjs takes one null adapter as final; ask until the GPU answers (see requestAdapterWithRetry).
    const gpu = (globalThis.navigator as { gpu?: { requestAdapter(): Promise<unknown> } }).gpu;
    if (gpu && !(await requestAdapterWithRetry(() => gpu.requestAdapter()))) {
      throw new Error(`no WebGPU adapter (asked ${ADAPTER_TRIES} times)`);
    }
    await import('@tensorflow/tfjs-backend-webgpu');
  } else if (name === 'webgl') {
    await import('@tensorflow/tfjs-backend-webgl');
  } else if (name === 'cpu') {
    await import('@tensorflow/tfjs-backend-cpu');
  } else {
    const [wasm, { WASM_PATHS }] = await Promise.all([
      import('@tensorflow/tfjs-backend-wasm'),
      import('./wasm-paths.ts'),
    ]);
    wasm.setWasmPaths(WASM_PATHS);
    // Threads need cross-origin isolation; without a request the binary's default (half the cores) stays.
    if (globalThis.crossOriginIsolated && wasmThreadsWanted !== null) {
      Object.defineProperty(globalThis.navigator, 'hardwareConcurrency', {
        value: 2 * wasmThreadsWanted,
        configurable: true,
      });
      wasm.setThreadsCount(wasmThreadsWanted);
    }
  }
}

/** Loads the backend's package once. */
export function ensureRegistered(name: BackendName): Promise<void> {
  let p = registering.get(name);
  if (!p) {
    p = register(name);
    registering.set(name, p);
    p.catch(() => registering.delete(name));
  }
  return p;
}

/** How long a backend may take to start before the app gives up on it (a WASM thread that fails to load never answers). */
export const INIT_TIMEOUT_MS = 15_000;

/** Initialises `name` and makes it the active backend; throws with the reason when it cannot start. */
export async function activate(name: BackendName): Promise<void> {
  const start = async () => {
    await ensureRegistered(name);
    if (!(await tf.setBackend(name))) throw new Error(`${BACKEND_TITLES[name]} did not initialise`);
    await tf.ready();
  };
  await withTimeout(
    start(),
    INIT_TIMEOUT_MS,
    `${BACKEND_TITLES[name]} did not start within ${INIT_TIMEOUT_MS / 1000} s`,
  );
}

/** True once `name` has been initialised in this page. */
export function isInitialised(name: BackendName): boolean {
  return (tf.engine().registry as Record<string, unknown>)[name] != null;
}

/**
 * Makes an already-initialised backend active at once (synchronously), so a prediction dispatched right after
 * runs on it even while other async work is in flight.
 */
export function switchTo(name: BackendName): void {
  if (!isInitialised(name)) throw new Error(`${BACKEND_TITLES[name]} is not initialised`);
  if (tf.getBackend() !== name) void tf.setBackend(name);
  if (tf.getBackend() !== name) throw new Error(`could not switch to ${BACKEND_TITLES[name]}`);
}

/** The badge text, e.g. "WASM · SIMD · threaded build · 2 threads": the thread count XNNPACK really uses. */
export async function backendLabel(name: BackendName): Promise<string> {
  if (name !== 'wasm') return BACKEND_TITLES[name];
  const wasm = await import('@tensorflow/tfjs-backend-wasm');
  const simd = await tf.env().getAsync('WASM_HAS_SIMD_SUPPORT');
  const threaded = await tf.env().getAsync('WASM_HAS_MULTITHREAD_SUPPORT');
  const n = wasm.getThreadsCount();
  return [
    'WASM',
    simd ? 'SIMD' : 'no SIMD',
    threaded ? 'threaded build' : 'single-threaded build',
    `${n} thread${n === 1 ? '' : 's'}`,
  ].join(' · ');
}
