/**
 * A short-lived worker that reads what WebGL this browser offers: creating a first WebGL context is slow
 * (the GPU process sets it up), so the page never does it. It answers where tfjs runs too, in a worker on an
 * OffscreenCanvas. The page terminates it after one answer (webgl-probe.ts).
 */
/// <reference lib="webworker" />
import type { BackendSupport } from './detect.ts';
import { expose } from '../worker-bridge.ts';
import { errorMessage } from '../errors.ts';

/** WebGL's version and renderer, from a 1×1 context that is released again at once. */
function readWebGl(): BackendSupport & { renderer: string } {
  try {
    if (typeof OffscreenCanvas === 'undefined')
      return { available: false, detail: 'no OffscreenCanvas in workers', renderer: '' };
    const canvas = new OffscreenCanvas(1, 1);
    let version = 2;
    let gl: WebGLRenderingContext | WebGL2RenderingContext | null = canvas.getContext('webgl2');
    if (!gl) {
      version = 1;
      gl = canvas.getContext('webgl');
    }
    if (!gl) return { available: false, detail: 'no WebGL context', renderer: '' };
    const debug = gl.getExtension('WEBGL_debug_renderer_info');
    const renderer = String(
      gl.getParameter(debug ? debug.UNMASKED_RENDERER_WEBGL : gl.RENDERER) ?? '',
    );
    gl.getExtension('WEBGL_lose_context')?.loseContext();
    return {
      available: true,
      detail: `WebGL ${version}${renderer ? ` · ${renderer}` : ''}`,
      renderer,
    };
  } catch (err) {
    return { available: false, detail: `WebGL failed: ${errorMessage(err)}`, renderer: '' };
  }
}

const api = { readWebGl };

/** What the page may ask this worker. */
export type WebGlProbeApi = typeof api;

expose(api, self as unknown as DedicatedWorkerGlobalScope);
