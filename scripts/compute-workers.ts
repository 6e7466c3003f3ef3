/** The app's compute workers, seen from a test: each has a name for its job (src/lib/ml/compute-client.ts). */
import type { Page, Worker } from '@playwright/test';

/** Jobs the app runs compute workers for. */
export type ComputeJob = 'recognizer' | 'backend-probe' | 'benchmark';

/**
 * Resolves with the page's next compute worker named `job`, once `setup` (if given) has run in it. Page init
 * scripts do not reach workers, so this is how a test prepares a fault inside one (see gpu-faults.ts). Call it
 * before the worker starts (e.g. before page.goto for the recognizer).
 */
export function computeWorker(page: Page, job: ComputeJob, setup?: () => void): Promise<Worker> {
  const check = `self.name === ${JSON.stringify(job)} && (${setup ? `(${setup.toString()})()` : 'void 0'}, true)`;
  return new Promise((resolve) => {
    page.on('worker', (w) => {
      if (!/compute\.worker/.test(w.url())) return;
      void w.evaluate(check).then(
        (match) => match && resolve(w),
        () => {},
      );
    });
  });
}

/**
 * Every compute worker named `job` the page starts (the recognizer's is replaced when the app changes its WASM
 * thread count), each prepared with `setup`; `latest()` is the newest one still running.
 */
export function computeWorkers(page: Page, job: ComputeJob, setup: () => void) {
  const open: Worker[] = [];
  const check = `self.name === ${JSON.stringify(job)} && ((${setup.toString()})(), true)`;
  page.on('worker', (w) => {
    if (!/compute\.worker/.test(w.url())) return;
    void w.evaluate(check).then(
      (match) => {
        if (!match) return;
        open.push(w);
        w.on('close', () => open.splice(open.indexOf(w), 1));
      },
      () => {},
    );
  });
  return {
    latest(): Worker {
      const w = open[open.length - 1];
      if (!w) throw new Error(`no ${job} worker is running`);
      return w;
    },
  };
}

/** Names the page's compute workers as they start, for tests that count them. */
export function watchComputeWorkers(page: Page): { started: string[]; closed: string[] } {
  const seen = { started: [] as string[], closed: [] as string[] };
  page.on('worker', (w) => {
    if (!/compute\.worker/.test(w.url())) return;
    seen.started.push(w.url());
    w.on('close', () => seen.closed.push(w.url()));
  });
  return seen;
}
