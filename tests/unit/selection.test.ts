import { describe, expect, it } from 'vitest';
import type { BackendName } from '../../src/lib/ml/backends.ts';
import {
  STARTUP_SELECTION,
  FULL_SELECTION,
  choiceKey,
  startKey,
  measureCandidates,
  rankBackends,
  validChoice,
  type ChoiceContext,
  type Measurement,
  type Prober,
} from '../../src/lib/ml/selection.ts';
import { median } from '../../src/lib/bench/stats.ts';

/** A fake device: each backend's warm-up and per-run times (ms), on a fake clock that the runs advance. */
function fakeDevice(
  spec: Partial<Record<BackendName, { warmup: number; run: number | number[]; fail?: string }>>,
) {
  let clock = 0;
  const calls = new Map<BackendName, number>();
  const prober: Prober = {
    async prepare(backend) {
      const s = spec[backend];
      if (!s) throw new Error(`${backend} missing`);
      if (s.fail) throw new Error(s.fail);
      return { initMs: 1, loadMs: 1 };
    },
    async run(backend) {
      const s = spec[backend]!;
      const n = calls.get(backend) ?? 0;
      calls.set(backend, n + 1);
      const t = n === 0 ? s.warmup : Array.isArray(s.run) ? s.run[(n - 1) % s.run.length] : s.run;
      clock += t;
      return t;
    },
  };
  return { prober, now: () => clock, runs: (b: BackendName) => calls.get(b) ?? 0 };
}

const byBackend = (ms: Measurement[]) => Object.fromEntries(ms.map((m) => [m.backend, m]));

describe('median', () => {
  it('takes the middle value, or the mean of the two middle ones', () => {
    expect(median([5, 1, 3])).toBe(3);
    expect(median([4, 1, 3, 2])).toBe(2.5);
    expect(() => median([])).toThrow();
  });
});

describe('measureCandidates + rankBackends', () => {
  it('picks the lowest median, not the fastest warm-up or a lucky single run', async () => {
    const d = fakeDevice({
      wasm: { warmup: 5, run: [2, 2, 2, 2, 2] },
      webgl: { warmup: 300, run: [1, 1, 1, 9, 1] },
      cpu: { warmup: 1, run: [0.5, 8, 8, 8, 8] },
    });
    const ms = await measureCandidates(['wasm', 'webgl', 'cpu'], d.prober, FULL_SELECTION, d.now);
    const m = byBackend(ms);
    expect(m.wasm.medianMs).toBe(2);
    expect(m.webgl.medianMs).toBe(1);
    expect(m.webgl.warmupMs).toBe(300);
    expect(m.cpu.medianMs).toBe(8);
    expect(rankBackends(ms)).toEqual(['webgl', 'wasm', 'cpu']);
  });

  it('on a tie (within 5 %) prefers WASM, which has no GPU context to lose', async () => {
    const d = fakeDevice({ webgpu: { warmup: 50, run: 1.0 }, wasm: { warmup: 5, run: 1.03 } });
    const ranking = rankBackends(
      await measureCandidates(['webgpu', 'wasm'], d.prober, FULL_SELECTION, d.now),
    );
    expect(ranking).toEqual(['wasm', 'webgpu']);
    const d2 = fakeDevice({ webgpu: { warmup: 50, run: 1.0 }, wasm: { warmup: 5, run: 1.2 } });
    expect(
      rankBackends(await measureCandidates(['webgpu', 'wasm'], d2.prober, FULL_SELECTION, d2.now)),
    ).toEqual(['webgpu', 'wasm']);
  });

  it('a backend that fails is recorded with its reason and never stops the others', async () => {
    const d = fakeDevice({
      wasm: { warmup: 5, run: 2 },
      webgpu: { warmup: 0, run: 0, fail: 'no adapter' },
      webgl: { warmup: 20, run: 3 },
    });
    const ms = await measureCandidates(
      ['wasm', 'webgpu', 'webgl'],
      d.prober,
      STARTUP_SELECTION,
      d.now,
    );
    expect(byBackend(ms).webgpu).toMatchObject({ status: 'failed', reason: 'no adapter' });
    expect(byBackend(ms).webgl.status).toBe('measured');
    expect(rankBackends(ms)).toEqual(['wasm', 'webgl']);
  });

  it('cuts a candidate whose first timed run is far slower than the best median, after one run', async () => {
    const d = fakeDevice({ wasm: { warmup: 5, run: 2 }, webgl: { warmup: 100, run: 60 } });
    const ms = await measureCandidates(['wasm', 'webgl'], d.prober, STARTUP_SELECTION, d.now);
    expect(byBackend(ms).webgl).toMatchObject({ status: 'cut', runs: 1, medianMs: 60 });
    expect(byBackend(ms).webgl.reason).toMatch(/first run 60 ms, over 3× the best median 2\.00 ms/);
    expect(d.runs('webgl')).toBe(2); // warm-up + one timed run
    // Cut candidates still rank, behind the measured ones, as fallbacks.
    expect(rankBackends(ms)).toEqual(['wasm', 'webgl']);
  });

  it('cuts a candidate whose warm-up overran the start-up budget, without timing it', async () => {
    const d = fakeDevice({ wasm: { warmup: 5, run: 2 }, webgpu: { warmup: 4000, run: 1 } });
    const ms = await measureCandidates(['wasm', 'webgpu'], d.prober, STARTUP_SELECTION, d.now);
    expect(byBackend(ms).webgpu).toMatchObject({ status: 'cut', warmupMs: 4000 });
    expect(byBackend(ms).webgpu.reason).toMatch(/used up the 1500 ms start-up budget/);
    expect(d.runs('webgpu')).toBe(1);
  });

  it('a full measurement (user asked) applies no cut-offs', async () => {
    const d = fakeDevice({ wasm: { warmup: 5, run: 2 }, webgl: { warmup: 4000, run: 60 } });
    const ms = await measureCandidates(['wasm', 'webgl'], d.prober, FULL_SELECTION, d.now);
    expect(byBackend(ms).webgl.status).toBe('measured');
    expect(byBackend(ms).webgl.runs).toBeGreaterThanOrEqual(FULL_SELECTION.minRuns);
  });

  it('stops timing a candidate at maxRuns, or after its time budget once minRuns are done', async () => {
    const fast = fakeDevice({ wasm: { warmup: 1, run: 0.1 } });
    await measureCandidates(['wasm'], fast.prober, STARTUP_SELECTION, fast.now);
    expect(fast.runs('wasm')).toBe(1 + STARTUP_SELECTION.maxRuns);
    const slow = fakeDevice({ cpu: { warmup: 1, run: 100 } });
    await measureCandidates(['cpu'], slow.prober, STARTUP_SELECTION, slow.now);
    expect(slow.runs('cpu')).toBe(1 + STARTUP_SELECTION.minRuns);
  });
});

describe('remembered choice', () => {
  const ctx: ChoiceContext = {
    modelSha256: 'abc',
    userAgent: 'UA/1',
    gpu: 'SwiftShader',
    isolated: true,
    appVersion: '0.1.0',
  };

  it('the key changes with the model, browser, GPU, isolation or app version', () => {
    const key = choiceKey(ctx);
    const variants: Partial<ChoiceContext>[] = [
      { modelSha256: 'abd' },
      { userAgent: 'UA/2' },
      { gpu: 'Apple M2' },
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
      measurements: [],
      measuredAt: 1,
      full: false,
    };
    expect(validChoice(choice, start)).toEqual(choice);
    // Another GPU: same start key (checked later, in idle time), different full key.
    expect(startKey({ ...ctx, gpu: 'Apple M2' } as ChoiceContext)).toBe(start);
    expect(choiceKey({ ...ctx, gpu: 'Apple M2' })).not.toBe(key);
    expect(validChoice(choice, startKey({ ...ctx, isolated: false }))).toBeNull();
    expect(validChoice(choice, startKey({ ...ctx, appVersion: '0.2.0' }))).toBeNull();
    expect(validChoice({ ...choice, ranking: [] }, start)).toBeNull();
    expect(validChoice({ ...choice, key: undefined }, start)).toBeNull();
    expect(validChoice('garbage', start)).toBeNull();
    expect(validChoice(undefined, start)).toBeNull();
  });
});
