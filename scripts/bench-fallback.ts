/**
 * The recognizer's fallback on a broken backend, timed as a user sees it: the recognizer runs on WebGL (the
 * user picked it), its WebGL context is lost (as after a GPU reset), and the next drawing's stroke end →
 * probabilities shown is timed — the failure, the switch to the next backend and the prediction on it.
 */
import type { Browser } from '@playwright/test';
import { computeWorkers } from './compute-workers.ts';
import { median } from '../src/lib/ml/stats.ts';
import { drawAndTime, watchStrokes } from './bench-draw.ts';
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

async function once(
  browser: Browser,
  url: string,
): Promise<Omit<FallbackReport, 'times' | 'medianMs'> & { ms: number }> {
  const context = await browser.newContext({ viewport: { width: 1000, height: 800 } });
  try {
    const page = await context.newPage();
    // The recognizer's worker (replaced when the app tunes WASM's threads) keeps its WebGL contexts for us.
    const recognizer = computeWorkers(page, 'recognizer', WEBGL.keep);
    await page.goto(url);
    await page.waitForSelector('[data-testid="backend"][data-state="measured"]', {
      timeout: 120_000,
    });
    await page.getByTestId('backend').click();
    await page.getByRole('button', { name: 'Use WebGL' }).click();
    await page.waitForSelector(
      '[data-testid="backend"][data-state="pinned"][data-backend="webgl"]',
    );
    await page.getByTestId('backend').click(); // close the measurements, which cover the pad here
    await watchStrokes(page);
    await drawAndTime(page, 1);
    const beforeMs = (await drawAndTime(page, 1)) ?? NaN;
    if ((await recognizer.latest().evaluate(WEBGL.lose)) === 0)
      throw new Error('no WebGL context to lose');
    const ms = (await drawAndTime(page, 7)) ?? NaN;
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
