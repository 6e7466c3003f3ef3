/**
 * Benchmark results: their shape, JSON export/import (an import is checked field by field, so a file from
 * another device or version gives a clear message instead of a broken page) and CSV.
 */
import { isBackend } from '../ml/backend-names.ts';
import type { BackendResult, ResultStatus } from '../ml/timing.ts';
import type { BenchSetup } from './setup.ts';

export const RESULT_FORMAT = 'digit-lens-benchmark';
/** Version 2: results are the timing engine's (`reason` where version 1 said `error`). */
export const RESULT_VERSION = 2;
/** Versions an import reads. */
const READABLE_VERSIONS: readonly unknown[] = [1, RESULT_VERSION];

export interface Environment {
  userAgent: string;
  platform: string;
  cores: number | null;
  gpu: string;
  wasmSimd: boolean;
  wasmThreads: boolean;
  isolated: boolean;
  tfjsVersion: string;
  /** Where the timings were taken, e.g. "dedicated worker (WebGL on OffscreenCanvas)". */
  measuredIn: string;
}

export interface ModelInfo {
  name: string;
  /** 'bundled' for the app's digit CNN, 'user' for an uploaded model. */
  source: 'bundled' | 'user';
  /** Input shape without the batch dimension. */
  inputShape: number[];
  weightBytes: number;
  sha256: string;
}

export interface BenchRun {
  format: typeof RESULT_FORMAT;
  version: typeof RESULT_VERSION;
  id: string;
  /** Epoch ms. */
  createdAt: number;
  label: string;
  setup: BenchSetup;
  model: ModelInfo;
  environment: Environment;
  results: BackendResult[];
  /** False when the run was cancelled or stopped early. */
  complete: boolean;
}

/** A file that is not a benchmark export we can read. */
export class ImportError extends Error {
  override name = 'ImportError';
}

const isObj = (v: unknown): v is Record<string, unknown> =>
  typeof v === 'object' && v !== null && !Array.isArray(v);
const isNum = (v: unknown): v is number => typeof v === 'number' && Number.isFinite(v);

function check(cond: unknown, what: string): asserts cond {
  if (!cond) throw new ImportError(`Not a valid benchmark export: ${what}.`);
}

const STATUSES: readonly ResultStatus[] = ['ok', 'cut', 'failed', 'cancelled', 'unavailable'];

/** A version-1 result said `error` where version 2 says `reason`. */
function fromVersion1(r: BackendResult & { error?: string }): BackendResult {
  const { error, ...rest } = r;
  return error !== undefined && rest.reason === undefined ? { ...rest, reason: error } : rest;
}

/** The JSON export of `run`. */
export function runToJson(run: BenchRun): string {
  return JSON.stringify(run, null, 2);
}

/** Reads a JSON export; throws ImportError saying what is wrong. */
export function runFromJson(text: string): BenchRun {
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (err) {
    throw new ImportError(
      `Not a valid benchmark export: the file is not JSON (${(err as Error).message}).`,
    );
  }
  check(isObj(data), 'the file does not hold an object');
  check(data.format === RESULT_FORMAT, `"format" is not "${RESULT_FORMAT}"`);
  check(
    READABLE_VERSIONS.includes(data.version),
    `version ${String(data.version)} is not supported (this app reads versions ${READABLE_VERSIONS.join(' and ')})`,
  );
  check(typeof data.id === 'string' && data.id.length > 0, '"id" is missing');
  check(isNum(data.createdAt), '"createdAt" is not a time');
  check(isObj(data.setup) && Array.isArray(data.setup.batches), '"setup" is missing');
  check(isObj(data.model) && typeof data.model.name === 'string', '"model" is missing');
  check(
    isObj(data.environment) && typeof data.environment.userAgent === 'string',
    '"environment" is missing',
  );
  check(Array.isArray(data.results), '"results" is not a list');
  for (const [i, r] of (data.results as unknown[]).entries()) {
    check(isObj(r) && isBackend(r.backend), `result ${i + 1} names no known backend`);
    check(STATUSES.includes(r.status as ResultStatus), `result ${i + 1} has no valid status`);
    check(Array.isArray(r.batches), `result ${i + 1} has no batch list`);
    for (const b of r.batches as unknown[]) {
      check(
        isObj(b) &&
          isNum(b.batch) &&
          isNum(b.medianMs) &&
          isNum(b.p95Ms) &&
          isNum(b.minMs) &&
          typeof b.throughput === 'number',
        `a batch entry of ${String(r.backend)} lacks its numbers`,
      );
    }
  }
  const run = data as unknown as BenchRun;
  return {
    ...run,
    version: RESULT_VERSION,
    results: run.results.map(fromVersion1),
    label: typeof run.label === 'string' ? run.label : new Date(run.createdAt).toLocaleString(),
  };
}

const CSV_COLUMNS = [
  'run',
  'created',
  'model',
  'backend',
  'status',
  'batch',
  'median_ms',
  'p95_ms',
  'min_ms',
  'throughput_per_s',
  'runs',
  'init_ms',
  'load_ms',
  'first_inference_ms',
  'leaked_tensors',
  'heldout_accuracy',
  'max_delta_vs_cpu',
  'reason',
] as const;

function csvCell(v: unknown): string {
  const s = v === undefined || v === null ? '' : String(v);
  return /[",\n\r]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

/** One CSV row per backend × batch (a failed backend gets one row with its error). */
export function runToCsv(run: BenchRun): string {
  const rows: unknown[][] = [];
  const created = new Date(run.createdAt).toISOString();
  for (const r of run.results) {
    const common = [run.id, created, run.model.name, r.backend, r.status];
    const check = r.correctness;
    const tail = [
      r.initMs,
      r.loadMs,
      r.firstInferenceMs,
      r.memory?.leakedTensors,
      check?.accuracy,
      check?.maxDelta,
      r.reason,
    ];
    if (r.batches.length === 0) rows.push([...common, '', '', '', '', '', '', ...tail]);
    for (const b of r.batches) {
      rows.push([...common, b.batch, b.medianMs, b.p95Ms, b.minMs, b.throughput, b.runs, ...tail]);
    }
  }
  return (
    [CSV_COLUMNS.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\n') + '\n'
  );
}
