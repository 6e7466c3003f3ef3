/**
 * Which backend the recognizer runs on, and why. On a first visit the app starts on a provisional backend
 * (WASM where available) and measures the others in a worker of their own, then switches to the fastest; the
 * choice is remembered per device and model, so later visits start on it at once. A backend that fails is
 * replaced by the next fastest, with a one-line notice. The decisions are lib/ml/backend-policy.ts; this class
 * holds the state and drives the recognizer's compute worker.
 */
import { BACKEND_TITLES, type BackendName } from '../ml/backend-names.ts';
import {
  chainForBatch,
  availableBackends,
  choiceKey,
  distrusted,
  failureNotice,
  fallbackChain,
  makeChoice,
  measureOrder,
  rankingFor,
  WORKLOADS,
  startKey,
  validChoice,
  type BackendChoice,
  type ChoiceContext,
} from '../ml/backend-policy.ts';
import type { ComputeApi } from '../ml/compute-api.ts';
import { capabilities, type Capabilities } from '../ml/detect.ts';
import { digitPlan, measureManyWorkload, tuneWasmThreads, type DigitModel } from '../ml/measure.ts';
import { measureInWorker } from '../ml/probe.ts';
import {
  FULL_PLAN,
  STARTUP_PLAN,
  COMPLETION_PLAN,
  medianAt,
  type BackendResult,
  type Reference,
  type TimingPlan,
} from '../ml/timing.ts';
import type { io } from '../ml/tf.ts';
import { loadChoice, logBackendEvent, saveChoice } from '../storage/backend-choice.ts';
import type { Bridge, Remote } from '../worker-bridge.ts';
import { MARKS } from '../marks.ts';
import { errorMessage } from '../errors.ts';

/** Where the current choice comes from. */
export type SelectionState = 'starting' | 'measuring' | 'measured' | 'remembered' | 'pinned';

/** How long background work waits for idle time at most (ms). */
const IDLE_TIMEOUT_MS = 2000;

/** Resolves when the page is idle (or after IDLE_TIMEOUT_MS). */
function idle(): Promise<void> {
  return new Promise((resolve) =>
    (globalThis.requestIdleCallback ?? setTimeout)(() => resolve(), { timeout: IDLE_TIMEOUT_MS }),
  );
}

export class Backends {
  #current = $state<BackendName | null>(null);
  #label = $state('');
  #state = $state<SelectionState>('starting');
  #choice = $state.raw<BackendChoice | null>(null);
  #capabilities = $state.raw<Capabilities | null>(null);
  #notice = $state('');
  #tensors = $state(0);
  // Fallback bookkeeping: nothing renders or derives from it, so it needs no reactivity.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #failed = new Set<BackendName>();
  #context: Omit<ChoiceContext, 'gpu' | 'available'> = {
    modelSha256: '',
    userAgent: '',
    isolated: false,
    appVersion: '',
  };
  #bridge: Bridge<ComputeApi> | null = null;
  #spawn: (() => Bridge<ComputeApi>) | null = null;
  /** The recognizer worker's WASM thread count; null: the binary's default. */
  #threads: number | null = null;
  #model: DigitModel | null = null;
  #manyMeasure: Promise<BackendName | undefined> | null = null;

  /** The backend predictions run on. */
  get current() {
    return this.#current;
  }
  /** e.g. "WASM · SIMD · threaded build · 2 threads". */
  get label() {
    return this.#label;
  }
  get state() {
    return this.#state;
  }
  /** The measurements behind the choice (fresh or remembered). */
  get choice() {
    return this.#choice;
  }
  get capabilities() {
    return this.#capabilities;
  }
  /** One line about a backend that failed and what replaced it. */
  get notice() {
    return this.#notice;
  }
  /** Tensors the recognizer's worker holds (the model's weights on the backend in use, nothing else). */
  get tensors() {
    return this.#tensors;
  }

  /**
   * Finds the remembered choice. A repeat visit trusts a choice whose start key matches and probes the GPU
   * later, in idle time (selectIfNeeded); a first visit probes every backend now, as it needs the candidates.
   */
  async detect(modelSha256: string): Promise<void> {
    this.#context = {
      modelSha256,
      userAgent: navigator.userAgent,
      isolated: globalThis.crossOriginIsolated === true,
      appVersion: __APP_VERSION__,
    };
    this.#choice = validChoice(await loadChoice(), startKey(this.#context));
    if (this.#choice) this.#state = 'remembered';
    else await this.#detect();
  }

  async #detect(fresh = false): Promise<Capabilities> {
    return (this.#capabilities = await capabilities(fresh));
  }

  /** Starts the remembered winner, else the provisional backend; falls back along the chain on failure. */
  async start(
    bridge: Bridge<ComputeApi>,
    spawn: () => Bridge<ComputeApi>,
    artifacts: io.ModelArtifacts,
    reference: Reference | null,
  ): Promise<void> {
    this.#bridge = bridge;
    this.#spawn = spawn;
    const threads = this.#choice?.wasmThreads?.single;
    if (
      threads &&
      (await bridge.api.setWasmThreads(threads).then(
        () => true,
        () => false,
      ))
    ) {
      this.#threads = threads;
    }
    this.#model = { artifacts, reference };
    if (!(await this.#startFirstThatWorks(null, null))) throw new Error('no backend could start');
    performance.mark(MARKS.ready);
  }

  /**
   * Measures the candidates in the background when no valid choice is remembered. A remembered one is
   * re-checked in idle time: if the GPU changed since it was measured, the backends are measured again.
   */
  async selectIfNeeded(): Promise<void> {
    const choice = this.#choice;
    if (choice) {
      performance.mark(MARKS.selected);
      await idle();
      const caps = await this.#detect();
      performance.mark(MARKS.rechecked);
      if (this.#key(caps) === choice.key || this.#choice !== choice) return;
    }
    await this.measure(false);
    await this.#redetectMissing();
  }

  #key(caps: Capabilities): string {
    return choiceKey({
      ...this.#context,
      gpu: caps.gpu,
      available: availableBackends(caps.backends),
    });
  }

  /** A backend that was unavailable (a GPU adapter that did not answer) is looked for once more, in idle time. */
  async #redetectMissing(): Promise<void> {
    const missing = this.#choice?.results.filter((r) => r.status === 'unavailable') ?? [];
    if (missing.length === 0) return;
    await idle();
    const caps = await this.#detect(true);
    if (missing.some((r) => caps.backends[r.backend].available)) await this.measure(false);
  }

  /**
   * Measures every available backend and switches to the fastest. At start-up (`full` false) a time budget
   * keeps the first decision fast; the backends it cut or did not reach are then timed in full in idle time
   * (in a worker, drawing goes on) and the ranking is made again from the full measurement. The user's
   * re-measure times every backend in full, at both workloads' batch sizes.
   */
  async measure(full = true): Promise<void> {
    const artifacts = this.#model?.artifacts;
    if (!artifacts || this.#state === 'measuring') return;
    this.#state = 'measuring';
    try {
      const caps = await this.#detect();
      const base = full ? FULL_PLAN : STARTUP_PLAN;
      const batches = full ? [WORKLOADS.single, WORKLOADS.many] : [WORKLOADS.single];
      const plan = this.#plan({ ...base, batches }, measureOrder(this.#current, caps.backends));
      let measured = await measureInWorker(artifacts, plan, base.cutoff?.budgetMs ?? null);
      await this.#decide(caps, measured, full, []);
      // Cut by the budget before a timed run (still warming up, or not reached): never ranked until
      // timed. A backend cut after a timed run far slower than the best has its measurement, and keeps it.
      const unfinished = measured
        .filter((r) => r.status === 'cut' && medianAt(r) === undefined)
        .map((r) => r.backend);
      if (unfinished.length) {
        await idle();
        const rest = await measureInWorker(
          artifacts,
          this.#plan(COMPLETION_PLAN, unfinished),
          null,
        );
        measured = measured.map((r) => rest.find((x) => x.backend === r.backend) ?? r);
        await this.#decide(caps, measured, true, unfinished);
      }
      await this.#tuneWasmThreads(caps);
    } catch (err) {
      const staying = BACKEND_TITLES[this.#current ?? 'wasm'];
      this.#notice = `The backends could not be measured (${errorMessage(err)}); staying on ${staying}.`;
    } finally {
      this.#state = this.#choice ? 'measured' : 'starting';
    }
  }

  /** A timing plan on the digit model over `backends`. */
  #plan(base: Omit<TimingPlan, 'backends' | 'inputShape'>, backends: BackendName[]): TimingPlan {
    return digitPlan(this.#model!, base, backends);
  }

  /** Makes and remembers the choice `measured` gives, and moves predictions to its winner. */
  async #decide(
    caps: Capabilities,
    measured: BackendResult[],
    full: boolean,
    completed: BackendName[],
  ): Promise<void> {
    const choice = {
      ...makeChoice({ ...this.#context, gpu: caps.gpu }, measured, caps.backends, full, Date.now()),
      completed,
    };
    const winner = choice.ranking[0];
    if (winner && winner !== this.#current) await this.#switchTo(winner);
    await this.#release();
    this.#choice = choice;
    this.#failed.clear();
    performance.mark(MARKS.selected);
    await saveChoice(choice);
  }

  /**
   * The backend for a workload of `batch` digits at once (a camera frame, a photo): batch 1 follows the
   * choice; a larger batch is ranked by its own measurement, made the first time it is asked for and kept
   * with the choice.
   */
  async backendFor(batch: number): Promise<BackendName> {
    const fallback = this.#current ?? 'wasm';
    if (batch <= WORKLOADS.single || !this.#model) return fallback;
    const known = this.#choice && rankingFor(this.#choice, 'many');
    if (known?.length) return known[0];
    // Before the first measurement settles there is nothing to add the batch workload to: ask again later.
    if (!this.#choice) return fallback;
    this.#manyMeasure ??= this.#measureMany();
    return (await this.#manyMeasure) ?? fallback;
  }

  /**
   * The backends to read pictures of about `batch` digits with, best first as known now: the batch
   * workload's ranking once measured (`backendFor` measures it), else the single-digit one, then the
   * fallback order. Backends found to compute wrong results are never in it.
   */
  chainFor(batch: number): BackendName[] {
    return chainForBatch(this.#choice, this.#current, this.#capabilities?.backends ?? null, batch);
  }

  async #measureMany(): Promise<BackendName | undefined> {
    const choice = this.#choice;
    if (!choice || !this.#model) return undefined;
    try {
      const updated = await measureManyWorkload(this.#model, choice);
      this.#choice = updated;
      await saveChoice(updated);
      return rankingFor(updated, 'many')[0];
    } catch (err) {
      console.warn(`[digit-lens] batch workload not measured: ${errorMessage(err)}`);
      return undefined;
    }
  }

  /** Uses `name` for this session, as the user asked (the remembered choice stays as measured). */
  async pin(name: BackendName): Promise<void> {
    if (!this.#bridge || this.#state === 'measuring' || name === this.#current) return;
    if (await this.#switchTo(name)) {
      this.#failed.delete(name);
      this.#state = 'pinned';
    }
    await this.#release();
  }

  /**
   * The backend in use failed at run time: log it, switch to the next one that starts, and say so.
   * Returns false when nothing is left.
   */
  async recover(err: unknown): Promise<boolean> {
    const failed = this.#current;
    if (!failed || !this.#bridge) return false;
    this.#failed.add(failed);
    const ok = await this.#startFirstThatWorks(failed, err);
    await this.#release();
    return ok;
  }

  /** Tries the fallback chain in order; on success says which backend replaced `failed` (if any). */
  async #startFirstThatWorks(failed: BackendName | null, err: unknown): Promise<boolean> {
    const skip = [...this.#failed, ...distrusted(this.#choice)];
    for (const name of fallbackChain(
      this.#choice?.ranking ?? [],
      skip,
      this.#capabilities?.backends ?? null,
    )) {
      try {
        const { label } = await this.#api.prepare(name);
        this.#use(name, label);
        if (failed) this.#fail(failed, err, name);
        return true;
      } catch (next) {
        this.#fail(name, next, null);
      }
    }
    if (failed) this.#fail(failed, err, null);
    return false;
  }

  /** Loads the model on `name` and warms it up before predictions move to it; stays put if it fails. */
  async #switchTo(name: BackendName): Promise<boolean> {
    try {
      const { label } = await this.#api.prepare(name);
      await this.#api.warmUp(name);
      this.#use(name, label);
      return true;
    } catch (err) {
      this.#fail(name, err, null);
      return false;
    }
  }

  /** Frees every model but the one in use; updates the tensor count. */
  async #release(): Promise<void> {
    this.#tensors = await this.#api.release(this.#current).catch(() => this.#tensors);
  }

  /** Reads the tensor count again (after predictions). */
  async countTensors(): Promise<void> {
    if (this.#bridge) this.#tensors = await this.#api.tensors().catch(() => this.#tensors);
  }

  /** The recognizer worker's API. */
  get #api(): Remote<ComputeApi> {
    if (!this.#bridge) throw new Error('the recognizer has not started');
    return this.#bridge.api;
  }

  /** The probabilities for one 28×28 input, on the backend in use. */
  async predict(input: Float32Array): Promise<Float32Array> {
    const bridge = this.#bridge;
    try {
      return await this.#api.predict(this.#current!, input);
    } catch (err) {
      // The worker was replaced while this prediction ran (a new WASM thread count): ask the new one.
      if (bridge !== this.#bridge) return this.predict(input);
      throw err;
    }
  }

  /**
   * Where WASM can use threads, times it with each thread count (each in a worker of its own, in idle time)
   * and keeps the fastest per workload; the recognizer's worker is replaced when its count is not the best.
   */
  async #tuneWasmThreads(caps: Capabilities): Promise<void> {
    const choice = this.#choice;
    if (!caps.wasmThreads || !choice || !this.#model) return;
    await idle();
    const tuned = await tuneWasmThreads(this.#model, choice, navigator.hardwareConcurrency ?? 1);
    if (!tuned) return;
    this.#choice = tuned;
    await saveChoice(tuned);
    const best = tuned.wasmThreads?.single;
    if (!best || this.#current !== 'wasm') return;
    this.#threads ??= await this.#api.wasmThreadsInUse().catch(() => null);
    if (best !== this.#threads) await this.#respawn(best);
  }

  /** Moves the recognizer to a new worker whose WASM uses `threads` threads, once it is warm. */
  async #respawn(threads: number): Promise<void> {
    const next = this.#spawn!();
    try {
      await next.api.setWasmThreads(threads);
      await next.api.setModel(this.#model!.artifacts);
      const { label } = await next.api.prepare('wasm');
      await next.api.warmUp('wasm');
      const old = this.#bridge;
      this.#bridge = next;
      this.#threads = threads;
      this.#use('wasm', label);
      old?.terminate();
      await this.countTensors();
    } catch (err) {
      next.terminate();
      console.warn(`[digit-lens] WASM stays at its thread count: ${errorMessage(err)}`);
    }
  }

  #use(name: BackendName, label: string): void {
    this.#current = name;
    this.#label = label;
  }

  #fail(backend: BackendName, err: unknown, switchedTo: BackendName | null): void {
    this.#failed.add(backend);
    const text = errorMessage(err);
    this.#notice = failureNotice(backend, text, switchedTo);
    console.warn(`[digit-lens] ${this.#notice}`);
    void logBackendEvent({ at: Date.now(), backend, message: text, switchedTo });
  }
}
