import { describe, expect, it } from 'vitest';
import type { BackendName } from '../../src/lib/ml/backend-names.ts';
import {
  FULL_PLAN,
  STARTUP_PLAN,
  partialResults,
  plannedPredictions,
  runPlan,
  type BackendResult,
  type Runner,
  type TimingEvent,
  type TimingPlan,
  type Reference,
} from '../../src/lib/ml/timing.ts';
import { rankBackends } from '../../src/lib/ml/backend-policy.ts';

type Spec = {
  warmup: number;
  run: number | number[];
  fail?: string;
  leak?: number;
  /** Probabilities it returns for the reference digits (default: the reference's own). */
  wrong?: boolean;
};

/** Two reference digits: a sure 3 and a sure 7. */
const REFERENCE: Reference = {
  inputs: new Float32Array(2 * 4),
  labels: Uint8Array.from([3, 7]),
  expected: Float32Array.from({ length: 20 }, (_, i) => (i === 3 || i === 17 ? 0.91 : 0.01)),
};

/** A fake device: each backend's warm-up and per-run times (ms), on a fake clock that the runs advance. */
function fakeDevice(spec: Partial<Record<BackendName, Spec>>) {
  let clock = 0;
  const calls = new Map<BackendName, number>();
  const batchesSeen: [BackendName, number][] = [];
  const runner: Runner = {
    async prepare(backend) {
      const s = spec[backend];
      if (!s) throw new Error(`${backend} missing`);
      if (s.fail) throw new Error(s.fail);
      return { initMs: 1, loadMs: 2 };
    },
    async time(backend, batch) {
      const s = spec[backend]!;
      const n = calls.get(backend) ?? 0;
      calls.set(backend, n + 1);
      batchesSeen.push([backend, batch]);
      const per = Array.isArray(s.run) ? s.run[(n - 1) % s.run.length] : s.run;
      const t = n === 0 ? s.warmup : per * batch;
      clock += t;
      return t;
    },
    async memory() {
      return { bytes: 100, tensors: 10, gpuBytes: null };
    },
    async profile(_, batch) {
      return { peakBytes: batch * 10, newTensors: 0 };
    },
    async kernels() {
      return [{ name: 'Conv2D', ms: 1, calls: 3 }];
    },
    async predictAll(backend) {
      // A wrong backend swaps the two digits' answers (sums stay 1, so only the check can tell).
      const e = REFERENCE.expected;
      return spec[backend]?.wrong
        ? Float32Array.from([...e.subarray(10), ...e.subarray(0, 10)])
        : e;
    },
    async release(backend) {
      return spec[backend]?.leak ?? 0;
    },
  };
  return { runner, now: () => clock, runs: (b: BackendName) => calls.get(b) ?? 0, batchesSeen };
}

const plan = (base: typeof STARTUP_PLAN, backends: BackendName[]): TimingPlan => ({
  ...base,
  backends,
  inputShape: [28, 28, 1],
});
const by = (rs: BackendResult[]) => Object.fromEntries(rs.map((r) => [r.backend, r]));

describe('runPlan: the start-up measurement', () => {
  it('picks the lowest median, not the fastest warm-up or a lucky single run', async () => {
    const d = fakeDevice({
      wasm: { warmup: 5, run: [2, 2, 2, 2, 2] },
      webgl: { warmup: 300, run: [1, 1, 1, 9, 1] },
      cpu: { warmup: 1, run: [0.5, 8, 8, 8, 8] },
    });
    const rs = await runPlan(plan(FULL_PLAN, ['wasm', 'webgl', 'cpu']), d.runner, () => {}, d.now);
    const r = by(rs);
    expect(r.wasm.batches[0].medianMs).toBe(2);
    expect(r.webgl.batches[0].medianMs).toBe(1);
    expect(r.webgl.firstInferenceMs).toBe(300);
    expect(r.webgl).toMatchObject({ initMs: 1, loadMs: 2, status: 'ok' });
    expect(r.cpu.batches[0].medianMs).toBe(8);
    expect(rankBackends(rs)).toEqual(['webgl', 'wasm', 'cpu']);
  });

  it('on a tie (within 5 %) prefers WASM, which has no GPU context to lose', async () => {
    const d = fakeDevice({ webgpu: { warmup: 50, run: 1.0 }, wasm: { warmup: 5, run: 1.03 } });
    expect(
      rankBackends(await runPlan(plan(FULL_PLAN, ['webgpu', 'wasm']), d.runner, () => {}, d.now)),
    ).toEqual(['wasm', 'webgpu']);
    const d2 = fakeDevice({ webgpu: { warmup: 50, run: 1.0 }, wasm: { warmup: 5, run: 1.2 } });
    expect(
      rankBackends(await runPlan(plan(FULL_PLAN, ['webgpu', 'wasm']), d2.runner, () => {}, d2.now)),
    ).toEqual(['webgpu', 'wasm']);
  });

  it('a backend that fails is recorded with its reason and never stops the others', async () => {
    const d = fakeDevice({
      wasm: { warmup: 5, run: 2 },
      webgpu: { warmup: 0, run: 0, fail: 'no adapter' },
      webgl: { warmup: 20, run: 3 },
    });
    const rs = await runPlan(
      plan(STARTUP_PLAN, ['wasm', 'webgpu', 'webgl']),
      d.runner,
      () => {},
      d.now,
    );
    expect(by(rs).webgpu).toMatchObject({ status: 'failed', reason: 'no adapter', batches: [] });
    expect(by(rs).webgl.status).toBe('ok');
    expect(rankBackends(rs)).toEqual(['wasm', 'webgl']);
  });

  it('cuts a backend whose first timed run is far slower than the best median, after one run', async () => {
    const d = fakeDevice({ wasm: { warmup: 5, run: 2 }, webgl: { warmup: 100, run: 60 } });
    const rs = await runPlan(plan(STARTUP_PLAN, ['wasm', 'webgl']), d.runner, () => {}, d.now);
    expect(by(rs).webgl).toMatchObject({ status: 'cut', batches: [{ runs: 1, medianMs: 60 }] });
    expect(by(rs).webgl.reason).toMatch(/first run 60\.0 ms, over 3× the best median 2\.00 ms/);
    expect(d.runs('webgl')).toBe(2); // first inference + one timed run
    // Cut backends still rank, behind the measured ones, as fallbacks.
    expect(rankBackends(rs)).toEqual(['wasm', 'webgl']);
  });

  it('cuts a backend whose warm-up overran the start-up budget, without timing it', async () => {
    const d = fakeDevice({ wasm: { warmup: 5, run: 2 }, webgpu: { warmup: 4000, run: 1 } });
    const rs = await runPlan(plan(STARTUP_PLAN, ['wasm', 'webgpu']), d.runner, () => {}, d.now);
    expect(by(rs).webgpu).toMatchObject({ status: 'cut', firstInferenceMs: 4000, batches: [] });
    expect(by(rs).webgpu.reason).toMatch(/used up the 1500 ms start-up budget/);
    expect(d.runs('webgpu')).toBe(1);
    // Never timed, so never ranked.
    expect(rankBackends(rs)).toEqual(['wasm']);
  });

  it('a full measurement (user asked) applies no cut-offs', async () => {
    const d = fakeDevice({ wasm: { warmup: 5, run: 2 }, webgl: { warmup: 4000, run: 60 } });
    const rs = await runPlan(plan(FULL_PLAN, ['wasm', 'webgl']), d.runner, () => {}, d.now);
    expect(by(rs).webgl.status).toBe('ok');
    expect(by(rs).webgl.batches[0].runs).toBeGreaterThanOrEqual(FULL_PLAN.runs.min);
  });

  it('stops timing at the maximum runs, or after the time budget once the minimum is done', async () => {
    const fast = fakeDevice({ wasm: { warmup: 1, run: 0.1 } });
    await runPlan(plan(STARTUP_PLAN, ['wasm']), fast.runner, () => {}, fast.now);
    expect(fast.runs('wasm')).toBe(1 + STARTUP_PLAN.runs.max);
    const slow = fakeDevice({ cpu: { warmup: 1, run: 100 } });
    await runPlan(plan(STARTUP_PLAN, ['cpu']), slow.runner, () => {}, slow.now);
    expect(slow.runs('cpu')).toBe(1 + STARTUP_PLAN.runs.min);
  });
});

describe('runPlan: correctness on held-out digits', () => {
  it('a backend whose results disagree with the CPU backend is reported, not timed and never ranked', async () => {
    const d = fakeDevice({
      wasm: { warmup: 5, run: 2 },
      webgl: { warmup: 5, run: 1, wrong: true },
    });
    const rs = await runPlan(
      { ...plan(FULL_PLAN, ['wasm', 'webgl']), reference: REFERENCE },
      d.runner,
      () => {},
      d.now,
    );
    expect(by(rs).wasm).toMatchObject({
      status: 'ok',
      correctness: { digits: 2, accuracy: 1, agreement: 1, maxDelta: 0, trusted: true },
    });
    expect(by(rs).webgl).toMatchObject({ status: 'incorrect', batches: [] });
    expect(by(rs).webgl.reason).toMatch(
      /wrong results: top class agrees with the CPU backend on 0 of 2 held-out digits, max \|Δp\| 0\.90/,
    );
    expect(d.runs('webgl')).toBe(1); // the first inference only
    // Faster, but wrong: never chosen.
    expect(rankBackends(rs)).toEqual(['wasm']);
  });
});

describe('runPlan: a benchmark sweep', () => {
  const sweep: TimingPlan = {
    backends: ['wasm', 'cpu'],
    batches: [8, 1, 2],
    inputShape: [4],
    warmupRuns: 2,
    runs: { min: 3, max: 3, budgetMs: Infinity },
    cutoff: null,
    profile: true,
  };

  it('times every backend × batch (small batches first) with fixed runs, and profiles the largest batch', async () => {
    const d = fakeDevice({ wasm: { warmup: 5, run: 1 }, cpu: { warmup: 5, run: 4, leak: 2 } });
    const events: TimingEvent[] = [];
    const rs = await runPlan(sweep, d.runner, (e) => events.push(e), d.now);
    expect(rs.map((r) => r.backend)).toEqual(['wasm', 'cpu']);
    expect(by(rs).wasm.batches.map((b) => [b.batch, b.runs, b.medianMs])).toEqual([
      [1, 3, 1],
      [2, 3, 2],
      [8, 3, 8],
    ]);
    expect(by(rs).wasm.batches[2].throughput).toBe(1000);
    expect(by(rs).wasm.memory).toMatchObject({
      bytes: 100,
      peakBytes: 80,
      profiledBatch: 8,
      leakedTensors: 0,
    });
    expect(by(rs).cpu.memory?.leakedTensors).toBe(2);
    expect(by(rs).wasm.topKernels).toEqual([{ name: 'Conv2D', ms: 1, calls: 3 }]);
    // 1 first inference + 3 batches × (2 warm-up + 3 timed) per backend.
    expect(d.runs('wasm')).toBe(16);
    expect(plannedPredictions(sweep)).toBe(32);
    // The worker reports its own progress: it only grows, and ends at the total.
    const progress = events.flatMap((e) => (e.type === 'progress' ? [e.progress] : []));
    const done = progress.map((p) => p.done);
    expect(done).toEqual([...done].sort((a, b) => a - b));
    expect(progress.at(-1)).toMatchObject({
      backend: 'cpu',
      batch: 8,
      phase: 'profile',
      total: 32,
    });
    expect(events.filter((e) => e.type === 'start').length).toBe(2);
    expect(
      events.filter((e) => e.type === 'result').map((e) => e.type === 'result' && e.result.backend),
    ).toEqual(['wasm', 'cpu']);
    expect(progress).toContainEqual(
      expect.objectContaining({ backend: 'wasm', batch: 2, phase: 'timed', run: 3, of: 3 }),
    );
  });

  it('a run that ended early keeps what finished and marks the rest, running or waiting', () => {
    const wasm: BackendResult = { backend: 'wasm', status: 'ok', batches: [] };
    const rs = partialResults(['wasm', 'webgl', 'cpu'], [wasm], new Set(['wasm', 'webgl']), 'cut', {
      running: 'ran out of time',
      waiting: 'not reached',
    });
    expect(rs).toEqual([
      wasm,
      { backend: 'webgl', status: 'cut', reason: 'ran out of time', batches: [] },
      { backend: 'cpu', status: 'cut', reason: 'not reached', batches: [] },
    ]);
  });
});
