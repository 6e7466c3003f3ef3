/**
 * `npm run bench:startup`: how fast the production build is ready, and whether it picks the right backend.
 *
 * Serves dist/ (built if missing) with isolation headers, drives headless Chromium (WebGPU on SwiftShader),
 * and for each of a few runs measures, from the page's own performance marks:
 * - first visit (fresh profile): navigation → first prediction possible, backend chosen by the start-up
 *   measurement, and when that measurement ended;
 * - repeat visit (offline, from the service worker and IndexedDB): navigation → first prediction possible,
 *   twice: a reload right after the first visit (the browser is still tearing down the old page and its workers,
 *   which delays the new page's scripts by 0.1–0.9 s here), and a return visit in a new tab 2 s after the first
 *   one was closed.
 * Then asks the page for a full measurement of every backend (the "Re-measure backends" button) and reports
 * chosen/best: the chosen backend's median over the best median, both from that same full measurement.
 */
import type { Browser, Page } from '@playwright/test';
import { median } from '../src/lib/ml/stats.ts';
import { MARKS } from '../src/lib/marks.ts';
import { runIfMain, withServedBuild } from './bench-harness.ts';

const TIMEOUT = 120_000;

export interface BackendRow {
  backend: string;
  status: string;
  medianMs: number | null;
}

export interface StartupRun {
  firstReadyMs: number;
  firstSelectedMs: number;
  chosen: string;
  repeatReadyMs: number;
  repeatState: string;
  returnReadyMs: number;
}

export interface StartupReport {
  runs: StartupRun[];
  full: BackendRow[];
  chosen: string;
  best: string;
  ratio: number;
}

async function mark(page: Page, name: string): Promise<number> {
  await page.waitForFunction((n) => performance.getEntriesByName(n).length > 0, name, {
    timeout: TIMEOUT,
  });
  return page.evaluate((n) => performance.getEntriesByName(n)[0].startTime, name);
}

async function rows(page: Page): Promise<BackendRow[]> {
  const badge = page.getByTestId('backend');
  if ((await badge.getAttribute('aria-expanded')) !== 'true') await badge.click();
  return page.getByTestId('measurement').evaluateAll((trs) =>
    trs.map((tr) => ({
      backend: tr.getAttribute('data-backend') ?? '',
      status: tr.getAttribute('data-status') ?? '',
      medianMs: tr.getAttribute('data-median') ? Number(tr.getAttribute('data-median')) : null,
    })),
  );
}

/** One first visit and one offline repeat visit in a fresh profile; `full` also runs a full measurement. */
async function visit(
  browser: Browser,
  url: string,
  full: boolean,
): Promise<{ run: StartupRun; full: BackendRow[] }> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    const firstReadyMs = await mark(page, MARKS.ready);
    const firstSelectedMs = await mark(page, MARKS.selected);
    const chosen = (await page.getByTestId('backend').getAttribute('data-backend')) ?? '?';
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 50));
    });
    let fullRows: BackendRow[] = [];
    if (full) {
      await rows(page);
      await page.getByRole('button', { name: 'Re-measure backends' }).click();
      await page.waitForSelector('[data-testid="backend"][data-state="measured"]', {
        timeout: TIMEOUT,
      });
      fullRows = await rows(page);
    }
    await context.setOffline(true);
    await page.reload();
    const repeatReadyMs = await mark(page, MARKS.ready);
    const repeatState = (await page.getByTestId('backend').getAttribute('data-state')) ?? '?';
    await page.close();
    await new Promise((r) => setTimeout(r, 2000));
    const tab = await context.newPage();
    await tab.goto(url);
    const returnReadyMs = await mark(tab, MARKS.ready);
    return {
      run: { firstReadyMs, firstSelectedMs, chosen, repeatReadyMs, repeatState, returnReadyMs },
      full: fullRows,
    };
  } finally {
    await context.close();
  }
}

/** Runs `n` fresh-profile visits against `url`; the last one also measures every backend in full. */
export async function benchStartup(browser: Browser, url: string, n = 3): Promise<StartupReport> {
  const runs: StartupRun[] = [];
  let full: BackendRow[] = [];
  for (let i = 0; i < n; i++) {
    const result = await visit(browser, url, i === n - 1);
    runs.push(result.run);
    if (result.full.length) full = result.full;
  }
  const timed = full.filter((r) => r.medianMs !== null);
  const best = timed.reduce((a, b) => (b.medianMs! < a.medianMs! ? b : a));
  const chosen = runs[runs.length - 1].chosen;
  const chosenRow = timed.find((r) => r.backend === chosen);
  return {
    runs,
    full,
    chosen,
    best: best.backend,
    ratio: chosenRow ? chosenRow.medianMs! / best.medianMs! : NaN,
  };
}

const f = (ms: number) => `${ms.toFixed(0)} ms`;

/** The report as Markdown. */
export function startupMarkdown(r: StartupReport): string {
  const lines = [
    '| run | first visit: ready | first visit: backend chosen at | chosen | repeat visit (offline reload): ready | repeat uses | return visit (offline, new tab): ready |',
    '|---|---|---|---|---|---|---|',
    ...r.runs.map(
      (x, i) =>
        `| ${i + 1} | ${f(x.firstReadyMs)} | ${f(x.firstSelectedMs)} | ${x.chosen} | ${f(x.repeatReadyMs)} | ${x.repeatState} choice | ${f(x.returnReadyMs)} |`,
    ),
    `| **median** | **${f(median(r.runs.map((x) => x.firstReadyMs)))}** | **${f(median(r.runs.map((x) => x.firstSelectedMs)))}** | | **${f(median(r.runs.map((x) => x.repeatReadyMs)))}** | | **${f(median(r.runs.map((x) => x.returnReadyMs)))}** |`,
    '',
    'Full measurement (every backend timed, batch 1, same run):',
    '',
    '| backend | median |',
    '|---|---|',
    ...r.full.map(
      (x) => `| ${x.backend} | ${x.medianMs === null ? '–' : `${x.medianMs.toFixed(2)} ms`} |`,
    ),
    '',
    `chosen/best = ${r.chosen} / ${r.best} = **${r.ratio.toFixed(2)}** (goal ≤ 1.10)`,
    '',
    'Times are from navigation start to the performance mark; "ready" = the first prediction is possible.',
  ];
  return lines.join('\n');
}

runIfMain(import.meta.url, async () => {
  const report = await withServedBuild((browser, url) =>
    benchStartup(browser, url, Number(process.env.RUNS ?? 3)),
  );
  console.log(startupMarkdown(report));
});
