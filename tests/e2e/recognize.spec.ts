import { expect, test } from '@playwright/test';
import { DIGIT_STROKES, PLACEMENTS, STYLE_STROKES } from '../../scripts/digit-strokes.ts';
import { drawDigit, drawWithMouse, drawWithTouch, settledPrediction, toPage } from './draw.ts';

test.beforeEach(async ({ page }) => {
  await page.goto('./');
  await expect(page.getByTestId('backend')).toContainText('Backend:');
});

test('recognizes each digit 0–9 drawn with the mouse at different sizes and positions', async ({
  page,
}) => {
  const results: string[] = [];
  for (let digit = 0; digit <= 9; digit++) {
    await page.getByRole('button', { name: 'Clear' }).click();
    await drawDigit(page, digit, PLACEMENTS[digit]);
    const label = await settledPrediction(page);
    const top = await page.getByTestId('prediction').locator('.confidence').textContent();
    results.push(`${digit}→${label} (${top})`);
    test.info().annotations.push({ type: 'digit', description: `${digit} → ${label}, ${top}` });
  }
  console.log(results.join('\n'));
  expect(results.map((r) => r.slice(0, 3))).toEqual(DIGIT_STROKES.map((_, d) => `${d}→${d}`));
});

test('reads handwriting styles MNIST rarely has: 1s with a long flag, a flag and a base, a base; a crossed 7', async ({
  page,
}) => {
  const results: string[] = [];
  for (const { name, digit, strokes } of STYLE_STROKES) {
    await page.getByRole('button', { name: 'Clear' }).click();
    await drawWithMouse(page, await toPage(page, strokes, [0.2, 0.1, 0.75]));
    results.push(`${name} → ${await settledPrediction(page)} (${digit})`);
  }
  expect(results).toEqual(STYLE_STROKES.map((s) => `${s.name} → ${s.digit} (${s.digit})`));
});

test('an empty pad predicts nothing; Clear and Escape reset the prediction', async ({ page }) => {
  const out = page.getByTestId('prediction');
  await expect(out.getByLabel('No prediction')).toBeVisible();
  await expect(page.getByRole('meter', { name: 'Digit 7' })).toHaveAttribute('aria-valuenow', '0');

  await drawDigit(page, 7, PLACEMENTS[7]);
  expect(await settledPrediction(page)).toBe('7');
  await page.getByRole('button', { name: 'Clear' }).click();
  await expect(out.getByLabel('No prediction')).toBeVisible();
  await expect(page.getByRole('meter', { name: 'Digit 7' })).toHaveAttribute('aria-valuenow', '0');

  await drawDigit(page, 1, PLACEMENTS[1]);
  expect(await settledPrediction(page)).toBe('1');
  await page.keyboard.press('Escape');
  await expect(out.getByLabel('No prediction')).toBeVisible();
  await drawDigit(page, 4, PLACEMENTS[4]);
  expect(await settledPrediction(page)).toBe('4');
  await page.keyboard.press('Delete');
  await expect(out.getByLabel('No prediction')).toBeVisible();
});

test.describe('on a touch screen', () => {
  test.use({ hasTouch: true, isMobile: true, viewport: { width: 390, height: 844 } });

  test('drawing with a finger recognizes the digit', async ({ page }) => {
    const kinds: string[] = [];
    await page.exposeFunction('recordPointer', (t: string) => kinds.push(t));
    await page
      .getByLabel(/drawing pad/i)
      .evaluate((el) =>
        el.addEventListener('pointerdown', (e) =>
          (window as unknown as { recordPointer(t: string): void }).recordPointer(
            (e as PointerEvent).pointerType,
          ),
        ),
      );
    await drawWithTouch(page, await toPage(page, DIGIT_STROKES[3], [0.15, 0.1, 0.75]));
    expect(await settledPrediction(page)).toBe('3');
    await page.reload();
    await expect(page.getByTestId('backend')).toContainText('Backend:');
    await drawWithTouch(page, await toPage(page, DIGIT_STROKES[7], [0.2, 0.2, 0.6]));
    expect(await settledPrediction(page)).toBe('7');
    expect(kinds).toContain('touch');
    expect(kinds).not.toContain('mouse');
  });
});
