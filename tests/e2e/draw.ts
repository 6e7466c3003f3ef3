/** Helpers that draw on the pad like a person would, with a mouse or a finger. */
import { expect, type Page } from '@playwright/test';
import { DIGIT_STROKES, type Stroke } from '../../scripts/digit-strokes.ts';

/** The pad's box on the page. */
export async function padBox(page: Page) {
  const pad = page.getByLabel(/drawing pad/i);
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  if (!box) throw new Error('drawing pad not visible');
  return box;
}

/** Maps unit-box strokes into page coordinates at a placement [left, top, size] (fractions of the pad). */
export async function toPage(
  page: Page,
  strokes: Stroke[],
  [left, top, size]: [number, number, number],
) {
  const box = await padBox(page);
  const w = size * 0.8;
  return strokes.map((s) =>
    s.map(
      ([x, y]) =>
        [box.x + (left + x * w) * box.width, box.y + (top + y * size) * box.height] as [
          number,
          number,
        ],
    ),
  );
}

/** Draws strokes with the mouse, moving in small steps as a hand would. */
export async function drawWithMouse(page: Page, strokes: [number, number][][]) {
  for (const stroke of strokes) {
    await page.mouse.move(...stroke[0]);
    await page.mouse.down();
    for (const p of stroke.slice(1)) await page.mouse.move(p[0], p[1], { steps: 2 });
    await page.mouse.up();
  }
}

/** Where most tests draw: a little left of centre, three quarters of the pad high. */
const PLACEMENT: [number, number, number] = [0.15, 0.1, 0.75];

/** Draws `digit` (from DIGIT_STROKES) with the mouse at a placement [left, top, size] on the pad. */
export async function drawDigit(page: Page, digit: number, placement = PLACEMENT) {
  await drawWithMouse(page, await toPage(page, DIGIT_STROKES[digit], placement));
}

/** Draws strokes with touch events through the DevTools protocol (pointerType "touch"). */
export async function drawWithTouch(page: Page, strokes: [number, number][][]) {
  const cdp = await page.context().newCDPSession(page);
  for (const stroke of strokes) {
    const at = ([x, y]: [number, number]) => [{ x, y, id: 1 }];
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchStart', touchPoints: at(stroke[0]) });
    for (const p of stroke.slice(1))
      await cdp.send('Input.dispatchTouchEvent', { type: 'touchMove', touchPoints: at(p) });
    await cdp.send('Input.dispatchTouchEvent', { type: 'touchEnd', touchPoints: [] });
  }
  await cdp.detach();
}

/** Waits until the prediction for the finished drawing is shown and returns the big label. */
export async function settledPrediction(page: Page): Promise<string> {
  const out = page.getByTestId('prediction');
  await expect(out).toHaveAttribute('data-busy', 'false');
  return ((await out.locator('.label').textContent()) ?? '').trim();
}
