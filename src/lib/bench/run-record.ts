/**
 * A benchmark run's record, as pure functions: the plan the worker times, the run as it starts, the run as it
 * ends (backends that never ran are marked cancelled), and the one-line outcome.
 */
import type { BackendName } from '../ml/backend-names.ts';
import {
  partialResults,
  type BackendResult,
  type Reference,
  type TimingPlan,
} from '../ml/timing.ts';
import {
  RESULT_FORMAT,
  RESULT_VERSION,
  type BenchRun,
  type Environment,
  type ModelInfo,
} from './results.ts';
import type { BenchSetup } from './setup.ts';

/**
 * The timing plan of a sweep: every backend × batch size, fixed warm-up and timed runs, with profiling, and
 * each backend checked on the held-out digits first when there are some (the bundled model).
 */
export function sweepPlan(
  setup: BenchSetup,
  inputShape: number[],
  reference: Reference | null = null,
): TimingPlan {
  return {
    backends: setup.backends,
    batches: setup.batches,
    inputShape,
    warmupRuns: setup.warmupRuns,
    runs: { min: setup.timedRuns, max: setup.timedRuns, budgetMs: Infinity },
    cutoff: null,
    profile: true,
    reference,
  };
}

/** A new run of `setup` on `backends` (the available ones), before any result. */
export function newRun(
  setup: BenchSetup,
  backends: BackendName[],
  model: ModelInfo,
  environment: Environment,
  at: { id: string; now: number; label: string },
): BenchRun {
  return {
    format: RESULT_FORMAT,
    version: RESULT_VERSION,
    id: at.id,
    createdAt: at.now,
    label: `${at.label} · ${model.name}`,
    setup: { ...setup, backends },
    model,
    environment,
    results: [],
    complete: false,
  };
}

/** How a run ended. */
export type Outcome = 'done' | 'cancelled' | 'failed';

/** The run as it ended: its results, every backend that did not finish marked cancelled. */
export function finishRun(
  run: BenchRun,
  finished: readonly BackendResult[],
  outcome: Outcome,
): BenchRun {
  const results = partialResults(run.setup.backends, finished, new Set(), 'cancelled', {
    running: 'Cancelled before it finished',
    waiting: 'Cancelled before it ran',
  });
  return { ...run, results, complete: outcome === 'done' };
}

/** The one line shown after a run. */
export function outcomeLine(run: BenchRun, outcome: Outcome): string {
  if (outcome === 'cancelled') return 'Cancelled; the results so far are kept.';
  const count = (status: string) => run.results.filter((r) => r.status === status).length;
  const plural = (n: number) => `${n} backend${n === 1 ? '' : 's'}`;
  const what = `${count('ok')} of ${plural(run.results.length)} measured`;
  if (outcome === 'failed') return `Stopped: the benchmark worker broke (${what}).`;
  const problems = [
    count('failed') && `${plural(count('failed'))} failed`,
    count('incorrect') && `${plural(count('incorrect'))} gave wrong results`,
  ].filter(Boolean);
  return `Done${problems.length ? ` (${problems.join(', ')})` : ''}: ${what}.`;
}
