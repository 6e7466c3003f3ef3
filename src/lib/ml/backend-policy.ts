/**
 * The backend policy, as pure functions: which backend to try first, in which order to measure, how measured
 * results rank, what the fallback chain is after failures, and when a remembered choice still holds.
 * State classes call these; nothing here runs tfjs or touches the DOM.
 */
import { ALL_BACKENDS, BACKEND_TITLES, type BackendName } from './backend-names.ts';
import { medianAt, type BackendResult } from './timing.ts';

/** The provisional order on a first visit: WASM needs no shader compilation and is fast without a GPU. */
export const PROVISIONAL_ORDER: readonly BackendName[] = ['wasm', 'webgl', 'webgpu', 'cpu'];

/**
 * The measuring order after the backend in use: cheapest to try first, so that a budget spent on a slow GPU
 * warm-up costs the least information.
 */
export const MEASURE_ORDER: readonly BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];

/**
 * The app's workloads, by batch size: single digits (the drawing pad) and many digits at once (a camera frame
 * or a photo, sent as one batch of up to `many`). The fastest backend differs between them on real GPUs.
 */
export const WORKLOADS = { single: 1, many: 32 } as const;
export type Workload = keyof typeof WORKLOADS;

/** The most threads tfjs-backend-wasm 4.22's binary creates (its pool is capped at 4). */
export const MAX_WASM_THREADS = 4;

/** The WASM thread counts worth measuring on a device with `cores`: 1 up to its cores, at most 4. */
export function wasmThreadCounts(cores: number): number[] {
  const most = Math.min(MAX_WASM_THREADS, Math.max(1, Math.floor(cores)));
  return Array.from({ length: most }, (_, i) => i + 1);
}

/** WASM timed with one thread count. */
export interface ThreadResult {
  threads: number;
  /** The threads the pool really had (XNNPACK's count), when WASM started. */
  actual?: number;
  result: BackendResult;
}

/** The thread count with the lowest median at `batch` (within TIE_TOLERANCE, the fewer threads win). */
export function fastestThreads(
  measured: readonly ThreadResult[],
  batch: number,
): number | undefined {
  let best: { threads: number; median: number } | undefined;
  for (const { threads, result } of [...measured].sort((a, b) => a.threads - b.threads)) {
    const median = result.status === 'ok' ? medianAt(result, batch) : undefined;
    if (median !== undefined && (!best || median < best.median * (1 - TIE_TOLERANCE))) {
      best = { threads, median };
    }
  }
  return best?.threads;
}

/** Medians within this fraction of each other count as a tie. */
export const TIE_TOLERANCE = 0.05;

/** On a tie, the backend with fewer ways to fail wins: no GPU context to lose, no driver in the way. */
const TIE_PREFERENCE: readonly BackendName[] = ['wasm', 'webgpu', 'webgl', 'cpu'];

/** Which backends this device offers (from detection). */
export type Availability = Record<BackendName, { available: boolean; detail: string }>;

/** The backends to measure: the one in use first (it sets the bar), then MEASURE_ORDER; available only. */
export function measureOrder(current: BackendName | null, offered: Availability): BackendName[] {
  return [...new Set([current ?? 'wasm', ...MEASURE_ORDER])].filter((b) => offered[b].available);
}

/** Results for every backend: the measured ones, and the unavailable ones with why. */
export function withUnavailable(
  measured: readonly BackendResult[],
  offered: Availability,
): BackendResult[] {
  return ALL_BACKENDS.map(
    (backend) =>
      measured.find((r) => r.backend === backend) ??
      (offered[backend].available
        ? { backend, status: 'cut', reason: 'not measured', batches: [] }
        : { backend, status: 'unavailable', reason: offered[backend].detail, batches: [] }),
  );
}

/**
 * Backends fastest first by their median at `batch`: the ones timed in full (ties broken by TIE_PREFERENCE),
 * then the ones stopped early by speed. Failed, cancelled and unavailable ones are not ranked.
 */
export function rankBackends(results: readonly BackendResult[], batch = 1): BackendName[] {
  const speed = (r: BackendResult) => medianAt(r, batch) ?? Infinity;
  const measured = results
    .filter((r) => r.status === 'ok' && medianAt(r, batch) !== undefined)
    .sort((a, b) => {
      const [fa, fb] = [speed(a), speed(b)];
      if (Math.abs(fa - fb) <= TIE_TOLERANCE * Math.min(fa, fb)) {
        return TIE_PREFERENCE.indexOf(a.backend) - TIE_PREFERENCE.indexOf(b.backend);
      }
      return fa - fb;
    });
  const cut = results
    .filter((r) => r.status === 'cut' && medianAt(r, batch) !== undefined)
    .sort((a, b) => speed(a) - speed(b));
  return [...measured, ...cut].map((r) => r.backend);
}

/** Backends to try, best first: the ranking, then the provisional order; `skip` and unavailable ones left out. */
export function fallbackChain(
  ranking: readonly BackendName[],
  skip: Iterable<BackendName>,
  offered: Availability | null,
): BackendName[] {
  const skipped = new Set(skip);
  return [...new Set([...ranking, ...PROVISIONAL_ORDER])].filter(
    (b) => !skipped.has(b) && (!offered || offered[b].available),
  );
}

/** Backends a measurement found to compute wrong results: never used, not even as a fallback. */
export function distrusted(choice: BackendChoice | null): Set<BackendName> {
  return new Set(choice?.results.filter((r) => r.status === 'incorrect').map((r) => r.backend));
}

/** The one line shown when `backend` failed, and what replaced it (if anything). */
export function failureNotice(
  backend: BackendName,
  reason: string,
  switchedTo: BackendName | null,
): string {
  return switchedTo
    ? `${BACKEND_TITLES[backend]} failed (${reason}); switched to ${BACKEND_TITLES[switchedTo]}.`
    : `${BACKEND_TITLES[backend]} could not be used (${reason}).`;
}

/** What makes a remembered choice valid: any change means the device or the model changed, so measure again. */
export interface ChoiceContext {
  modelSha256: string;
  userAgent: string;
  /** GPU renderer/adapter description, '' when none is exposed. */
  gpu: string;
  /**
   * The backends this device offered: part of the key, so a backend that was missing when the choice was made
   * (a WebGPU adapter that did not answer) is measured when it is there on a later visit.
   */
  available: readonly BackendName[];
  isolated: boolean;
  appVersion: string;
}

/**
 * The part of the key known at once, without probing the GPU (which costs a WebGL context and a WebGPU
 * adapter request): a start-up trusts a choice with the same start key, and re-checks the GPU in idle time.
 */
export function startKey(c: Omit<ChoiceContext, 'gpu' | 'available'>): string {
  return [c.modelSha256, c.userAgent, c.isolated ? 'isolated' : 'not-isolated', c.appVersion].join(
    '|',
  );
}

/** The cache key of a choice: everything it depends on. */
export function choiceKey(c: ChoiceContext): string {
  return [startKey(c), c.gpu, c.available.join(',')].join('|');
}

/** A remembered decision. */
export interface BackendChoice {
  /** choiceKey: everything the choice depends on. */
  key: string;
  /** startKey: the part a start-up can check at once. */
  startKey: string;
  /** Fastest first; the first is used, the rest are the fallback chain. */
  ranking: BackendName[];
  /** One per backend, unavailable ones included. */
  results: BackendResult[];
  /** Epoch ms. */
  measuredAt: number;
  /** Whether every candidate was timed in full (user-requested re-measure) or with start-up cut-offs. */
  full: boolean;
  /** Backends the start-up budget cut, then timed in full in idle time. */
  completed?: BackendName[];
  /** WASM's fastest thread count per workload, and what it was chosen from (where threads are possible). */
  wasmThreads?: Partial<Record<Workload, number>>;
  threadResults?: ThreadResult[];
}

/** Backends fastest first for `workload`; empty when that batch size has not been measured. */
export function rankingFor(choice: BackendChoice, workload: Workload): BackendName[] {
  return workload === 'single' ? choice.ranking : rankBackends(choice.results, WORKLOADS[workload]);
}

/** `choice` with a measurement at other batch sizes added to each backend's results (kept when it failed). */
export function withWorkload(
  choice: BackendChoice,
  measured: readonly BackendResult[],
): BackendChoice {
  const results = choice.results.map((r) => {
    const m = measured.find((x) => x.backend === r.backend);
    if (!m || m.status !== 'ok') return r;
    const others = r.batches.filter((b) => !m.batches.some((x) => x.batch === b.batch));
    return { ...r, batches: [...others, ...m.batches].sort((a, b) => a.batch - b.batch) };
  });
  return { ...choice, results };
}

/** The backends `offered` says are available, in the usual order. */
export function availableBackends(offered: Availability): BackendName[] {
  return ALL_BACKENDS.filter((b) => offered[b].available);
}

/** The choice a measurement makes. */
export function makeChoice(
  context: Omit<ChoiceContext, 'available'>,
  measured: readonly BackendResult[],
  offered: Availability,
  full: boolean,
  at: number,
): BackendChoice {
  const results = withUnavailable(measured, offered);
  return {
    key: choiceKey({ ...context, available: availableBackends(offered) }),
    startKey: startKey(context),
    ranking: rankBackends(results),
    results,
    measuredAt: at,
    full,
  };
}

/** The remembered choice if its start key is `start` and it names at least one backend; else null. */
export function validChoice(stored: unknown, start: string): BackendChoice | null {
  if (!stored || typeof stored !== 'object') return null;
  const c = stored as Partial<BackendChoice>;
  const ok =
    c.startKey === start &&
    typeof c.key === 'string' &&
    Array.isArray(c.ranking) &&
    c.ranking.length > 0 &&
    Array.isArray(c.results);
  return ok ? (c as BackendChoice) : null;
}

/**
 * The backends for a workload of `batch` digits at once, best first as known now: that workload's ranking
 * once measured, else the single-digit one (else `current`), then the fallback order; never a backend a
 * measurement found computing wrong results.
 */
export function chainForBatch(
  choice: BackendChoice | null,
  current: BackendName | null,
  offered: Availability | null,
  batch: number,
): BackendName[] {
  const bad = distrusted(choice);
  const many = choice && batch > WORKLOADS.single ? rankingFor(choice, 'many') : [];
  const ranking = many.length ? many : (choice?.ranking ?? []);
  const first = ranking[0] ?? current;
  const chain = [...(first ? [first] : []), ...fallbackChain(ranking, bad, offered)];
  return chain.filter((b, i) => !bad.has(b) && chain.indexOf(b) === i);
}
