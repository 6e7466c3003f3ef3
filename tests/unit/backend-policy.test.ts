import { describe, expect, it } from 'vitest';
import {
  chainForBatch,
  choiceKey,
  distrusted,
  failureNotice,
  fallbackChain,
  makeChoice,
  measureOrder,
  rankBackends,
  rankingFor,
  startKey,
  withWorkload,
  WORKLOADS,
  validChoice,
  type Availability,
  type ChoiceContext,
} from '../../src/lib/ml/backend-policy.ts';
import type { BackendResult } from '../../src/lib/ml/timing.ts';
import type { BackendName } from '../../src/lib/ml/backend-names.ts';

const all: Availability = {
  webgpu: { available: true, detail: 'adapter' },
  webgl: { available: true, detail: 'WebGL 2' },
  wasm: { available: true, detail: 'SIMD' },
  cpu: { available: true, detail: 'plain JavaScript' },
};
const noGpu: Availability = { ...all, webgpu: { available: false, detail: 'no WebGPU adapter' } };

const ok = (backend: BackendName, medianMs: number): BackendResult => ({
  backend,
  status: 'ok',
  batches: [
    { batch: 1, medianMs, p95Ms: medianMs, minMs: medianMs, throughput: 1000 / medianMs, runs: 5 },
  ],
});

describe('measuring order and ranking', () => {
  it('measures the backend in use first, then the cheapest to try; never an unavailable one', () => {
    expect(measureOrder(null, all)).toEqual(['wasm', 'cpu', 'webgl', 'webgpu']);
    expect(measureOrder('webgl', all)).toEqual(['webgl', 'wasm', 'cpu', 'webgpu']);
    expect(measureOrder('wasm', noGpu)).toEqual(['wasm', 'cpu', 'webgl']);
  });

  it('ranks timed backends by median, cut ones after them, and never failed, cancelled or unmeasured ones', () => {
    const cut = { ...ok('webgl', 50), status: 'cut' as const, reason: 'slow' };
    const failed: BackendResult = {
      backend: 'webgpu',
      status: 'failed',
      reason: 'lost',
      batches: [],
    };
    expect(rankBackends([cut, ok('cpu', 5), failed, ok('wasm', 1)])).toEqual([
      'wasm',
      'cpu',
      'webgl',
    ]);
    const notReached: BackendResult = {
      backend: 'webgl',
      status: 'cut',
      reason: 'not reached',
      batches: [],
    };
    expect(rankBackends([ok('wasm', 1), notReached])).toEqual(['wasm']);
  });

  it('a choice lists every backend: measured, unavailable with why, and available but unmeasured as such', () => {
    const ctx = { modelSha256: 'a', userAgent: 'UA', gpu: '', isolated: false, appVersion: '1' };
    const choice = makeChoice(ctx, [ok('wasm', 1), ok('cpu', 4)], noGpu, false, 42);
    expect(choice.ranking).toEqual(['wasm', 'cpu']);
    expect(choice.results.map((r) => [r.backend, r.status, r.reason])).toEqual([
      ['webgpu', 'unavailable', 'no WebGPU adapter'],
      ['webgl', 'cut', 'not measured'],
      ['wasm', 'ok', undefined],
      ['cpu', 'ok', undefined],
    ]);
    expect(choice).toMatchObject({
      key: choiceKey({ ...ctx, available: ['webgl', 'wasm', 'cpu'] }),
      startKey: startKey(ctx),
      measuredAt: 42,
      full: false,
    });
  });
});

describe('workloads', () => {
  const many = (backend: BackendName, medianMs: number): BackendResult => ({
    backend,
    status: 'ok',
    batches: [
      {
        batch: 32,
        medianMs,
        p95Ms: medianMs,
        minMs: medianMs,
        throughput: 32_000 / medianMs,
        runs: 5,
      },
    ],
  });
  const ctx = { modelSha256: 'a', userAgent: 'UA', gpu: 'H100', isolated: true, appVersion: '1' };

  it('each workload has its own fastest backend; the batch one is measured later and merged in', () => {
    // As measured on an H100: WASM wins single digits, WebGPU wins batches.
    const choice = makeChoice(
      ctx,
      [ok('wasm', 0.3), ok('webgpu', 5.4), ok('cpu', 4.7)],
      all,
      false,
      1,
    );
    expect(rankingFor(choice, 'single')).toEqual(['wasm', 'cpu', 'webgpu']);
    expect(rankingFor(choice, 'many')).toEqual([]);
    const failed: BackendResult = { backend: 'cpu', status: 'failed', reason: 'oom', batches: [] };
    const merged = withWorkload(choice, [many('wasm', 2.1), many('webgpu', 0.9), failed]);
    expect(rankingFor(merged, 'many')).toEqual(['webgpu', 'wasm']);
    expect(rankingFor(merged, 'single')).toEqual(['wasm', 'cpu', 'webgpu']);
    expect(merged.results.find((r) => r.backend === 'wasm')!.batches.map((b) => b.batch)).toEqual([
      1, 32,
    ]);
    expect(merged.results.find((r) => r.backend === 'cpu')!.batches.map((b) => b.batch)).toEqual([
      1,
    ]);
    expect(WORKLOADS).toEqual({ single: 1, many: 32 });
  });

  it('pictures (many digits) use the batch ranking once measured, the single one before, never a wrong backend', () => {
    expect(chainForBatch(null, 'wasm', noGpu, 8)).toEqual(['wasm', 'webgl', 'cpu']);
    const choice = makeChoice(
      ctx,
      [ok('wasm', 0.3), ok('webgpu', 5.4), ok('cpu', 4.7)],
      all,
      false,
      1,
    );
    expect(chainForBatch(choice, 'wasm', all, 8)).toEqual(['wasm', 'cpu', 'webgpu', 'webgl']);
    const merged = withWorkload(choice, [many('wasm', 2.1), many('webgpu', 0.9)]);
    expect(chainForBatch(merged, 'wasm', all, 8)).toEqual(['webgpu', 'wasm', 'webgl', 'cpu']);
    expect(chainForBatch(merged, 'wasm', all, 1)).toEqual(['wasm', 'cpu', 'webgpu', 'webgl']);
    const wrong: BackendResult = {
      backend: 'webgpu',
      status: 'incorrect',
      reason: 'x',
      batches: [],
    };
    const distrustful = {
      ...merged,
      results: [...merged.results.filter((r) => r.backend !== 'webgpu'), wrong],
    };
    expect(chainForBatch(distrustful, 'wasm', all, 8)).not.toContain('webgpu');
  });
});

describe('fallback and recovery', () => {
  it('follows the measured ranking, then the provisional order, skipping failed and unavailable backends', () => {
    expect(fallbackChain([], new Set(), null)).toEqual(['wasm', 'webgl', 'webgpu', 'cpu']);
    expect(fallbackChain(['webgpu', 'cpu'], new Set(), all)).toEqual([
      'webgpu',
      'cpu',
      'wasm',
      'webgl',
    ]);
    expect(fallbackChain(['webgpu', 'cpu'], new Set(['webgpu']), all)).toEqual([
      'cpu',
      'wasm',
      'webgl',
    ]);
    expect(fallbackChain(['webgpu', 'wasm'], new Set(['wasm']), noGpu)).toEqual(['webgl', 'cpu']);
    expect(
      fallbackChain([], new Set<BackendName>(['wasm', 'webgl', 'webgpu', 'cpu']), all),
    ).toEqual([]);
  });

  it('a backend found to give wrong results is never a fallback either', () => {
    const wrong: BackendResult = {
      backend: 'webgl',
      status: 'incorrect',
      reason: 'wrong',
      batches: [],
    };
    const choice = makeChoice(
      { modelSha256: 'a', userAgent: 'UA', gpu: '', isolated: false, appVersion: '1' },
      [ok('wasm', 1), wrong],
      all,
      false,
      1,
    );
    expect(distrusted(choice)).toEqual(new Set(['webgl']));
    expect(fallbackChain(choice.ranking, new Set(['wasm', ...distrusted(choice)]), all)).toEqual([
      'webgpu',
      'cpu',
    ]);
  });

  it('says in one line what failed and what replaced it', () => {
    expect(failureNotice('webgl', 'the WebGL context was lost', 'wasm')).toBe(
      'WebGL failed (the WebGL context was lost); switched to WASM.',
    );
    expect(failureNotice('wasm', 'binary blocked', null)).toBe(
      'WASM could not be used (binary blocked).',
    );
  });
});

describe('remembered choice', () => {
  const ctx: ChoiceContext = {
    modelSha256: 'abc',
    userAgent: 'UA/1',
    gpu: 'SwiftShader',
    available: ['webgpu', 'webgl', 'wasm', 'cpu'],
    isolated: true,
    appVersion: '0.1.0',
  };

  it('the key changes with the model, browser, GPU, available backends, isolation or app version', () => {
    const key = choiceKey(ctx);
    const variants: Partial<ChoiceContext>[] = [
      { modelSha256: 'abd' },
      { userAgent: 'UA/2' },
      { gpu: 'Apple M2' },
      // WebGPU's adapter did not answer when the choice was made: a later visit with it measures again.
      { available: ['webgl', 'wasm', 'cpu'] },
      { isolated: false },
      { appVersion: '0.2.0' },
    ];
    for (const v of variants) expect(choiceKey({ ...ctx, ...v })).not.toBe(key);
    expect(choiceKey({ ...ctx })).toBe(key);
  });

  it('a start-up trusts a stored choice with the same start key (no GPU probe); the GPU is in the full key', () => {
    const key = choiceKey(ctx);
    const start = startKey(ctx);
    const choice = {
      key,
      startKey: start,
      ranking: ['wasm'],
      results: [],
      measuredAt: 1,
      full: false,
    };
    expect(validChoice(choice, start)).toEqual(choice);
    expect(startKey({ ...ctx, gpu: 'Apple M2' } as ChoiceContext)).toBe(start);
    expect(choiceKey({ ...ctx, gpu: 'Apple M2' })).not.toBe(key);
    expect(validChoice(choice, startKey({ ...ctx, isolated: false }))).toBeNull();
    expect(validChoice(choice, startKey({ ...ctx, appVersion: '0.2.0' }))).toBeNull();
    expect(validChoice({ ...choice, ranking: [] }, start)).toBeNull();
    expect(validChoice({ ...choice, key: undefined }, start)).toBeNull();
    // A choice stored by an older version (measurements, no results) is measured again.
    expect(validChoice({ ...choice, results: undefined, measurements: [] }, start)).toBeNull();
    expect(validChoice('garbage', start)).toBeNull();
    expect(validChoice(undefined, start)).toBeNull();
  });
});
