/**
 * What this browser offers, found without initialising any tfjs backend (so nothing is left half set up):
 * a WebGPU adapter, a WebGL context (made in a short-lived worker and released again at once, webgl-probe.ts),
 * WASM SIMD and threads.
 */
import type { BackendName } from './backend-names.ts';
import { withTimeout } from '../timeout.ts';
import { errorMessage } from '../errors.ts';
import { probeWebGl } from './webgl-probe.ts';

export interface BackendSupport {
  available: boolean;
  /** e.g. "WebGL 2 · ANGLE (Google, Vulkan 1.3.0 (SwiftShader Device))"; why not, when unavailable. */
  detail: string;
}

export interface Capabilities {
  backends: Record<BackendName, BackendSupport>;
  /** GPU renderer or adapter description, '' when none is exposed. */
  gpu: string;
  wasmSimd: boolean;
  /** SharedArrayBuffer and cross-origin isolation, which WASM threads need. */
  wasmThreads: boolean;
  isolated: boolean;
}

/** The smallest module using a SIMD instruction (i8x16.splat); validates only where SIMD is supported. */
const SIMD_PROBE = new Uint8Array([
  0, 97, 115, 109, 1, 0, 0, 0, 1, 5, 1, 96, 0, 1, 123, 3, 2, 1, 0, 10, 10, 1, 8, 0, 65, 0, 253, 15,
  253, 98, 11,
]);

interface GpuAdapterLike {
  info?: { vendor?: string; architecture?: string; description?: string; device?: string };
}
interface GpuLike {
  requestAdapter(): Promise<GpuAdapterLike | null>;
}

/**
 * How often, and how far apart, a null adapter is asked for again: right after a browser starts, the first
 * `requestAdapter()` can return null ("A valid external Instance reference no longer exists") while the next
 * one returns the GPU (seen 6 of 6 times on an NVIDIA H100).
 */
export const ADAPTER_TRIES = 4;
export const ADAPTER_RETRY_MS = 250;
/**
 * How long one request may take before WebGPU counts as unavailable (a broken driver may never answer).
 * Generous: on a busy 2-core machine, SwiftShader's adapter once took over 3 s, the budget before, and a
 * working backend was reported as failed.
 */
export const ADAPTER_TIMEOUT_MS = 15_000;

/** A WebGPU adapter, asked for up to `tries` times; null only when every try said null. */
export async function requestAdapterWithRetry<A>(
  request: () => Promise<A | null>,
  tries = ADAPTER_TRIES,
  pauseMs = ADAPTER_RETRY_MS,
  timeoutMs = ADAPTER_TIMEOUT_MS,
): Promise<A | null> {
  for (let i = 1; ; i++) {
    const adapter = await withTimeout(request(), timeoutMs, 'WebGPU adapter request timed out');
    if (adapter || i >= tries) return adapter;
    await new Promise((resolve) => setTimeout(resolve, pauseMs));
  }
}

async function detectWebGpu(): Promise<BackendSupport> {
  const gpu = (globalThis.navigator as { gpu?: GpuLike } | undefined)?.gpu;
  if (!gpu) return { available: false, detail: 'this browser has no WebGPU (navigator.gpu)' };
  try {
    const adapter = await requestAdapterWithRetry(() => gpu.requestAdapter());
    if (!adapter)
      return { available: false, detail: `no WebGPU adapter (asked ${ADAPTER_TRIES} times)` };
    const info = adapter.info ?? {};
    const name = [info.vendor, info.architecture, info.description || info.device]
      .filter(Boolean)
      .join(' ');
    return { available: true, detail: name || 'adapter present' };
  } catch (err) {
    return { available: false, detail: `WebGPU adapter request failed: ${errorMessage(err)}` };
  }
}

/** Probes every backend; one failing never hides the others. */
export async function detectCapabilities(): Promise<Capabilities> {
  // WebGL is read in a worker (a first context is slow to make); WebGPU's adapter is asked on the page.
  const [webgl, webgpu] = await Promise.all([probeWebGl(), detectWebGpu()]);
  const hasWasm = typeof WebAssembly === 'object' && typeof WebAssembly.instantiate === 'function';
  const wasmSimd = hasWasm && WebAssembly.validate(SIMD_PROBE);
  const isolated = globalThis.crossOriginIsolated === true;
  const wasmThreads = hasWasm && isolated && typeof SharedArrayBuffer === 'function';
  const wasmDetail = hasWasm
    ? [
        wasmSimd ? 'SIMD' : 'no SIMD',
        wasmThreads
          ? 'threads'
          : isolated
            ? 'no threads'
            : 'no threads (page not cross-origin isolated)',
      ].join(' · ')
    : 'this browser has no WebAssembly';
  return {
    backends: {
      webgpu,
      webgl,
      wasm: { available: hasWasm, detail: wasmDetail },
      cpu: { available: true, detail: 'plain JavaScript' },
    },
    gpu: webgl.renderer || (webgpu.available ? webgpu.detail : ''),
    wasmSimd,
    wasmThreads,
    isolated,
  };
}

let detected: Promise<Capabilities> | null = null;

/**
 * What this browser offers, probed once per page (the recognizer and the benchmark share the answer);
 * `fresh` probes again (a GPU that was missing may be there now).
 */
export function capabilities(fresh = false): Promise<Capabilities> {
  if (fresh || !detected) detected = detectCapabilities();
  return detected;
}
