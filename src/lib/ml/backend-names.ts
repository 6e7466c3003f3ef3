/** The tfjs backends the app knows, by name; no tfjs here, so the page can use them without loading it. */

/** The backends the app knows. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

export const ALL_BACKENDS: readonly BackendName[] = ['webgpu', 'webgl', 'wasm', 'cpu'];

/** Names shown to people. */
export const BACKEND_TITLES: Record<BackendName, string> = {
  webgpu: 'WebGPU',
  webgl: 'WebGL',
  wasm: 'WASM',
  cpu: 'CPU',
};

/** Whether `s` names a backend. */
export const isBackend = (s: unknown): s is BackendName =>
  (ALL_BACKENDS as readonly unknown[]).includes(s);
