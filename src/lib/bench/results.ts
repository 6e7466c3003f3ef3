/**
 * Benchmark results: their shape, JSON export/import (an import is checked field by field, so a file from
 * another device or version gives a clear message instead of a broken page) and CSV.
 */
import type { BackendName } from '../ml/backends.ts';
import { ALL_BACKENDS } from '../ml/backends.ts';
import type { BenchSetup } from './setup.ts';
import type { Summary } from './stats.ts';

export const RESULT_FORMAT = 'digit-lens-benchmark';
export const RESULT_VERSION = 1;

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
  /** Tensors the whole sweep left behind on this backend (must be 0). */
  leakedTensors: number;
}

export interface KernelTime {
  name: string;
  ms: number;
  calls: number;
}

export interface BackendResult {
  backend: BackendName;
  status: 'ok' | 'failed' | 'cancelled';
  error?: string;
  initMs?: number;
  loadMs?: number;
  /** First prediction (batch 1): includes shader compilation on GPU backends. */
  firstInferenceMs?: number;
  memory?: MemoryReport;
  topKernels?: KernelTime[];
  batches: BatchResult[];
}

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
    data.version === RESULT_VERSION,
    `version ${String(data.version)} is not supported (this app reads version ${RESULT_VERSION})`,
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
    check(
      isObj(r) && ALL_BACKENDS.includes(r.backend as BackendName),
      `result ${i + 1} names no known backend`,
    );
    check(
      ['ok', 'failed', 'cancelled'].includes(r.status as string),
      `result ${i + 1} has no valid status`,
    );
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
  'error',
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
    const tail = [r.initMs, r.loadMs, r.firstInferenceMs, r.memory?.leakedTensors, r.error];
    if (r.batches.length === 0) rows.push([...common, '', '', '', '', '', '', ...tail]);
    for (const b of r.batches) {
      rows.push([...common, b.batch, b.medianMs, b.p95Ms, b.minMs, b.throughput, b.runs, ...tail]);
    }
  }
  return (
    [CSV_COLUMNS.join(','), ...rows.map((row) => row.map(csvCell).join(','))].join('\n') + '\n'
  );
}
