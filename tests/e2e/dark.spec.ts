/** The ink on the pad stands out from the pad in both colour schemes (it was black on black in dark mode). */
import { expect, test } from '@playwright/test';
import { drawDigit, settledPrediction } from './draw.ts';
import { waitForRecognizer } from './pwa.ts';

/** WCAG contrast ratio of two sRGB colours given as [r, g, b], 0–255. */
function contrast(a: number[], b: number[]): number {
  const lum = (c: number[]) => {
    const [r, g, bl] = c.map((v) => {
      const s = v / 255;
      return s <= 0.03928 ? s / 12.92 : ((s + 0.055) / 1.055) ** 2.4;
    });
    return 0.2126 * r + 0.7152 * g + 0.0722 * bl;
  };
  const [hi, lo] = [lum(a), lum(b)].sort((x, y) => y - x);
  return (hi + 0.05) / (lo + 0.05);
}

for (const colorScheme of ['dark', 'light'] as const) {
  test.describe(`${colorScheme} scheme`, () => {
    test.use({ colorScheme });

    test('drawn ink differs from the pad by at least 4.5:1', async ({ page }) => {
      await page.goto('./');
      await waitForRecognizer(page);
      await drawDigit(page, 1);
      expect(await settledPrediction(page)).toBe('1');
      const { ink, pad } = await page.getByLabel(/drawing pad/i).evaluate((el) => {
        const canvas = el as HTMLCanvasElement;
        const data = canvas.getContext('2d')!.getImageData(0, 0, canvas.width, canvas.height).data;
        // The ink is wherever the canvas is fully opaque; the pad is the canvas' own background.
        let i = 3;
        while (i < data.length && data[i] < 255) i += 4;
        const ink = i < data.length ? [data[i - 3], data[i - 2], data[i - 1]] : null;
        const pad = getComputedStyle(canvas).backgroundColor.match(/\d+/g)!.slice(0, 3).map(Number);
        return { ink, pad };
      });
      expect(ink).not.toBeNull();
      expect(contrast(ink!, pad)).toBeGreaterThanOrEqual(4.5);
    });
  });
}
