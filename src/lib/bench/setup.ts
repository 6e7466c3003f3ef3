/**
 * A benchmark's setup: which backends, batch sizes, warm-up and timed runs. It round-trips through URL query
 * parameters (`?backends=wasm,webgl&batches=1,8&warmup=2&runs=10`) so a run can be shared and repeated;
 * anything malformed in a URL falls back to the default and is reported, never thrown.
 */
import { ALL_BACKENDS, isBackend, type BackendName } from '../ml/backend-names.ts';

export interface BenchSetup {
  backends: BackendName[];
  batches: number[];
  warmupRuns: number;
  timedRuns: number;
}

export const DEFAULT_BATCHES = [1, 2, 4, 8, 16, 32, 64, 128, 256];
export const MAX_BATCH = 4096;
export const LIMITS = { warmupRuns: [0, 100], timedRuns: [1, 1000] } as const;

export const DEFAULT_SETUP: BenchSetup = {
  backends: [...ALL_BACKENDS],
  batches: DEFAULT_BATCHES,
  warmupRuns: 2,
  timedRuns: 10,
};

/** A setup read from a URL, and what in it was ignored. */
export interface ParsedSetup {
  setup: BenchSetup;
  problems: string[];
}

function parseList<T>(raw: string, parse: (s: string) => T | null): { values: T[]; bad: string[] } {
  const values: T[] = [];
  const bad: string[] = [];
  for (const part of raw
    .split(',')
    .map((s) => s.trim())
    .filter(Boolean)) {
    const v = parse(part);
    if (v === null) bad.push(part);
    else if (!values.includes(v)) values.push(v);
  }
  return { values, bad };
}

function parseCount(
  raw: string | null,
  [lo, hi]: readonly [number, number],
  fallback: number,
  name: string,
  problems: string[],
) {
  if (raw === null) return fallback;
  const n = Number(raw);
  if (Number.isInteger(n) && n >= lo && n <= hi) return n;
  problems.push(`${name}=${raw} is not a whole number from ${lo} to ${hi}; using ${fallback}`);
  return fallback;
}

/** Reads a setup from query parameters; missing or invalid values take the defaults. */
export function parseSetup(params: URLSearchParams): ParsedSetup {
  const problems: string[] = [];
  const setup = { ...DEFAULT_SETUP };
  const backends = params.get('backends');
  if (backends !== null) {
    const { values, bad } = parseList(backends.toLowerCase(), (s) => (isBackend(s) ? s : null));
    if (bad.length) problems.push(`unknown backend ${bad.join(', ')} ignored`);
    if (values.length) setup.backends = ALL_BACKENDS.filter((b) => values.includes(b));
  }
  const batches = params.get('batches');
  if (batches !== null) {
    const { values, bad } = parseList(batches, (s) => {
      const n = Number(s);
      return Number.isInteger(n) && n >= 1 && n <= MAX_BATCH ? n : null;
    });
    if (bad.length)
      problems.push(`batch size ${bad.join(', ')} ignored (whole numbers from 1 to ${MAX_BATCH})`);
    if (values.length) setup.batches = values.sort((a, b) => a - b);
  }
  setup.warmupRuns = parseCount(
    params.get('warmup'),
    LIMITS.warmupRuns,
    DEFAULT_SETUP.warmupRuns,
    'warmup',
    problems,
  );
  setup.timedRuns = parseCount(
    params.get('runs'),
    LIMITS.timedRuns,
    DEFAULT_SETUP.timedRuns,
    'runs',
    problems,
  );
  return { setup, problems };
}

/** The query string for `setup` (without "?"). */
export function setupToQuery(setup: BenchSetup): string {
  return new URLSearchParams({
    backends: setup.backends.join(','),
    batches: setup.batches.join(','),
    warmup: String(setup.warmupRuns),
    runs: String(setup.timedRuns),
  }).toString();
}
