/**
 * Drawing on the recognizer's pad the way the benchmark scripts time it: with the mouse, in small steps, and
 * stroke end (the last pointer-up) → probabilities shown (the first update of the prediction after it), both
 * on the page's clock.
 */
import type { Page } from '@playwright/test';
import { MARKS } from '../src/lib/marks.ts';
import { DIGIT_STROKES } from './digit-strokes.ts';

type Clocks = { __ends: number[]; __shown: number[]; __model: number[] };

/** Starts recording pointer-ups on the pad, predictions shown, and the app's per-prediction measures. */
export async function watchStrokes(page: Page): Promise<void> {
  await page.evaluate((predictMeasure) => {
    const w = window as unknown as Clocks;
    w.__ends = [];
    w.__shown = [];
    w.__model = [];
    // The app keeps only its latest measure in the timeline; collect each one as it is made.
    new PerformanceObserver((list) =>
      w.__model.push(...list.getEntriesByName(predictMeasure).map((e) => e.duration)),
    ).observe({ type: 'measure' });
    document
      .querySelector('[aria-label^="Drawing pad"]')!
      .addEventListener('pointerup', () => w.__ends.push(performance.now()), { capture: true });
    new MutationObserver(() => w.__shown.push(performance.now())).observe(
      document.querySelector('[data-testid="prediction"]')!,
      { attributes: true, attributeFilter: ['data-count'] },
    );
  }, MARKS.predict);
}

/** Clears the pad, draws `digit`, waits for its prediction; stroke end → probabilities shown (ms). */
export async function drawAndTime(page: Page, digit: number): Promise<number | null> {
  const box = (await page.getByLabel(/drawing pad/i).boundingBox())!;
  await page.keyboard.press('Escape');
  const before = await page.getByTestId('prediction').getAttribute('data-count');
  for (const stroke of DIGIT_STROKES[digit]) {
    const at = ([x, y]: [number, number]) =>
      [box.x + (0.15 + x * 0.6) * box.width, box.y + (0.1 + y * 0.75) * box.height] as const;
    await page.mouse.move(...at(stroke[0]));
    await page.mouse.down();
    for (const p of stroke.slice(1)) await page.mouse.move(...at(p), { steps: 2 });
    await page.mouse.up();
  }
  await page.waitForFunction((b) => {
    const out = document.querySelector('[data-testid="prediction"]')!;
    return out.getAttribute('data-count') !== b && out.getAttribute('data-busy') === 'false';
  }, before);
  return page.evaluate(() => {
    const w = window as unknown as Clocks;
    const end = w.__ends[w.__ends.length - 1];
    const shown = w.__shown.find((s) => s >= end);
    return shown === undefined ? null : shown - end;
  });
}

/** The model-time measures recorded so far (ms); observer callbacks come in batches, so it waits a little. */
export function modelTimes(page: Page): Promise<number[]> {
  return page.evaluate(
    () =>
      new Promise<number[]>((r) => setTimeout(() => r((window as unknown as Clocks).__model), 200)),
  );
}
