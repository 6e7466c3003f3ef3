/**
 * Asks a short-lived worker what WebGL this browser offers (webgl-probe.worker.ts), so that the page's main
 * thread never creates a WebGL context: the first one takes tens of milliseconds, more on a phone.
 */
import type { BackendSupport } from './detect.ts';
import type { WebGlProbeApi } from './webgl-probe.worker.ts';
import { connect, type Bridge } from '../worker-bridge.ts';
import { ms } from '../format.ts';
import { errorMessage } from '../errors.ts';

/** WebGL's support and the GPU renderer it reports ('' when none). */
export type WebGlSupport = BackendSupport & { renderer: string };

/** How long the probe may take, worker start-up included, before WebGL counts as unavailable. */
export const WEBGL_PROBE_TIMEOUT_MS = 15_000;

/** A new probe worker. */
function spawnProbe(): Worker {
  return new Worker(new URL('./webgl-probe.worker.ts', import.meta.url), {
    type: 'module',
    name: 'webgl-probe',
  });
}

/** WebGL's support, read in a worker; never throws (a probe that fails says why, as unavailable). */
export async function probeWebGl(
  spawn: () => Worker = spawnProbe,
  timeoutMs = WEBGL_PROBE_TIMEOUT_MS,
): Promise<WebGlSupport> {
  let bridge: Bridge<WebGlProbeApi> | undefined;
  try {
    bridge = connect<WebGlProbeApi>(spawn(), { signal: AbortSignal.timeout(timeoutMs) });
    return await bridge.api.readWebGl();
  } catch (err) {
    const why =
      err instanceof Error && err.name === 'TimeoutError'
        ? `no answer within ${ms(timeoutMs)}`
        : errorMessage(err);
    return { available: false, detail: `WebGL probe failed: ${why}`, renderer: '' };
  } finally {
    bridge?.terminate();
  }
}
