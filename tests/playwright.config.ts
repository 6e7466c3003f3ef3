import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, NO_GPU_ARGS, chromiumPath } from '../scripts/chromium.ts';
import { RETURNING_USER } from './e2e/returning-user.ts';

/** Specs about what happens on a first visit: they start from an empty browser. */
const FIRST_VISIT = ['backend-selection', 'backend-choice', 'privacy'].map(
  (name) => `${name}.spec.ts`,
);
/**
 * Specs about offline use, deploys and storage (first visits too, some on servers of their own): they do not
 * involve GPU backends, so they run on a device without a GPU (see NO_GPU_ARGS), where a first visit measures
 * WASM and the CPU only instead of WebGPU and WebGL on SwiftShader.
 */
const NO_GPU = ['offline', 'deploy', 'storage-faults', 'no-service-worker'].map(
  (name) => `${name}.spec.ts`,
);
const SETUP = 'first-visit.setup.ts';
const DESKTOP = { ...devices['Desktop Chrome'], viewport: { width: 1000, height: 800 } };

/** Where `vite preview` serves the build for the tests (E2E_PORT lets two checkouts test at once). */
const PORT = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: './e2e',
  outputDir: '../test-results',
  // A safety net, not a speed goal: first visits measure backends in the background (on SwiftShader here).
  timeout: 120_000,
  expect: { timeout: 15_000 },
  // Tests share nothing (each has its own browser context and storage), so two run at once, from any file.
  // No retries: a flaky test must show.
  fullyParallel: true,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    trace: 'retain-on-failure',
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
  },
  projects: [
    { name: 'first-visit', testMatch: FIRST_VISIT, use: DESKTOP },
    {
      name: 'no-gpu',
      testMatch: NO_GPU,
      use: { ...DESKTOP, launchOptions: { executablePath: chromiumPath(), args: NO_GPU_ARGS } },
    },
    // A real first visit, measured in full; its storage (IndexedDB included) is the returning user's.
    { name: 'returning-user', testMatch: SETUP, use: DESKTOP },
    {
      name: 'returning',
      testIgnore: [...FIRST_VISIT, ...NO_GPU, SETUP],
      dependencies: ['returning-user'],
      use: { ...DESKTOP, storageState: RETURNING_USER },
    },
  ],
  webServer: {
    command: `npx vite preview --host 127.0.0.1 --port ${PORT} --strictPort`,
    cwd: '..',
    url: `http://127.0.0.1:${PORT}/`,
    reuseExistingServer: false,
    // A safety net, not a speed goal: first visits measure backends in the background (on SwiftShader here).
    timeout: 120_000,
  },
});
