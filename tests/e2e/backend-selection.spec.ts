import { expect, test, type Page } from '@playwright/test';
import { GPU_FAULTS } from '../../scripts/gpu-faults.ts';
import { drawDigit, settledPrediction } from './draw.ts';
import { waitForRecognizer } from './pwa.ts';
import { computeWorkers, watchComputeWorkers } from '../../scripts/compute-workers.ts';
import { MARKS } from '../../src/lib/marks.ts';

const MEASURE_TIMEOUT = 90_000;

/** Waits until the current selection is settled (measured or remembered) and opens the measurements. */
async function openMeasurements(page: Page, state: 'measured' | 'remembered' = 'measured') {
  const badge = page.getByTestId('backend');
  await expect(badge).toHaveAttribute('data-state', state, { timeout: MEASURE_TIMEOUT });
  if ((await badge.getAttribute('aria-expanded')) !== 'true') await badge.click();
  return page.getByTestId('measurement');
}

/** Each row: backend, status, median (ms, NaN when none). */
async function readRows(page: Page) {
  const rows = page.getByTestId('measurement');
  const out: { backend: string; status: string; median: number }[] = [];
  for (const row of await rows.all()) {
    out.push({
      backend: (await row.getAttribute('data-backend'))!,
      status: (await row.getAttribute('data-status'))!,
      median: Number((await row.getAttribute('data-median')) || NaN),
    });
  }
  return out;
}

test('first visit measures the backends and uses the one with the lowest measured median', async ({
  page,
}) => {
  test.setTimeout(MEASURE_TIMEOUT * 2);
  await page.goto('./');
  await waitForRecognizer(page);
  await openMeasurements(page);
  const startup = await readRows(page);
  expect(startup.map((r) => r.backend).sort()).toEqual(['cpu', 'wasm', 'webgl', 'webgpu']);
  const timed = startup.filter((r) => r.status === 'ok');
  expect(timed.length).toBeGreaterThan(0);
  const fastest = timed.reduce((a, b) => (b.median < a.median ? b : a));
  // Within 5 % counts as a tie, which WASM wins; otherwise the lowest median wins.
  const inUse = await page.getByTestId('backend').getAttribute('data-backend');
  const inUseRow = timed.find((r) => r.backend === inUse)!;
  expect(inUseRow.median).toBeLessThanOrEqual(fastest.median * 1.05);

  // The full measurement, on request: all four detected and timed, the winner has the lowest median.
  await page.getByRole('button', { name: 'Re-measure backends' }).click();
  await expect(page.getByTestId('backend')).toHaveAttribute('data-state', 'measuring');
  await openMeasurements(page);
  const full = await readRows(page);
  console.log(full.map((r) => `${r.backend}: ${r.status} ${r.median.toFixed(2)} ms`).join('\n'));
  expect(full.every((r) => r.status === 'ok')).toBe(true);
  const best = full.reduce((a, b) => (b.median < a.median ? b : a));
  const winner = await page.getByTestId('backend').getAttribute('data-backend');
  expect(full.find((r) => r.backend === winner)!.median).toBeLessThanOrEqual(best.median * 1.05);
  await expect(page.getByTestId('selection-summary')).toContainText('every backend timed in full');

  await drawDigit(page, 5);
  expect(await settledPrediction(page)).toBe('5');
});

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

test('the user can draw and get a prediction while backends are being measured', async ({
  page,
}) => {
  test.setTimeout(MEASURE_TIMEOUT * 2);
  await page.goto('./');
  await waitForRecognizer(page);
  // The first-visit measurement runs after the recognizer is ready; it must not hold predictions back.
  const marks = () =>
    page.evaluate(
      (m) => ({
        ready: performance.getEntriesByName(m.ready)[0]?.startTime ?? null,
        selected: performance.getEntriesByName(m.selected)[0]?.startTime ?? null,
      }),
      MARKS,
    );
  expect((await marks()).ready).not.toBeNull();
  await openMeasurements(page);
  // A full re-measure takes seconds here (software GPU warm-ups): draw during it.
  await page.getByRole('button', { name: 'Re-measure backends' }).click();
  await expect(page.getByTestId('backend')).toHaveAttribute('data-state', 'measuring');
  await drawDigit(page, 7, [0.2, 0.1, 0.7]);
  expect(await settledPrediction(page)).toBe('7');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-state', 'measuring');
  await expect(page.getByTestId('backend')).toHaveAttribute('data-state', 'measured', {
    timeout: MEASURE_TIMEOUT,
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

/** The notice when the GPU handle of the backend in use is lost (see gpu-faults.ts). */
const LOST_NOTICE = {
  webgl: /WebGL failed \(the WebGL context was lost\); switched to /,
  webgpu: /WebGPU failed \(the WebGPU device was lost \(destroyed.*\)\); switched to /,
};

for (const gpu of GPU_FAULTS) {
  test(`${gpu.fault} while the recognizer uses it: one line says so, the next backend takes over`, async ({
    page,
  }) => {
    test.setTimeout(MEASURE_TIMEOUT * 2);
    // The recognizer runs in its worker (replaced when the app tunes WASM's threads): the fault goes there.
    const recognizer = computeWorkers(page, 'recognizer', gpu.keep);
    await page.goto('./');
    await waitForRecognizer(page);
    await openMeasurements(page);
    await page.getByRole('button', { name: `Use ${gpu.title}` }).click();
    await expect(page.getByTestId('backend')).toHaveAttribute('data-backend', gpu.backend, {
      timeout: MEASURE_TIMEOUT,
    });
    await expect(page.getByTestId('backend')).toHaveAttribute('data-state', 'pinned');
    await drawDigit(page, 1, [0.2, 0.1, 0.7]);
    expect(await settledPrediction(page)).toBe('1');

    expect(await recognizer.latest().evaluate(gpu.lose)).toBeGreaterThan(0);
    await page.keyboard.press('Escape');
    await drawDigit(page, 7, [0.2, 0.1, 0.7]);
    expect(await settledPrediction(page)).toBe('7');
    await expect(page.getByTestId('notice')).toContainText(LOST_NOTICE[gpu.backend]);
    expect(await page.getByTestId('backend').getAttribute('data-backend')).not.toBe(gpu.backend);
    // Also in the failure log on the benchmark page (kept on the device).
    await page.getByRole('link', { name: 'Benchmark' }).click();
    await page
      .getByTestId('failure-log')
      .getByText(/Backend failures on this device/)
      .click();
    await expect(page.getByTestId('failure-log')).toContainText(
      new RegExp(
        `${gpu.title} — the ${gpu.title === 'WebGL' ? 'WebGL context' : 'WebGPU device'} was lost.*; switched to`,
      ),
    );
  });
}
