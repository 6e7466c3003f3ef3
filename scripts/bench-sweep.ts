/**
 * `npm run bench:sweep`: runs the benchmark page's sweep (default setup, or the query in $QUERY, e.g.
 * "batches=1,8&runs=5") on the production build in headless Chromium, and prints the results as Markdown:
 * median latency and throughput per backend × batch size, start-up and memory per backend, and how many
 * times slower than the fastest backend each one is at batch 1.
 */
import { readFileSync } from 'node:fs';
import type { Browser } from '@playwright/test';
import type { BenchRun } from '../src/lib/bench/results.ts';
import { ms } from '../src/lib/format.ts';
import { runIfMain, withServedBuild } from './bench-harness.ts';

/** Runs one sweep through the page and returns its JSON export. */
export async function benchSweep(
  browser: Browser,
  url: string,
  query: string,
  timeoutMs = 30 * 60_000,
): Promise<BenchRun> {
  const context = await browser.newContext({ acceptDownloads: true });
  try {
    const page = await context.newPage();
    await page.goto(`${url}#/bench?${query}`);
    await page.getByRole('button', { name: 'Run benchmark' }).click();
    await page
      .getByTestId('bench-status')
      .filter({ hasText: /^Done/ })
      .waitFor({ timeout: timeoutMs });
    const [download] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('button', { name: 'Export JSON' }).click(),
    ]);
    return JSON.parse(readFileSync((await download.path())!, 'utf8')) as BenchRun;
  } finally {
    await context.close();
  }
}

const rate = (r: number) => (r >= 100 ? r.toFixed(0) : r.toFixed(1));

/** The sweep as Markdown tables. */
export function sweepMarkdown(run: BenchRun): string {
  const ok = run.results.filter((r) => r.batches.length);
  const batches = [...new Set(ok.flatMap((r) => r.batches.map((b) => b.batch)))].sort(
    (a, b) => a - b,
  );
  const cell = (r: (typeof ok)[number], batch: number) => {
    const b = r.batches.find((x) => x.batch === batch);
    return b ? `${ms(b.medianMs)} · ${rate(b.throughput)}/s` : '–';
  };
  const at1 = ok.map((r) => ({
    backend: r.backend,
    ms: r.batches.find((b) => b.batch === Math.min(...batches))?.medianMs ?? NaN,
  }));
  const best = Math.min(...at1.map((x) => x.ms));
  return [
    `Model: ${run.model.name}; ${run.setup.warmupRuns} warm-up + ${run.setup.timedRuns} timed runs per cell; measured in ${run.environment.measuredIn}; GPU: ${run.environment.gpu || 'none exposed'}.`,
    '',
    `| backend | ${batches.map((b) => `batch ${b}`).join(' | ')} |`,
    `|---|${batches.map(() => '---').join('|')}|`,
    ...ok.map((r) => `| ${r.backend} | ${batches.map((b) => cell(r, b)).join(' | ')} |`),
    '',
    '| backend | init | model load | first inference | leaked tensors | × the fastest, batch ' +
      Math.min(...batches) +
      ' |',
    '|---|---|---|---|---|---|',
    ...run.results.map((r) => {
      const x = at1.find((a) => a.backend === r.backend);
      const ratio =
        x && Number.isFinite(x.ms) ? `${(x.ms / best).toFixed(1)}×` : (r.reason ?? r.status);
      return `| ${r.backend} | ${ms(r.initMs)} | ${ms(r.loadMs)} | ${ms(r.firstInferenceMs)} | ${r.memory?.leakedTensors ?? '–'} | ${ratio} |`;
    }),
    '',
    'Cells: median latency of one prediction of the whole batch (result read back) · throughput in images/s.',
  ].join('\n');
}

runIfMain(import.meta.url, async () => {
  console.log(
    sweepMarkdown(
      await withServedBuild((browser, url) => benchSweep(browser, url, process.env.QUERY ?? '')),
    ),
  );
});
