/** Waiting for the backend choice, reading the measurements the badge shows, and what one loaded model holds. */
import { expect, type Page } from '@playwright/test';
import { readFileSync } from 'node:fs';

/** A safety net for a first visit's measurement on SwiftShader, not a speed goal. */
export const MEASURE_TIMEOUT = 90_000;

/** How many weight tensors the model has: what one loaded model holds. */
export const modelWeights = (): number =>
  JSON.parse(readFileSync('model/model.json', 'utf8')).weightsManifest.flatMap(
    (g: { weights: unknown[] }) => g.weights,
  ).length;

/** Waits until the backend choice is settled: measured on this visit, or remembered from an earlier one. */
export async function waitForChoice(
  page: Page,
  state: 'measured' | 'remembered' | 'either' = 'either',
  timeout = MEASURE_TIMEOUT,
): Promise<void> {
  const settled = state === 'either' ? /^(measured|remembered)$/ : state;
  await expect(page.getByTestId('backend')).toHaveAttribute('data-state', settled, { timeout });
}

/** Waits until the current selection is settled (measured or remembered) and opens the measurements. */
export async function openMeasurements(
  page: Page,
  state: 'measured' | 'remembered' = 'measured',
  timeout = MEASURE_TIMEOUT,
) {
  await waitForChoice(page, state, timeout);
  const badge = page.getByTestId('backend');
  if ((await badge.getAttribute('aria-expanded')) !== 'true') await badge.click();
  return page.getByTestId('measurement');
}

/** Each row: backend, status, median (ms, NaN when none). */
export async function readRows(page: Page) {
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
