import { describe, expect, it } from 'vitest';
import { quantile, median, summarize } from '../../src/lib/ml/stats.ts';
import { DEFAULT_SETUP, parseSetup, setupToQuery } from '../../src/lib/bench/setup.ts';
import { finishRun, newRun, outcomeLine, sweepPlan } from '../../src/lib/bench/run-record.ts';
import { plannedPredictions } from '../../src/lib/ml/timing.ts';
import type { BackendName } from '../../src/lib/ml/backend-names.ts';
import {
  ImportError,
  RESULT_FORMAT,
  RESULT_VERSION,
  runFromJson,
  runToCsv,
  runToJson,
  type BenchRun,
} from '../../src/lib/bench/results.ts';

describe('statistics', () => {
  it('median, nearest-rank p95 and min of timings', () => {
    const times = [5, 1, 4, 2, 3, 100, 6, 7, 8, 9];
    expect(median(times)).toBe(5.5);
    expect(quantile(times, 0.95)).toBe(100);
    expect(
      quantile([1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15, 16, 17, 18, 19, 20], 0.95),
    ).toBe(19);
    expect(quantile([7], 0.95)).toBe(7);
    expect(() => quantile([], 0.5)).toThrow();
  });

  it('throughput is images per second at the median', () => {
    const s = summarize([10, 20, 30], 8);
    expect(s).toEqual({ medianMs: 20, p95Ms: 30, minMs: 10, throughput: 400, runs: 3 });
  });
});

describe('setup in the URL', () => {
  it('defaults: every backend, batches 1…256, sensible run counts', () => {
    const { setup, problems } = parseSetup(new URLSearchParams(''));
    expect(setup).toEqual(DEFAULT_SETUP);
    expect(setup.batches).toEqual([1, 2, 4, 8, 16, 32, 64, 128, 256]);
    expect(problems).toEqual([]);
  });

  it('round-trips through the query string', () => {
    const setup = {
      backends: ['webgl', 'wasm'] as const,
      batches: [1, 8],
      warmupRuns: 1,
      timedRuns: 5,
    };
    const back = parseSetup(
      new URLSearchParams(setupToQuery({ ...setup, backends: [...setup.backends] })),
    );
    expect(back.setup).toEqual({ ...setup, backends: ['webgl', 'wasm'] });
    expect(back.problems).toEqual([]);
  });

  it('ignores what is malformed, says what, and keeps the rest', () => {
    const { setup, problems } = parseSetup(
      new URLSearchParams('backends=wasm,tpu&batches=8,0,x,1,8,99999&warmup=-1&runs=2.5'),
    );
    expect(setup.backends).toEqual(['wasm']);
    expect(setup.batches).toEqual([1, 8]);
    expect(setup.warmupRuns).toBe(DEFAULT_SETUP.warmupRuns);
    expect(setup.timedRuns).toBe(DEFAULT_SETUP.timedRuns);
    expect(problems.join('\n')).toMatch(/unknown backend tpu/);
    expect(problems.join('\n')).toMatch(/batch size 0, x, 99999 ignored/);
    expect(problems.join('\n')).toMatch(/warmup=-1/);
    expect(problems.join('\n')).toMatch(/runs=2.5/);
  });
});

describe('run record', () => {
  const setup = {
    backends: ['wasm', 'webgl', 'cpu'] as BackendName[],
    batches: [8, 1],
    warmupRuns: 2,
    timedRuns: 3,
  };

  it('a sweep is a timing plan with fixed runs per batch, profiling, and no cut-offs', () => {
    const plan = sweepPlan(setup, [28, 28, 1]);
    expect(plan).toMatchObject({
      backends: ['wasm', 'webgl', 'cpu'],
      batches: [8, 1],
      warmupRuns: 2,
      runs: { min: 3, max: 3 },
      cutoff: null,
      profile: true,
    });
    // 1 first inference + 2 batches × (2 warm-up + 3 timed), per backend.
    expect(plannedPredictions(plan)).toBe(3 * 11);
  });

  it('a run that ends keeps its results; backends that never finished are marked cancelled', () => {
    const run = newRun(setup, ['wasm', 'cpu'], sampleRun().model, sampleRun().environment, {
      id: 'r',
      now: 5,
      label: 'today',
    });
    expect(run).toMatchObject({
      id: 'r',
      createdAt: 5,
      label: 'today · model.json',
      results: [],
      complete: false,
    });
    expect(run.setup.backends).toEqual(['wasm', 'cpu']);
    const wasm = sampleRun().results[0];
    const cancelled = finishRun(run, [wasm], 'cancelled');
    expect(cancelled.complete).toBe(false);
    expect(cancelled.results.map((r) => [r.backend, r.status])).toEqual([
      ['wasm', 'ok'],
      ['cpu', 'cancelled'],
    ]);
    expect(outcomeLine(cancelled, 'cancelled')).toBe('Cancelled; the results so far are kept.');
    const failed = { ...wasm, backend: 'cpu' as const, status: 'failed' as const, reason: 'lost' };
    const done = finishRun(run, [wasm, failed], 'done');
    expect(done.complete).toBe(true);
    expect(outcomeLine(done, 'done')).toBe('Done (1 backend failed): 1 of 2 backends measured.');
    expect(outcomeLine(finishRun(run, [wasm, { ...wasm, backend: 'cpu' }], 'done'), 'done')).toBe(
      'Done: 2 of 2 backends measured.',
    );
    expect(outcomeLine(finishRun(run, [wasm], 'failed'), 'failed')).toMatch(
      /^Stopped: the benchmark worker broke/,
    );
  });
});

function sampleRun(): BenchRun {
  return {
    format: RESULT_FORMAT,
    version: RESULT_VERSION,
    id: 'run-1',
    createdAt: Date.UTC(2026, 10, 22, 12, 0, 0),
    label: 'sample, "quoted"',
    setup: { backends: ['wasm', 'webgl'], batches: [1, 8], warmupRuns: 1, timedRuns: 3 },
    model: {
      name: 'model.json',
      source: 'user',
      inputShape: [28, 28, 1],
      weightBytes: 100,
      sha256: 'ab',
    },
    environment: {
      userAgent: 'UA',
      platform: 'Linux',
      cores: 2,
      gpu: 'SwiftShader',
      wasmSimd: true,
      wasmThreads: true,
      isolated: true,
      tfjsVersion: '4.22.0',
      measuredIn: 'a dedicated worker',
    },
    results: [
      {
        backend: 'wasm',
        status: 'ok',
        initMs: 100,
        loadMs: 3,
        firstInferenceMs: 4,
        batches: [
          { batch: 1, medianMs: 0.9, p95Ms: 1.2, minMs: 0.8, throughput: 1111, runs: 3 },
          { batch: 8, medianMs: 2.5, p95Ms: 2.7, minMs: 2.4, throughput: 3200, runs: 3 },
        ],
        memory: {
          bytes: 1,
          tensors: 11,
          gpuBytes: null,
          peakBytes: 5,
          newTensors: 0,
          profiledBatch: 8,
          leakedTensors: 0,
        },
      },
      { backend: 'webgl', status: 'failed', reason: 'context lost, "badly"', batches: [] },
    ],
    complete: true,
  };
}

describe('results export and import', () => {
  it('JSON export imports back to the same run', () => {
    const run = sampleRun();
    expect(runFromJson(runToJson(run))).toEqual(run);
  });

  it('reads a version-1 export (which said "error" for the reason)', () => {
    const v1 = {
      ...sampleRun(),
      version: 1,
      results: [{ backend: 'webgl', status: 'failed', error: 'lost', batches: [] }],
    };
    const run = runFromJson(JSON.stringify(v1));
    expect(run.version).toBe(RESULT_VERSION);
    expect(run.results).toEqual([
      { backend: 'webgl', status: 'failed', reason: 'lost', batches: [] },
    ]);
  });

  it('rejects files that are not our export, saying why', () => {
    const cases: [string, RegExp][] = [
      ['not json at all', /not JSON/],
      ['[1,2]', /does not hold an object/],
      [JSON.stringify({ ...sampleRun(), format: 'other' }), /"format" is not/],
      [JSON.stringify({ ...sampleRun(), version: 99 }), /version 99 is not supported/],
      [JSON.stringify({ ...sampleRun(), results: 'x' }), /"results" is not a list/],
      [
        JSON.stringify({
          ...sampleRun(),
          results: [{ backend: 'tpu', status: 'ok', batches: [] }],
        }),
        /names no known backend/,
      ],
      [
        JSON.stringify({
          ...sampleRun(),
          results: [{ backend: 'wasm', status: 'ok', batches: [{ batch: 1, medianMs: 'fast' }] }],
        }),
        /lacks its numbers/,
      ],
    ];
    for (const [text, why] of cases) {
      expect(() => runFromJson(text)).toThrow(ImportError);
      expect(() => runFromJson(text)).toThrow(why);
    }
  });

  it('CSV: a header, one row per backend × batch, a row for a failed backend, quoted where needed', () => {
    const csv = runToCsv(sampleRun());
    const lines = csv.trim().split('\n');
    expect(lines[0]).toBe(
      'run,created,model,backend,status,batch,median_ms,p95_ms,min_ms,throughput_per_s,runs,init_ms,load_ms,first_inference_ms,leaked_tensors,heldout_accuracy,max_delta_vs_cpu,reason',
    );
    expect(lines).toHaveLength(4);
    expect(lines[1]).toBe(
      'run-1,2026-11-22T12:00:00.000Z,model.json,wasm,ok,1,0.9,1.2,0.8,1111,3,100,3,4,0,,,',
    );
    expect(lines[3]).toBe(
      'run-1,2026-11-22T12:00:00.000Z,model.json,webgl,failed,,,,,,,,,,,,,"context lost, ""badly"""',
    );
  });
});
