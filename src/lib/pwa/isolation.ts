/**
 * The headers that make a page cross-origin isolated (SharedArrayBuffer, so WASM threads). One home for the
 * service worker (which adds them on hosts that send none, like GitHub Pages), `vite preview` / the dev server
 * and the test server. CORP lets the isolated page load the app's own files.
 */
export const ISOLATION_HEADERS: Readonly<Record<string, string>> = {
  'Cross-Origin-Opener-Policy': 'same-origin',
  'Cross-Origin-Embedder-Policy': 'require-corp',
  'Cross-Origin-Resource-Policy': 'same-origin',
};
