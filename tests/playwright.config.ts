import { defineConfig, devices } from '@playwright/test';
import { CHROMIUM_ARGS, chromiumPath } from '../scripts/chromium.ts';

/** Where `vite preview` serves the build for the tests (E2E_PORT lets two checkouts test at once). */
const PORT = Number(process.env.E2E_PORT ?? 4173);

export default defineConfig({
  testDir: './e2e',
  outputDir: '../test-results',
  // A safety net, not a speed goal: first visits measure backends in the background (on SwiftShader here).
  timeout: 120_000,
  expect: { timeout: 15_000 },
  // Spec files share nothing (each test has its own browser context and storage), so two run at once;
  // tests inside a file run in order. No retries: a flaky test must show.
  fullyParallel: false,
  workers: Number(process.env.E2E_WORKERS ?? 2),
  retries: 0,
  reporter: [['list']],
  use: {
    baseURL: `http://127.0.0.1:${PORT}/`,
    trace: 'retain-on-failure',
    launchOptions: { executablePath: chromiumPath(), args: CHROMIUM_ARGS },
  },
  projects: [
    {
      name: 'chromium',
      use: { ...devices['Desktop Chrome'], viewport: { width: 1000, height: 800 } },
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
