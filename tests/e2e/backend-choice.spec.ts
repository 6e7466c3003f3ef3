/**
 * Backend choice that holds on real GPUs, tested by injecting the faults seen on one (issue: an NVIDIA H100
 * with headless Chromium): a WebGPU adapter that answers null once, a GPU warm-up that overruns the start-up
 * budget, and a backend that computes wrong results.
 */
import { expect, test, type Page } from '@playwright/test';
import { SLOW_WEBGL_WARMUP, WRONG_WEBGL_RESULTS } from '../../scripts/gpu-faults.ts';
import { drawDigit, settledPrediction } from './draw.ts';
import { openMeasurements } from './measurements.ts';
import { waitForRecognizer } from './pwa.ts';

/** Start-up measurement and its completion in idle time, with an injected fault: a safety net. */
const MEASURE_TIMEOUT = 120_000;

const row = (page: Page, backend: string) =>
  page.locator(`[data-testid="measurement"][data-backend="${backend}"]`);

/** Each measured row's median (ms), by backend. */
async function medians(page: Page): Promise<Record<string, number>> {
  const out: Record<string, number> = {};
  for (const r of await page.getByTestId('measurement').all()) {
    const median = await r.getAttribute('data-median');
    if (median) out[(await r.getAttribute('data-backend'))!] = Number(median);
  }
  return out;
}

test('a WebGPU adapter that answers null once is asked again: WebGPU is found, measured and ranked', async ({
  page,
}) => {
  test.setTimeout(MEASURE_TIMEOUT * 2);
  await page.addInitScript(() => {
    const gpu = navigator.gpu;
    if (!gpu) return;
    const real = gpu.requestAdapter.bind(gpu);
    let calls = 0;
    gpu.requestAdapter = (options) => (calls++ === 0 ? Promise.resolve(null) : real(options));
  });
  await page.goto('./');
  await waitForRecognizer(page);
  await openMeasurements(page, 'measured', MEASURE_TIMEOUT);
  // Measured: timed in full, or stopped after a timed run far slower than the best — with its time either way.
  await expect(row(page, 'webgpu')).toHaveAttribute('data-status', /^(ok|cut)$/);
  await expect(row(page, 'webgpu')).toHaveAttribute('data-median', /^\d/);
  await expect(page.getByRole('list', { name: 'What this device offers' })).not.toContainText(
    'WebGPU: unavailable',
  );
  expect(Object.keys(await medians(page))).toContain('webgpu');
});

test('a GPU warm-up past the start-up budget: the first choice is quick, the rest is timed in idle time and ranked', async ({
  page,
}) => {
  test.setTimeout(MEASURE_TIMEOUT * 2);
  // In the start-up measurement's worker only, WebGL's shaders link slowly: its warm-up overruns the budget.
  let slowed = false;
  page.on('worker', (w) => {
    if (slowed || !/compute\.worker/.test(w.url())) return;
    const check = `self.name === 'backend-probe' && ((${SLOW_WEBGL_WARMUP.toString()})(), true)`;
    void w.evaluate(check).then(
      (probe) => (slowed ||= probe === true),
      () => {},
    );
  });
  await page.goto('./');
  await waitForRecognizer(page);
  await openMeasurements(page, 'measured', MEASURE_TIMEOUT);
  expect(slowed).toBe(true);
  await expect(page.getByTestId('selection-summary')).toContainText(
    /WebGL[^.]*: cut by the start-up budget, then timed in full in idle time/,
  );
  // WebGL was timed in idle time; every available backend has a measured median, and the one in use is the
  // fastest (a backend far slower than the best after one timed run may stay 'stopped early', with its time).
  await expect(row(page, 'webgl')).toHaveAttribute('data-status', 'ok');
  for (const backend of ['webgpu', 'webgl', 'wasm', 'cpu']) {
    await expect(row(page, backend)).toHaveAttribute('data-median', /^\d/);
  }
  const times = await medians(page);
  const inUse = (await page.getByTestId('backend').getAttribute('data-backend'))!;
  expect(times[inUse]).toBeLessThanOrEqual(Math.min(...Object.values(times)) * 1.05);
  await drawDigit(page, 6);
  expect(await settledPrediction(page)).toBe('6');
});

test('a backend that computes wrong results is reported and never chosen; the benchmark shows it too', async ({
  page,
}) => {
  test.setTimeout(MEASURE_TIMEOUT * 3);
  // Every measuring and benchmark worker gets a GPU whose WebGL results come back scrambled.
  page.on('worker', (w) => {
    const check = `['backend-probe', 'benchmark'].includes(self.name) && ((${WRONG_WEBGL_RESULTS.toString()})(), true)`;
    if (/compute\.worker/.test(w.url())) void w.evaluate(check).catch(() => {});
  });
  await page.goto('./');
  await waitForRecognizer(page);
  await openMeasurements(page, 'measured', MEASURE_TIMEOUT);
  await expect(row(page, 'webgl')).toHaveAttribute('data-status', 'incorrect');
  await expect(row(page, 'webgl')).toContainText(
    /wrong results: top class agrees with the CPU backend on \d+ of 100/,
  );
  await expect(row(page, 'webgl').getByRole('button', { name: 'Use WebGL' })).toHaveCount(0);
  await expect(row(page, 'wasm').getByTestId('correctness')).toContainText(/\d+ % right/);
  expect(await page.getByTestId('backend').getAttribute('data-backend')).not.toBe('webgl');

  // The benchmark page checks every backend's results too.
  await page.goto('./#/bench?backends=webgl,wasm&batches=1&warmup=0&runs=2');
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('bench-status')).toHaveText(
    'Done (1 backend gave wrong results): 1 of 2 backends measured.',
    { timeout: MEASURE_TIMEOUT },
  );
  const check = (backend: string) =>
    page.locator(
      `[data-testid="backend-row"][data-backend="${backend}"] [data-testid="correctness"]`,
    );
  await expect(check('webgl')).toContainText('(wrong results)');
  await expect(check('wasm')).toHaveAttribute('data-max-delta', /^\d/);
  expect(Number(await check('wasm').getAttribute('data-max-delta'))).toBeLessThan(0.001);
});

test('WASM thread counts are real and measured: the benchmark page times each, and the app keeps the fastest', async ({
  page,
}) => {
  test.setTimeout(MEASURE_TIMEOUT * 2);
  // Threads need cross-origin isolation: vite preview sends the headers, so the first visit has it (on
  // GitHub Pages the service worker brings it from the second load on; offline.spec covers that).
  await page.goto('./');
  await waitForRecognizer(page);
  expect(await page.evaluate(() => crossOriginIsolated)).toBe(true);
  // Measured on this first visit, WASM's thread counts too: the badge says which serves which workload.
  await openMeasurements(page, 'measured', MEASURE_TIMEOUT);
  const single = page.locator('[data-testid="workload"][data-workload="single"]');
  if ((await single.getAttribute('data-backend')) === 'wasm') {
    await expect(single).toHaveAttribute('data-threads', /^[1-4]$/);
    await expect(page.getByTestId('backend')).toContainText(
      `${await single.getAttribute('data-threads')} thread`,
    );
  }
  await page.goto('./#/bench?warmup=1&runs=5');
  await page.getByRole('button', { name: 'Measure WASM threads' }).click();
  const rows = page.getByTestId('threads-row');
  await expect(rows).toHaveCount(
    Math.min(4, await page.evaluate(() => navigator.hardwareConcurrency)),
    {
      timeout: MEASURE_TIMEOUT,
    },
  );
  for (const r of await rows.all()) {
    await expect(r).toHaveAttribute('data-status', 'ok');
    // The pool really has the asked-for threads (tfjs 4.22 alone would ignore the request).
    expect(await r.getAttribute('data-actual')).toBe(await r.getAttribute('data-threads'));
  }
});
