/**
 * The recognizer's fallback on a broken backend, timed as a user sees it: the recognizer runs on WebGL (the
 * user picked it), its WebGL context is lost (as after a GPU reset), and the next drawing's stroke end →
 * probabilities shown is timed — the failure, the switch to the next backend and the prediction on it.
 */
import type { Browser, Page, Worker } from '@playwright/test';
import { median } from '../src/lib/ml/stats.ts';
import { DIGIT_STROKES } from './digit-strokes.ts';
import { GPU_FAULTS } from './gpu-faults.ts';

export interface FallbackReport {
  /** Stroke end → probabilities shown, per try (ms). */
  times: number[];
  medianMs: number;
  /** The backend predictions moved to, and the notice shown. */
  switchedTo: string;
  notice: string;
  /** The same drawing's time on the working backend before the loss (ms), for comparison. */
  beforeMs: number;
}

const WEBGL = GPU_FAULTS[0];

/** Draws `digit` with the mouse; returns stroke end → prediction shown (ms), as the page's clock saw it. */
async function drawAndTime(page: Page, digit: number): Promise<number> {
  const box = (await page.getByLabel(/drawing pad/i).boundingBox())!;
  const before = await page.getByTestId('prediction').getAttribute('data-count');
  await page.keyboard.press('Escape');
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
    const w = window as unknown as { __ends: number[]; __shown: number[] };
    const end = w.__ends[w.__ends.length - 1];
    return w.__shown.filter((s) => s >= end).pop()! - end;
  });
}

async function once(
  browser: Browser,
  url: string,
): Promise<Omit<FallbackReport, 'times' | 'medianMs'> & { ms: number }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  try {
    const page = await context.newPage();
    const recognizer = new Promise<Worker>((resolve) =>
      page.on('worker', (w) => {
        const setup = `self.name === 'recognizer' && ((${WEBGL.keep.toString()})(), true)`;
        void w.evaluate(setup).then(
          (yes) => yes && resolve(w),
          () => {},
        );
      }),
    );
    await page.goto(url);
    await page.waitForSelector('[data-testid="backend"][data-state="measured"]', {
      timeout: 120_000,
    });
    await page.getByTestId('backend').click();
    await page.getByRole('button', { name: 'Use WebGL' }).click();
    await page.waitForSelector(
      '[data-testid="backend"][data-state="pinned"][data-backend="webgl"]',
    );
    await page.evaluate(() => {
      const w = window as unknown as { __ends: number[]; __shown: number[] };
      w.__ends = [];
      w.__shown = [];
      document
        .querySelector('[aria-label^="Drawing pad"]')!
        .addEventListener('pointerup', () => w.__ends.push(performance.now()), { capture: true });
      new MutationObserver(() => w.__shown.push(performance.now())).observe(
        document.querySelector('[data-testid="prediction"]')!,
        { attributes: true, attributeFilter: ['data-count'] },
      );
    });
    await drawAndTime(page, 1);
    const beforeMs = await drawAndTime(page, 1);
    if ((await (await recognizer).evaluate(WEBGL.lose)) === 0)
      throw new Error('no WebGL context to lose');
    const ms = await drawAndTime(page, 7);
    return {
      ms,
      beforeMs,
      switchedTo: (await page.getByTestId('backend').getAttribute('data-backend')) ?? '?',
      notice: (await page.getByTestId('notice').textContent()) ?? '',
    };
  } finally {
    await context.close();
  }
}

/** `tries` fresh visits, each losing the WebGL context once. */
export async function benchFallback(
  browser: Browser,
  url: string,
  tries = 3,
): Promise<FallbackReport> {
  const runs = [];
  for (let i = 0; i < tries; i++) runs.push(await once(browser, url));
  const times = runs.map((r) => r.ms);
  const last = runs[runs.length - 1];
  return {
    times,
    medianMs: median(times),
    switchedTo: last.switchedTo,
    notice: last.notice,
    beforeMs: median(runs.map((r) => r.beforeMs)),
  };
}
