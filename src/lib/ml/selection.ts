/**
 * Choosing the backend by measuring it. Pure logic: the timing of real predictions is injected as a `Prober`,
 * and the clock too, so the rules below can be tested on made-up timings.
 *
 * Per candidate: initialise and load the model, run one prediction to warm up (shader compilation happens
 * here and is recorded apart), then time single predictions until a run count or a time budget is reached.
 * The score is the median. Two cut-offs keep a slow software GPU from stalling start-up:
 * - a candidate whose first timed run is more than `cutFactor` × the best median so far is not timed further;
 * - a candidate whose warm-up alone overruns the whole selection budget is not timed further.
 */
import type { BackendName } from './backends.ts';
import { median } from '../bench/stats.ts';
import { errorMessage } from '../errors.ts';

/** How one candidate fared. */
export interface Measurement {
  backend: BackendName;
  /** measured: timed in full; cut: stopped early (slower by far); failed: threw; unavailable: not on this device. */
  status: 'measured' | 'cut' | 'failed' | 'unavailable';
  initMs?: number;
  loadMs?: number;
  /** First prediction, including shader compilation. */
  warmupMs?: number;
  /** Median of the timed predictions (for a cut candidate, of the few it ran). */
  medianMs?: number;
  runs?: number;
  /** Why it was cut, failed or is unavailable. */
  reason?: string;
}

/** Runs real predictions on one backend. */
export interface Prober {
  /** Initialises the backend and loads the model on it; returns the two times in ms. */
  prepare(backend: BackendName): Promise<{ initMs: number; loadMs: number }>;
  /** One prediction (awaiting its result); returns its time in ms. The first call per backend is the warm-up. */
  run(backend: BackendName): Promise<number>;
}

export interface SelectionOptions {
  /** Apply the cut-offs (start-up); off for a full measurement the user asked for. */
  cutoff: boolean;
  /** The whole selection's time budget in ms (only guides the cut-offs and per-candidate budget). */
  budgetMs: number;
  /** Timed runs per candidate: at least `minRuns`, at most `maxRuns`, stopping after `candidateMs`. */
  minRuns: number;
  maxRuns: number;
  candidateMs: number;
  /** A first timed run this many times slower than the best median so far cuts the candidate. */
  cutFactor: number;
}

export const STARTUP_SELECTION: SelectionOptions = {
  cutoff: true,
  budgetMs: 1500,
  minRuns: 5,
  maxRuns: 30,
  candidateMs: 150,
  cutFactor: 3,
};

export const FULL_SELECTION: SelectionOptions = {
  ...STARTUP_SELECTION,
  cutoff: false,
  minRuns: 10,
  maxRuns: 50,
  candidateMs: 400,
};

/** Medians within this fraction of each other count as a tie. */
export const TIE_TOLERANCE = 0.05;

/** On a tie, the backend with fewer ways to fail wins: no GPU context to lose, no driver in the way. */
const TIE_PREFERENCE: BackendName[] = ['wasm', 'webgpu', 'webgl', 'cpu'];

const ms = (t: number) => (t < 10 ? t.toFixed(2) : t.toFixed(0)) + ' ms';

/** Measures each candidate in order; the first should be the provisional backend, as it sets the bar. */
export async function measureCandidates(
  candidates: readonly BackendName[],
  prober: Prober,
  options: SelectionOptions,
  now: () => number = () => performance.now(),
  onProgress: (m: Measurement, phase: 'start' | 'done') => void = () => {},
): Promise<Measurement[]> {
  const results: Measurement[] = [];
  const started = now();
  const bestMedian = () =>
    Math.min(
      ...results
        .filter((m) => m.status === 'measured' && m.medianMs !== undefined)
        .map((m) => m.medianMs!),
    );
  for (const backend of candidates) {
    const m: Measurement = { backend, status: 'measured' };
    results.push(m);
    onProgress(m, 'start');
    try {
      Object.assign(m, await prober.prepare(backend));
      m.warmupMs = await prober.run(backend);
      const samples: number[] = [];
      const best = bestMedian();
      if (options.cutoff && Number.isFinite(best) && now() - started > options.budgetMs) {
        m.status = 'cut';
        m.reason = `warm-up ${ms(m.warmupMs)} used up the ${ms(options.budgetMs)} start-up budget`;
      }
      const candidateStart = now();
      while (m.status === 'measured') {
        samples.push(await prober.run(backend));
        if (options.cutoff && samples.length === 1 && samples[0] > options.cutFactor * best) {
          m.status = 'cut';
          m.reason = `first run ${ms(samples[0])}, over ${options.cutFactor}× the best median ${ms(best)}`;
        }
        const spent = now() - candidateStart;
        if (
          samples.length >= options.maxRuns ||
          (samples.length >= options.minRuns && spent >= options.candidateMs)
        )
          break;
      }
      if (samples.length) {
        m.medianMs = median(samples);
        m.runs = samples.length;
      }
    } catch (err) {
      m.status = 'failed';
      m.reason = errorMessage(err);
    }
    onProgress(m, 'done');
  }
  return results;
}

/** The candidates fully measured, fastest first (ties broken by TIE_PREFERENCE), then the cut ones by speed. */
export function rankBackends(measurements: readonly Measurement[]): BackendName[] {
  const byStatus = (status: Measurement['status']) =>
    measurements.filter((m) => m.status === status);
  const speed = (a: Measurement, b: Measurement) =>
    (a.medianMs ?? Infinity) - (b.medianMs ?? Infinity);
  const measured = byStatus('measured').sort((a, b) => {
    const fa = a.medianMs!;
    const fb = b.medianMs!;
    if (Math.abs(fa - fb) <= TIE_TOLERANCE * Math.min(fa, fb)) {
      return TIE_PREFERENCE.indexOf(a.backend) - TIE_PREFERENCE.indexOf(b.backend);
    }
    return fa - fb;
  });
  return [...measured, ...byStatus('cut').sort(speed)].map((m) => m.backend);
}

/** What makes a remembered choice valid: any change means the device or the model changed, so measure again. */
export interface ChoiceContext {
  modelSha256: string;
  userAgent: string;
  /** GPU renderer/adapter description, '' when none is exposed. */
  gpu: string;
  isolated: boolean;
  appVersion: string;
}

/** The cache key of a choice. */
export function choiceKey(c: ChoiceContext): string {
  return [startKey(c), c.gpu].join('|');
}

/**
 * The part of the key known at once, without probing the GPU (which costs a WebGL context and a WebGPU
 * adapter request): a start-up trusts a choice with the same start key, and re-checks the GPU in idle time.
 */
export function startKey(c: Omit<ChoiceContext, 'gpu'>): string {
  return [c.modelSha256, c.userAgent, c.isolated ? 'isolated' : 'not-isolated', c.appVersion].join(
    '|',
  );
}

/** A remembered decision. */
export interface BackendChoice {
  /** choiceKey: everything the choice depends on. */
  key: string;
  /** startKey: the part a start-up can check at once. */
  startKey: string;
  /** Fastest first; the first is used, the rest are the fallback chain. */
  ranking: BackendName[];
  measurements: Measurement[];
  /** Epoch ms. */
  measuredAt: number;
  /** Whether every candidate was timed in full (user-requested re-measure) or with start-up cut-offs. */
  full: boolean;
}

/** The remembered choice if its start key is `start` and it names at least one backend. */
export function validChoice(stored: unknown, start: string): BackendChoice | null {
  if (!stored || typeof stored !== 'object') return null;
  const c = stored as Partial<BackendChoice>;
  if (
    c.startKey !== start ||
    typeof c.key !== 'string' ||
    !Array.isArray(c.ranking) ||
    c.ranking.length === 0 ||
    !Array.isArray(c.measurements)
  )
    return null;
  return c as BackendChoice;
}
