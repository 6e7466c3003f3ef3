/**
 * WASM per thread count, as the benchmark page measures it ("Measure WASM threads"): batch 1 and 256 medians
 * for 1 … 4 threads (up to the cores), each count in a worker of its own, and the speed-up over one thread.
 * Part of `npm run bench`; alone: `npx tsx scripts/bench-threads.ts`.
 */
import type { Browser } from '@playwright/test';
import { ms } from '../src/lib/format.ts';
import { runIfMain, withServedBuild } from './bench-harness.ts';

export interface ThreadsReport {
  rows: { threads: number; actual: number; small: number; large: number }[];
  /** Median at batch 1 and 256 with one thread ÷ with two (> 1: two are faster). */
  speedup2: { small: number; large: number } | null;
}

export async function benchThreads(browser: Browser, url: string): Promise<ThreadsReport> {
  const context = await browser.newContext();
  try {
    const page = await context.newPage();
    await page.goto(url);
    await page.evaluate(async () => {
      await navigator.serviceWorker.ready;
      while (!navigator.serviceWorker.controller) await new Promise((r) => setTimeout(r, 50));
    });
    // Threads need cross-origin isolation, which the service worker gives from the next load on.
    await page.goto(`${url}#/bench?warmup=3&runs=30`);
    await page.reload();
    await page.getByRole('button', { name: 'Measure WASM threads' }).click();
    await page.getByRole('button', { name: 'Measure WASM threads' }).waitFor({ timeout: 300_000 });
    const rows = await page.getByTestId('threads-row').evaluateAll((trs) =>
      trs.map((tr) => ({
        threads: Number(tr.getAttribute('data-threads')),
        actual: Number(tr.getAttribute('data-actual')),
        small: Number(tr.getAttribute('data-small')),
        large: Number(tr.getAttribute('data-large')),
      })),
    );
    const [one, two] = [rows.find((r) => r.threads === 1), rows.find((r) => r.threads === 2)];
    return {
      rows,
      speedup2: one && two ? { small: one.small / two.small, large: one.large / two.large } : null,
    };
  } finally {
    await context.close();
  }
}

export function threadsMarkdown(t: ThreadsReport): string {
  const lines = [
    '| threads (real) | batch 1 median | batch 256 median | images/s at 256 |',
    '|---|---|---|---|',
    ...t.rows.map(
      (r) =>
        `| ${r.threads} (${r.actual}) | ${ms(r.small)} | ${ms(r.large)} | ${Math.round((256 * 1000) / r.large).toLocaleString('en')} |`,
    ),
  ];
  if (t.speedup2) {
    const { small, large } = t.speedup2;
    lines.push(
      '',
      `2 threads vs 1: ${large.toFixed(2)}× at batch 256 (goal ≥ 1.6 ${large >= 1.6 ? '✅' : '❌'}), ` +
        `${small.toFixed(2)}× at batch 1 (goal: no slower, ≥ 0.95 ${small >= 0.95 ? '✅' : '❌'})`,
    );
  }
  return lines.join('\n');
}

runIfMain(import.meta.url, async () => {
  const report = await withServedBuild((browser, url) => benchThreads(browser, url));
  console.log(threadsMarkdown(report));
});
