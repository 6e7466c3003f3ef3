/**
 * The one timing engine: start-up backend measurement and benchmark sweeps are both a `TimingPlan` run here,
 * and both give `BackendResult`s. Pure logic: the real predictions are done by an injected `Runner` (tfjs in
 * the compute worker, made-up timings in unit tests), and the clock is injected too.
 *
 * Per backend: start it and load the model (timed apart), a first inference at batch 1 (shader compilation on
 * GPUs; recorded apart as the warm-up), then per batch size the warm-up runs and the timed runs, each a
 * prediction with its result read back. A start-up plan has cut-offs, so a slow software GPU cannot stall it:
 * - a backend whose first timed run is over `factor` × the best median so far is not timed further;
 * - a backend whose warm-up ends after the plan's budget is not timed further.
 * With held-out reference digits, each backend is first checked against the CPU backend's probabilities; one
 * that disagrees beyond the tolerance is reported as incorrect and not timed (so never chosen).
 */
export type { Reference } from './correctness.ts';
import type { BackendName } from './backend-names.ts';
import { summarize, type Summary } from './stats.ts';
import {
  compareWithReference,
  distrustReason,
  type Correctness,
  type Reference,
} from './correctness.ts';
import { errorMessage } from '../errors.ts';
import { ms } from '../format.ts';

/** What to time. */
export interface TimingPlan {
  backends: BackendName[];
  /** Batch sizes, timed smallest first. */
  batches: number[];
  /** Input shape without the batch dimension. */
  inputShape: number[];
  /** Untimed runs per batch size, after the first inference. */
  warmupRuns: number;
  /** Timed runs per batch size: at least `min`, at most `max`, and no more once `budgetMs` is spent. */
  runs: { min: number; max: number; budgetMs: number };
  /** Start-up cut-offs (see above); null times everything in full. */
  cutoff: { factor: number; budgetMs: number } | null;
  /** Also record memory, the peak at the largest batch, the top kernels and leaked tensors (slower). */
  profile: boolean;
  /** Held-out digits to check each backend's results with (the bundled model only); null: no check. */
  reference?: Reference | null;
}

export interface BatchResult extends Summary {
  batch: number;
}

export interface MemoryReport {
  /** tf.memory() after warm-up. */
  bytes: number;
  tensors: number;
  /** GPU bytes, where the backend reports them (WebGL, WebGPU); null elsewhere. */
  gpuBytes: number | null;
  /** tf.profile of one prediction at the largest batch: peak bytes and tensors it left. */
  peakBytes: number | null;
  newTensors: number | null;
  profiledBatch: number | null;
  /** Tensors the whole run left behind on this backend (must be 0). */
  leakedTensors: number;
}

export interface KernelTime {
  name: string;
  ms: number;
  calls: number;
}

/**
 * How one backend fared. ok: timed as planned; cut: stopped early (slower by far, or out of budget);
 * failed: threw; incorrect: its results disagree with the CPU backend's; cancelled: the user stopped the run
 * first; unavailable: not on this device.
 */
export type ResultStatus = 'ok' | 'cut' | 'failed' | 'incorrect' | 'cancelled' | 'unavailable';

export interface BackendResult {
  backend: BackendName;
  status: ResultStatus;
  /** Why it was cut, failed, cancelled or is unavailable. */
  reason?: string;
  initMs?: number;
  loadMs?: number;
  /** First prediction (batch 1): includes shader compilation on GPU backends. */
  firstInferenceMs?: number;
  /** Per batch size, smallest first (for a cut backend, the few runs it made). */
  batches: BatchResult[];
  memory?: MemoryReport;
  topKernels?: KernelTime[];
  /** The check on the held-out digits, when the plan had them. */
  correctness?: Correctness;
}

/** Runs real predictions on one backend at a time. */
export interface Runner {
  /** Starts `backend` and loads the model on it; the two times in ms. */
  prepare(backend: BackendName): Promise<{ initMs: number; loadMs: number }>;
  /** One prediction of a batch of `batch`, result read back; its time in ms. */
  time(backend: BackendName, batch: number): Promise<number>;
  /** Memory now (after warm-up). */
  memory(
    backend: BackendName,
  ): Promise<Omit<MemoryReport, 'peakBytes' | 'newTensors' | 'profiledBatch' | 'leakedTensors'>>;
  /** Peak bytes and new tensors of one prediction of `batch`. */
  profile(backend: BackendName, batch: number): Promise<{ peakBytes: number; newTensors: number }>;
  /** The kernels of one batch-1 prediction, slowest first. */
  kernels(backend: BackendName): Promise<KernelTime[]>;
  /** Probabilities for `count` inputs (count × 10 values), in one batch, result read back. */
  predictAll(backend: BackendName, inputs: Float32Array, count: number): Promise<Float32Array>;
  /** Frees the backend's model and inputs; returns the tensors left behind since `prepare`. */
  release(backend: BackendName): Promise<number>;
}

/** Where a run is: the worker reports its own done/total (predictions). */
export interface TimingProgress {
  backend: BackendName;
  batch: number | null;
  phase: 'init' | 'warm-up' | 'timed' | 'profile';
  /** Run `run` of `of` in this phase (warm-up and timed runs; 0 of 0 elsewhere). */
  run: number;
  of: number;
  done: number;
  total: number;
}

/** What a run reports while it goes. */
export type TimingEvent =
  | { type: 'start'; backend: BackendName }
  | { type: 'result'; result: BackendResult }
  | { type: 'progress'; progress: TimingProgress };

/** The start-up measurement: batch 1, a few runs, cut-offs, 1.5 s in all. */
export const STARTUP_PLAN: Omit<TimingPlan, 'backends' | 'inputShape'> = {
  batches: [1],
  warmupRuns: 0,
  runs: { min: 5, max: 30, budgetMs: 150 },
  cutoff: { factor: 3, budgetMs: 1500 },
  profile: false,
};

/** A measurement the user asked for: every backend timed in full, batch 1. */
export const FULL_PLAN: Omit<TimingPlan, 'backends' | 'inputShape'> = {
  ...STARTUP_PLAN,
  runs: { min: 10, max: 50, budgetMs: 400 },
  cutoff: null,
};

/** The backends a start-up budget cut, timed to the end in idle time: the start-up's runs, no cut-offs. */
export const COMPLETION_PLAN: Omit<TimingPlan, 'backends' | 'inputShape'> = {
  ...STARTUP_PLAN,
  cutoff: null,
};

/** WASM per thread count: a few runs per batch size, no cut-offs (each count runs in its own worker). */
export const THREADS_PLAN: Omit<TimingPlan, 'backends' | 'inputShape'> = {
  ...FULL_PLAN,
  runs: { min: 5, max: 20, budgetMs: 250 },
};

/** Predictions a plan makes at most (first inferences included): the progress bar's total. */
export function plannedPredictions(plan: TimingPlan): number {
  return plan.backends.length * (1 + plan.batches.length * (plan.warmupRuns + plan.runs.max));
}

const sorted = (batches: readonly number[]) => [...new Set(batches)].sort((a, b) => a - b);

/** Runs `plan` on `runner`, backend by backend; one backend failing never stops the others. */
export async function runPlan(
  plan: TimingPlan,
  runner: Runner,
  emit: (e: TimingEvent) => void = () => {},
  now: () => number = () => performance.now(),
): Promise<BackendResult[]> {
  const batches = sorted(plan.batches);
  const first = batches[0];
  const total = plannedPredictions(plan);
  const results: BackendResult[] = [];
  const started = now();
  let done = 0;
  const progress = (
    backend: BackendName,
    batch: number | null,
    phase: TimingProgress['phase'],
    run = 0,
    of = 0,
  ) => emit({ type: 'progress', progress: { backend, batch, phase, run, of, done, total } });
  /** The best batch-1 median so far: the bar the cut-offs measure against. */
  const best = () =>
    Math.min(
      ...results.filter((r) => r.status === 'ok').map((r) => r.batches[0]?.medianMs ?? Infinity),
    );

  for (const backend of plan.backends) {
    const result: BackendResult = { backend, status: 'ok', batches: [] };
    const doneBefore = done;
    emit({ type: 'start', backend });
    try {
      progress(backend, null, 'init');
      Object.assign(result, await runner.prepare(backend));
      result.firstInferenceMs = await runner.time(backend, 1);
      done++;
      if (plan.reference) {
        const { inputs, labels } = plan.reference;
        const probs = await runner.predictAll(backend, inputs, labels.length);
        result.correctness = compareWithReference(probs, plan.reference);
        if (!result.correctness.trusted) {
          result.status = 'incorrect';
          result.reason = distrustReason(result.correctness);
        }
      }
      if (plan.profile) result.topKernels = await runner.kernels(backend);
      const bar = best();
      if (result.status !== 'ok') {
        // Not timed: an incorrect backend is never chosen.
      } else if (plan.cutoff && Number.isFinite(bar) && now() - started > plan.cutoff.budgetMs) {
        result.status = 'cut';
        result.reason = `warm-up ${ms(result.firstInferenceMs)} used up the ${ms(plan.cutoff.budgetMs)} start-up budget`;
      }
      let memory: MemoryReport | undefined;
      for (const batch of batches) {
        if (result.status !== 'ok') break;
        for (let i = 0; i < plan.warmupRuns; i++) {
          progress(backend, batch, 'warm-up', i + 1, plan.warmupRuns);
          await runner.time(backend, batch);
          done++;
        }
        if (plan.profile && !memory) {
          memory = {
            ...(await runner.memory(backend)),
            peakBytes: null,
            newTensors: null,
            profiledBatch: null,
            leakedTensors: 0,
          };
        }
        const times: number[] = [];
        const batchStart = now();
        for (;;) {
          progress(backend, batch, 'timed', times.length + 1, plan.runs.max);
          times.push(await runner.time(backend, batch));
          done++;
          if (
            plan.cutoff &&
            batch === first &&
            times.length === 1 &&
            times[0] > plan.cutoff.factor * bar
          ) {
            result.status = 'cut';
            result.reason = `first run ${ms(times[0])}, over ${plan.cutoff.factor}× the best median ${ms(bar)}`;
            break;
          }
          const enough = times.length >= plan.runs.min && now() - batchStart >= plan.runs.budgetMs;
          if (times.length >= plan.runs.max || enough) break;
        }
        result.batches.push({ batch, ...summarize(times, batch) });
        if (memory && batch === batches[batches.length - 1]) {
          progress(backend, batch, 'profile');
          Object.assign(memory, await runner.profile(backend, batch), { profiledBatch: batch });
        }
      }
      result.memory = memory;
    } catch (err) {
      result.status = 'failed';
      result.reason = errorMessage(err);
    }
    const leaked = await runner.release(backend).catch(() => 0);
    if (result.memory) result.memory.leakedTensors = leaked;
    // A backend that stopped early counts as done, so the bar still reaches the end.
    done = doneBefore + total / plan.backends.length;
    results.push(result);
    emit({ type: 'result', result });
  }
  return results;
}

/**
 * The results of a run that ended early (a budget ran out, the user cancelled, the worker died): what each
 * backend had finished, and for the others `status` with why.
 */
export function partialResults(
  backends: readonly BackendName[],
  finished: readonly BackendResult[],
  started: ReadonlySet<BackendName>,
  status: 'cut' | 'cancelled',
  why: { running: string; waiting: string },
): BackendResult[] {
  return backends.map(
    (backend) =>
      finished.find((r) => r.backend === backend) ?? {
        backend,
        status,
        reason: started.has(backend) ? why.running : why.waiting,
        batches: [],
      },
  );
}

/** The batch-`batch` median of a result, if it has one. */
export function medianAt(result: BackendResult, batch = 1): number | undefined {
  return result.batches.find((b) => b.batch === batch)?.medianMs;
}
