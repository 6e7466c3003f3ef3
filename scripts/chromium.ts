/** The Chromium the tests and benchmarks drive, and its flags; shared by Playwright's config and the scripts. */
import { existsSync } from 'node:fs';

/** Chromium to drive: $CHROMIUM_PATH, else Debian's /usr/bin/chromium, else Playwright's own download. */
export function chromiumPath(): string | undefined {
  if (process.env.CHROMIUM_PATH) return process.env.CHROMIUM_PATH;
  if (existsSync('/usr/bin/chromium')) return '/usr/bin/chromium';
  return undefined;
}

/** Flags for a quiet, offline-safe Chromium. */
const QUIET = [
  '--no-sandbox',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
  '--no-first-run',
];

/** WebGPU on SwiftShader (software), so every backend can be tested on a machine without a GPU. */
const SOFTWARE_GPU = [
  '--enable-unsafe-webgpu',
  '--enable-features=Vulkan,WebGPU',
  '--use-webgpu-adapter=swiftshader',
];

/** The machine's real GPU through ANGLE on Vulkan (worked headless on an NVIDIA H100). */
const REAL_GPU = [
  '--use-gl=angle',
  '--use-angle=vulkan',
  '--enable-features=Vulkan,WebGPU',
  '--disable-vulkan-surface',
  '--ignore-gpu-blocklist',
  '--enable-unsafe-webgpu',
];

/**
 * A device without a GPU (hardware acceleration off, no software fallback): no WebGPU and no WebGL, in
 * workers too, so the app has WASM and the CPU only. Specs about offline use, deploys and storage run here.
 */
export const NO_GPU_ARGS = [...QUIET, '--disable-gpu', '--disable-software-rasterizer'];

/** The flags tests and benchmarks launch Chromium with: `GPU=real` uses the machine's GPU, else SwiftShader. */
export const CHROMIUM_ARGS = [...QUIET, ...(process.env.GPU === 'real' ? REAL_GPU : SOFTWARE_GPU)];
