/**
 * Noticing that the active backend's GPU is gone. tfjs does not: after a WebGL context loss (a GPU reset, a
 * GPU-process crash) reading a result waits forever, so these helpers turn that into an error. A lost WebGPU
 * device makes tfjs fail at once, but with a message about buffer mapping; `explainGpuFailure` says what
 * happened instead. (Predictions are not raced against the device's `lost` promise: that would pile up
 * reactions on a promise that normally never settles. It is consulted once, after a failure.)
 */
import * as tf from './tf.ts';

interface GpuBackend {
  gpgpu?: { gl?: WebGLRenderingContext };
  device?: { lost: Promise<{ reason?: string; message?: string }> };
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

/**
 * `err`, or an error saying the WebGPU device was lost (and why) when that is what made the active backend
 * fail. Waits at most `waitMs` for the device to report the loss, which may come just after the failure.
 */
export async function explainGpuFailure(err: unknown, waitMs = 250): Promise<unknown> {
  // Only a WebGPU backend that is up: asking tfjs for the backend otherwise could start one.
  const backend =
    tf.getBackend() === 'webgpu'
      ? (tf.engine().registry as Record<string, GpuBackend | undefined>).webgpu
      : undefined;
  const device = backend?.device;
  if (!device) return err;
  let timer: ReturnType<typeof setTimeout> | undefined;
  const info = await Promise.race([
    device.lost,
    new Promise<null>((r) => (timer = setTimeout(() => r(null), waitMs))),
  ]);
  clearTimeout(timer);
  if (!info) return err;
  const why = [info.reason && info.reason !== 'unknown' ? info.reason : '', info.message ?? '']
    .filter(Boolean)
    .join(': ');
  return new Error(`the WebGPU device was lost${why ? ` (${why})` : ''}`);
}
