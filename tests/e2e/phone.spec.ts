/**
 * The app on a phone: the result is in view with the pad while drawing, in portrait and landscape; no page or
 * panel is wider than the screen; and the frame index.html paints before any script runs is where the app
 * puts it, so nothing moves when the app takes over.
 */
import { expect, test, type Locator, type Page } from '@playwright/test';
import { DIGIT_STROKES } from '../../scripts/digit-strokes.ts';
import { settledPrediction, toPage } from './draw.ts';
import { photoOf } from './paper.ts';
import { waitForRecognizer } from './pwa.ts';
import { waitForChoice } from './measurements.ts';

const PORTRAIT = { width: 390, height: 844 };
const LANDSCAPE = { width: 844, height: 390 };

/** Whether `locator` lies wholly inside the viewport, as the page is scrolled now. */
async function inView(page: Page, locator: Locator): Promise<boolean> {
  const box = await locator.boundingBox();
  const { width, height } = page.viewportSize()!;
  return (
    !!box && box.x >= 0 && box.y >= 0 && box.x + box.width <= width && box.y + box.height <= height
  );
}

/** The document's width against the viewport's ([scrollWidth, innerWidth]). */
const widths = (page: Page) =>
  page.evaluate(() => [document.documentElement.scrollWidth, innerWidth]);

for (const [orientation, viewport] of [
  ['portrait', PORTRAIT],
  ['landscape', LANDSCAPE],
] as const) {
  test.describe(`on a phone in ${orientation}`, () => {
    test.use({ viewport, hasTouch: true });

    test('the result is in view with the pad while drawing', async ({ page }) => {
      await page.goto('./');
      await waitForRecognizer(page);
      const pad = page.getByLabel(/drawing pad/i);
      const label = page.getByTestId('prediction').locator('.label');
      // A 7 is one stroke.
      const [stroke] = await toPage(page, DIGIT_STROKES[7], [0.15, 0.1, 0.75]);
      // In the middle of the stroke: pad and result both on screen, the result already following the ink.
      await page.mouse.move(...stroke[0]);
      await page.mouse.down();
      for (const p of stroke.slice(1)) await page.mouse.move(p[0], p[1], { steps: 4 });
      await expect(label).toHaveText(/^\d$/);
      expect(await inView(page, pad)).toBe(true);
      expect(await inView(page, label)).toBe(true);
      await page.mouse.up();
      expect(await settledPrediction(page)).toBe('7');
      expect(await inView(page, label)).toBe(true);
      expect(await inView(page, page.getByTestId('prediction').locator('.confidence'))).toBe(true);
    });
  });
}

test.describe('on a phone', () => {
  test.use({ viewport: PORTRAIT, hasTouch: true });

  test('no page or panel is wider than the screen', async ({ page }) => {
    test.setTimeout(120_000);
    await page.goto('./');
    await waitForRecognizer(page);
    expect(await widths(page)).toEqual([390, 390]);

    // The backend details once the choice is settled, with their table of measurements.
    await waitForChoice(page);
    await page.getByTestId('backend').click();
    await expect(page.getByTestId('measurement')).toHaveCount(4);
    expect(await widths(page)).toEqual([390, 390]);

    // The benchmark page after a run: wide tables scroll in their own, focusable boxes.
    await page.goto('./#/bench?backends=wasm,cpu&batches=1,2,4&warmup=0&runs=2');
    await expect(page.getByRole('button', { name: 'Run benchmark' })).toBeInViewport();
    expect(await widths(page)).toEqual([390, 390]);
    await page.getByRole('button', { name: 'Run benchmark' }).click();
    await expect(page.getByTestId('bench-status')).toHaveText(/^Done/, { timeout: 60_000 });
    expect(await widths(page)).toEqual([390, 390]);
    const kernels = page.getByRole('region', { name: /Start-up, memory and leaks/ });
    // Keyboard users scroll it with the arrow keys once it has focus (a press scrolls a step).
    await kernels.focus();
    const atEnd = () =>
      kernels.evaluate((el) => el.scrollLeft + el.clientWidth >= el.scrollWidth - 1);
    for (let i = 0; i < 60 && !(await atEnd()); i++) await page.keyboard.press('ArrowRight');
    await expect.poll(atEnd).toBe(true);
    await expect(
      kernels.getByRole('columnheader', { name: 'Top kernels (batch 1)' }),
    ).toBeInViewport();

    // The photo page with a photo read (its picture, overlay and numbers), and the camera page.
    await page.goto('./#/photo');
    await page.getByTestId('photo-input').setInputFiles(photoOf(['2026', '417'], 2));
    await expect(page.getByTestId('number')).toHaveCount(2, { timeout: 60_000 });
    expect(await widths(page)).toEqual([390, 390]);
    await page.goto('./#/camera');
    await expect(page.getByTestId('camera-error')).toBeVisible();
    expect(await widths(page)).toEqual([390, 390]);

    await page.goto('./#/about');
    await page.getByRole('button', { name: 'Clear all data…' }).click();
    await expect(page.getByTestId('clear-confirm')).toBeVisible();
    expect(await widths(page)).toEqual([390, 390]);
  });

  test('the frame painted before any script runs is where the app puts it', async ({ browser }) => {
    const boxes = async (javaScriptEnabled: boolean) => {
      const context = await browser.newContext({ viewport: PORTRAIT, javaScriptEnabled });
      const page = await context.newPage();
      await page.goto('./');
      if (javaScriptEnabled) await waitForRecognizer(page);
      const out: Record<string, unknown> = {};
      // Where each box starts and how tall it is (the badge's text, and so its width, changes).
      for (const [name, selector] of Object.entries({
        title: 'h1',
        tagline: '.tagline',
        nav: 'nav',
        pad: '.pad-surface',
        prediction: '.prediction',
        label: '.prediction .label',
        clear: '.actions button >> nth=0',
        badge: '.chip',
      })) {
        const box = (await page.locator(selector).boundingBox())!;
        out[name] = { x: box.x, y: box.y, height: box.height };
      }
      await context.close();
      return out;
    };
    expect(await boxes(true)).toEqual(await boxes(false));
  });
});
