/**
 * Accessibility as axe-core sees it, on every page, in both colour schemes, on a phone and a desktop screen:
 * at start, after drawing (backend details open), before and after a small benchmark run, the camera page
 * (no camera here: its message), the photo page before and after reading a photo, and on the storage page with
 * its "clear all data" question open. Zero violations.
 */
import AxeBuilder from '@axe-core/playwright';
import { expect, test, type Page } from '@playwright/test';
import { drawDigit, settledPrediction } from './draw.ts';
import { photoOf } from './paper.ts';
import { waitForRecognizer } from './pwa.ts';

const SMALL_SWEEP = '#/bench?backends=wasm&batches=1&warmup=0&runs=2';

/** axe's violations on the page as it is now, one line each: rule, impact, elements. */
async function violations(page: Page, where: string): Promise<string[]> {
  const { violations } = await new AxeBuilder({ page }).analyze();
  return violations.map(
    (v) =>
      `${where}: ${v.id} (${v.impact}) on ${v.nodes.map((n) => n.target.join(' ')).join(', ')}`,
  );
}

const VIEWPORTS = {
  phone: { width: 390, height: 844 },
  desktop: { width: 1000, height: 800 },
};

/** axe in each colour scheme on each screen, on the page as it is now (one visit serves all four). */
async function everyWay(page: Page, where: string): Promise<string[]> {
  const found: string[] = [];
  for (const colorScheme of ['light', 'dark'] as const) {
    for (const [screen, viewport] of Object.entries(VIEWPORTS)) {
      await page.emulateMedia({ colorScheme });
      await page.setViewportSize(viewport);
      found.push(...(await violations(page, `${where}, ${colorScheme} scheme, ${screen} screen`)));
    }
  }
  await page.setViewportSize(VIEWPORTS.desktop);
  return found;
}

test('no axe violations on any page, in both schemes, on a phone and a desktop screen, before and after use', async ({
  page,
}) => {
  test.setTimeout(180_000);
  const found: string[] = [];
  await page.goto('./');
  await waitForRecognizer(page);
  found.push(...(await everyWay(page, '#/ at start')));

  await drawDigit(page, 3);
  await settledPrediction(page);
  await page.getByTestId('backend').click();
  await expect(page.getByTestId('selection-summary')).toBeVisible();
  found.push(...(await everyWay(page, '#/ after drawing, backend details open')));

  await page.goto(`./${SMALL_SWEEP}`);
  await expect(page.getByRole('button', { name: 'Run benchmark' })).toBeVisible();
  found.push(...(await everyWay(page, '#/bench')));
  await page.getByRole('button', { name: 'Run benchmark' }).click();
  await expect(page.getByTestId('bench-status')).toHaveText(/^Done/, { timeout: 60_000 });
  await expect(page.getByTestId('chart-latency')).toBeVisible();
  found.push(...(await everyWay(page, '#/bench after a run')));

  // The camera page as it is without a camera (this browser has none: its one-line message).
  await page.getByRole('link', { name: 'Camera', exact: true }).click();
  await expect(page.getByTestId('camera-error')).toBeVisible();
  found.push(...(await everyWay(page, '#/camera, no camera')));

  await page.getByRole('link', { name: 'Photo', exact: true }).click();
  found.push(...(await everyWay(page, '#/photo')));
  await page.getByTestId('photo-input').setInputFiles(photoOf(['42'], 5));
  await expect(page.getByTestId('number')).toHaveCount(1, { timeout: 60_000 });
  found.push(...(await everyWay(page, '#/photo, a photo read')));

  await page.getByRole('link', { name: 'Storage & privacy' }).click();
  await page.getByRole('button', { name: 'Clear all data…' }).click();
  await expect(page.getByTestId('clear-confirm')).toBeVisible();
  found.push(...(await everyWay(page, '#/about, clearing asked')));

  expect(found).toEqual([]);
});
