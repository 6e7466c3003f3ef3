import { expect, test } from '@playwright/test';
import { MEASURE_TIMEOUT, openMeasurements, readRows } from './measurements.ts';
import { drawDigit, settledPrediction } from './draw.ts';
import { waitForRecognizer } from './pwa.ts';
import { watchComputeWorkers } from '../../scripts/compute-workers.ts';
import { MARKS } from '../../src/lib/marks.ts';

test('a second load uses the remembered choice at once, without measuring', async ({ page }) => {
  test.setTimeout(MEASURE_TIMEOUT * 2);
  await page.goto('./');
  await waitForRecognizer(page);
  await openMeasurements(page);
  const summary = await page.getByTestId('selection-summary').textContent();
  const chosen = await page.getByTestId('backend').getAttribute('data-backend');

  // The reload starts one compute worker, the recognizer's; a measurement would start a second one.
  const workers = watchComputeWorkers(page);
  await page.reload();
  await waitForRecognizer(page);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-state', 'remembered');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', chosen!);
  await page.getByTestId('backend').click();
  // Same measurement (same timestamp), now marked as remembered.
  await expect(page.getByTestId('selection-summary')).toContainText('Remembered choice');
  expect(
    (await page.getByTestId('selection-summary').textContent())!.replace(
      'Remembered choice, measured',
      'Measured',
    ),
  ).toBe(summary);
  // In idle time the app re-checks the GPU; the same GPU keeps the remembered choice, without measuring.
  await expect
    .poll(() => page.evaluate((m) => performance.getEntriesByName(m).length, MARKS.rechecked))
    .toBe(1);
  expect(workers.started).toHaveLength(1);
  await expect(page.getByTestId('backend')).toHaveAttribute('data-state', 'remembered');
});

test('with the WebGPU adapter request rejected, the app picks among the rest and works', async ({
  page,
}) => {
  test.setTimeout(MEASURE_TIMEOUT * 2);
  await page.addInitScript(() => {
    if (navigator.gpu)
      navigator.gpu.requestAdapter = () => Promise.reject(new Error('adapter blocked by the test'));
  });
  await page.goto('./');
  await waitForRecognizer(page);
  await openMeasurements(page);
  const rows = await readRows(page);
  expect(rows.find((r) => r.backend === 'webgpu')!.status).toBe('unavailable');
  await expect(page.getByTestId('measurement').filter({ hasText: 'WebGPU' })).toContainText(
    'adapter blocked by the test',
  );
  expect(await page.getByTestId('backend').getAttribute('data-backend')).not.toBe('webgpu');
  await drawDigit(page, 3);
  expect(await settledPrediction(page)).toBe('3');
});

test.describe('a WASM binary that cannot load', () => {
  // The service worker takes control during a first visit (clientsClaim) and would serve the binary from its
  // precache, out of the route's reach, to a worker started after that (seen once under load).
  test.use({ serviceWorkers: 'block' });
  test('when the WASM binary cannot load, the app says so in one line, falls back, and works', async ({
    page,
  }) => {
    test.setTimeout(MEASURE_TIMEOUT * 2);
    await page.route(/\.wasm$/, (route) => route.abort());
    await page.goto('./');
    await waitForRecognizer(page);
    await expect(page.getByTestId('notice')).toContainText(/WASM could not be used/);
    expect(await page.getByTestId('backend').getAttribute('data-backend')).not.toBe('wasm');
    await drawDigit(page, 4);
    expect(await settledPrediction(page)).toBe('4');
  });
});

test('with no WebGPU adapter at all (null), WebGPU is shown unavailable and the app works', async ({
  page,
}) => {
  test.setTimeout(MEASURE_TIMEOUT * 2);
  await page.addInitScript(() => {
    if (navigator.gpu) navigator.gpu.requestAdapter = async () => null;
  });
  await page.goto('./');
  await waitForRecognizer(page);
  await openMeasurements(page);
  await expect(page.locator('[data-testid="measurement"][data-backend="webgpu"]')).toHaveAttribute(
    'data-status',
    'unavailable',
  );
  await expect(page.getByTestId('measurement').filter({ hasText: 'WebGPU' })).toContainText(
    'no WebGPU adapter',
  );
  await drawDigit(page, 8);
  expect(await settledPrediction(page)).toBe('8');
});
