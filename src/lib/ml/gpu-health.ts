/**
 * Noticing that the active backend's WebGL context is gone. tfjs does not: after a context loss (a GPU reset,
 * a GPU-process crash) reading a result waits forever. These helpers turn that into an error. (A lost WebGPU
 * device is left to the callers' timeouts: racing every prediction against the device's `lost` promise would
 * pile up reactions on a promise that normally never settles.)
 */
import * as tf from './tf.ts';

interface GpuBackend {
  gpgpu?: { gl?: WebGLRenderingContext };
}

const active = () => tf.backend() as GpuBackend;

/** Throws when the active backend's WebGL context has been lost. */
export function assertContext(): void {
  if (active().gpgpu?.gl?.isContextLost()) throw new Error('the WebGL context was lost');
}

/** `p`, or a rejection as soon as the active backend's WebGL context is lost (polled); elsewhere just `p`. */
export function unlessGpuLost<T>(p: Promise<T>, intervalMs = 100): Promise<T> {
  const gl = active().gpgpu?.gl;
  if (!gl) return p;
  let timer: ReturnType<typeof setInterval> | undefined;
  const watch = new Promise<never>((_, reject) => {
    timer = setInterval(() => {
      if (gl.isContextLost()) reject(new Error('the WebGL context was lost'));
    }, intervalMs);
  });
  return Promise.race([p, watch]).finally(() => clearInterval(timer));
}
