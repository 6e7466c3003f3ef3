/**
 * Keyboard and screen-reader behaviour: focus survives starting and cancelling a benchmark, the pad's
 * shortcuts (Escape, Delete) act on the recognizer only and never while typing, and the result is announced
 * once per stroke, not on every pointer move.
 */
import { expect, test } from '@playwright/test';
import { DIGIT_STROKES } from '../../scripts/digit-strokes.ts';
import { drawDigit, settledPrediction, toPage } from './draw.ts';
import { waitForRecognizer } from './pwa.ts';

test('focus stays on the run controls when a benchmark starts and when it is cancelled', async ({
  page,
}) => {
  test.setTimeout(120_000);
  await page.goto('./#/bench?backends=cpu&batches=256&warmup=0&runs=1000');
  const run = page.getByRole('button', { name: 'Run benchmark' });
  await run.focus();
  await page.keyboard.press('Enter');
  const cancel = page.getByRole('button', { name: 'Cancel' });
  await expect(cancel).toBeFocused();
  await expect(page.getByTestId('bench-progress')).toContainText('timed run', { timeout: 60_000 });
  await page.keyboard.press('Enter');
  await expect(page.getByTestId('bench-status')).toHaveText(/Cancelled/);
  await expect(run).toBeFocused();
  // And again, with the space bar: the same button starts the next run.
  await page.keyboard.press('Space');
  await expect(cancel).toBeFocused();
  await page.keyboard.press('Space');
  await expect(run).toBeFocused();
});

test('Escape and Delete clear the pad on the recognizer, not in the benchmark or its fields', async ({
  page,
}) => {
  await page.goto('./');
  await waitForRecognizer(page);
  const pad = page.getByLabel(/drawing pad/i);
  await drawDigit(page, 7);
  expect(await settledPrediction(page)).toBe('7');

  await page.getByRole('link', { name: 'Benchmark' }).click();
  const batches = page.getByRole('textbox', { name: 'Batch sizes' });
  await batches.click();
  await page.keyboard.press('End');
  await page.keyboard.press('Escape');
  await page.keyboard.press('Delete');
  await expect(batches).toBeFocused();
  // Outside the fields, on the benchmark page: still nothing to clear there.
  await page.getByRole('heading', { name: /Benchmark the backends/ }).click();
  await page.keyboard.press('Escape');

  await page.getByRole('link', { name: 'Recognize' }).click();
  await expect(pad).toHaveAttribute('data-empty', 'false');
  await expect(page.getByTestId('prediction').locator('.label')).toHaveText('7');
  await page.keyboard.press('Escape');
  await expect(pad).toHaveAttribute('data-empty', 'true');
  await expect(page.getByTestId('prediction').getByLabel('No prediction')).toBeVisible();
});

test('screen readers hear the result when a stroke ends, not while it is drawn', async ({
  page,
}) => {
  await page.goto('./');
  await waitForRecognizer(page);
  const said = page.getByTestId('announcement');
  const shown = page.getByTestId('prediction');
  await expect(said).toHaveAttribute('role', 'status');
  await expect(shown).not.toHaveAttribute('aria-live', /.+/);
  await expect(shown).not.toHaveAttribute('role', /.+/);

  const [stroke] = await toPage(page, DIGIT_STROKES[1], [0.3, 0.1, 0.75]);
  await page.mouse.move(...stroke[0]);
  await page.mouse.down();
  for (const p of stroke.slice(1)) await page.mouse.move(p[0], p[1], { steps: 8 });
  // The visible result follows the stroke; the live region stays silent until it ends.
  await expect(shown.locator('.label')).toHaveText(/^\d$/);
  await expect(shown).toHaveAttribute('data-busy', 'false');
  await expect(said).toHaveText('');
  await page.mouse.up();
  expect(await settledPrediction(page)).toBe('1');
  await expect(said).toHaveText(/^1, \d+\.\d% sure$/);

  await page.keyboard.press('Escape');
  await expect(said).toHaveText('');
});
