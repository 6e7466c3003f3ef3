import { expect, test } from '@playwright/test';
import { drawDigit, settledPrediction } from './draw.ts';

test.use({ serviceWorkers: 'block' });

test('works where service workers are unavailable (e.g. private windows)', async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('backend')).toContainText('Backend: WASM');
  expect(await page.evaluate(() => navigator.serviceWorker?.controller ?? null)).toBeNull();
  await drawDigit(page, 0, [0.2, 0.1, 0.7]);
  expect(await settledPrediction(page)).toBe('0');
  await page.getByRole('link', { name: 'Storage & privacy' }).click();
  await expect(page.getByTestId('model-source')).toHaveText('download');
});
