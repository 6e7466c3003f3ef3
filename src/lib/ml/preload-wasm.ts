/**
 * Starts downloading the WASM binary this page will use while the rest of the app's code is still being
 * evaluated, so that the WASM backend's start-up does not wait for it. Imported first by main.ts; no tfjs here.
 */
import { WASM_PATHS } from './wasm-paths.ts';

/** The binary tfjs-backend-wasm will pick: threaded SIMD when isolated, SIMD otherwise (nearly every browser). */
export function likelyWasmBinary(isolated: boolean): string {
  return isolated
    ? WASM_PATHS['tfjs-backend-wasm-threaded-simd.wasm']
    : WASM_PATHS['tfjs-backend-wasm-simd.wasm'];
}

if (typeof document !== 'undefined') {
  const link = Object.assign(document.createElement('link'), {
    rel: 'preload',
    as: 'fetch',
    type: 'application/wasm',
    crossOrigin: 'anonymous',
    href: likelyWasmBinary(globalThis.crossOriginIsolated === true),
  });
  document.head.append(link);
}
