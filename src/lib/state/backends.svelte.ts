/**
 * Which backend the recognizer runs on, and why. On a first visit the app starts on a provisional backend
 * (WASM where available) and measures the others in a worker of their own, then switches to the fastest; the
 * choice is remembered per device and model, so later visits start on it at once. A backend that fails is
 * replaced by the next fastest, with a one-line notice. The decisions are lib/ml/backend-policy.ts; this class
 * holds the state and drives the recognizer's compute worker.
 */
import { BACKEND_TITLES, type BackendName } from '../ml/backend-names.ts';
import {
  choiceKey,
  failureNotice,
  fallbackChain,
  makeChoice,
  measureOrder,
  startKey,
  validChoice,
  type BackendChoice,
  type ChoiceContext,
} from '../ml/backend-policy.ts';
import type { ComputeApi } from '../ml/compute-api.ts';
import { capabilities, type Capabilities } from '../ml/detect.ts';
import { measureInWorker } from '../ml/probe.ts';
import { FULL_PLAN, STARTUP_PLAN } from '../ml/timing.ts';
import type { io } from '../ml/tf.ts';
import { INPUT_SIDE } from '../ml/preprocess.ts';
import { loadChoice, logBackendEvent, saveChoice } from '../storage/backend-choice.ts';
import type { Remote } from '../worker-bridge.ts';
import { MARKS } from '../marks.ts';
import { errorMessage } from '../errors.ts';

/** Where the current choice comes from. */
export type SelectionState = 'starting' | 'measuring' | 'measured' | 'remembered' | 'pinned';

/** How long a repeat visit waits for idle time before re-checking the GPU (ms). */
const IDLE_TIMEOUT_MS = 2000;

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
  #context: Omit<ChoiceContext, 'gpu'> = {
    modelSha256: '',
    userAgent: '',
    isolated: false,
    appVersion: '',
  };
  #compute: Remote<ComputeApi> | null = null;
  #artifacts: io.ModelArtifacts | null = null;

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

  async #detect(): Promise<Capabilities> {
    return (this.#capabilities = await capabilities());
  }

  /** Starts the remembered winner, else the provisional backend; falls back along the chain on failure. */
  async start(compute: Remote<ComputeApi>, artifacts: io.ModelArtifacts): Promise<void> {
    this.#compute = compute;
    this.#artifacts = artifacts;
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
      await new Promise((resolve) =>
        (globalThis.requestIdleCallback ?? setTimeout)(resolve, { timeout: IDLE_TIMEOUT_MS }),
      );
      const caps = await this.#detect();
      performance.mark(MARKS.rechecked);
      if (this.#key(caps) === choice.key || this.#choice !== choice) return;
    }
    await this.measure(false);
  }

  #key(caps: Capabilities): string {
    return choiceKey({ ...this.#context, gpu: caps.gpu });
  }

  /** Measures every available backend (in full when the user asks) and switches to the fastest. */
  async measure(full = true): Promise<void> {
    const artifacts = this.#artifacts;
    if (!artifacts || this.#state === 'measuring') return;
    this.#state = 'measuring';
    const caps = await this.#detect();
    const base = full ? FULL_PLAN : STARTUP_PLAN;
    const plan = {
      ...base,
      backends: measureOrder(this.#current, caps.backends),
      inputShape: [INPUT_SIDE, INPUT_SIDE, 1],
    };
    let measured;
    try {
      measured = await measureInWorker(artifacts, plan, base.cutoff ? base.cutoff.budgetMs : null);
    } catch (err) {
      this.#notice = `The backends could not be measured (${errorMessage(err)}); staying on ${BACKEND_TITLES[this.#current ?? 'wasm']}.`;
      this.#state = this.#choice ? 'remembered' : 'measured';
      return;
    }
    const choice = makeChoice(
      { ...this.#context, gpu: caps.gpu },
      measured,
      caps.backends,
      full,
      Date.now(),
    );
    const winner = choice.ranking[0];
    if (winner && winner !== this.#current) await this.#switchTo(winner);
    await this.#release();
    this.#choice = choice;
    this.#failed.clear();
    this.#state = 'measured';
    performance.mark(MARKS.selected);
    await saveChoice(choice);
  }

  /** Uses `name` for this session, as the user asked (the remembered choice stays as measured). */
  async pin(name: BackendName): Promise<void> {
    if (!this.#compute || this.#state === 'measuring' || name === this.#current) return;
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
    if (!failed || !this.#compute) return false;
    this.#failed.add(failed);
    const ok = await this.#startFirstThatWorks(failed, err);
    await this.#release();
    return ok;
  }

  /** Tries the fallback chain in order; on success says which backend replaced `failed` (if any). */
  async #startFirstThatWorks(failed: BackendName | null, err: unknown): Promise<boolean> {
    for (const name of fallbackChain(
      this.#choice?.ranking ?? [],
      this.#failed,
      this.#capabilities?.backends ?? null,
    )) {
      try {
        const { label } = await this.#compute!.prepare(name);
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
      const { label } = await this.#compute!.prepare(name);
      await this.#compute!.warmUp(name);
      this.#use(name, label);
      return true;
    } catch (err) {
      this.#fail(name, err, null);
      return false;
    }
  }

  /** Frees every model but the one in use; updates the tensor count. */
  async #release(): Promise<void> {
    this.#tensors = await this.#compute!.release(this.#current).catch(() => this.#tensors);
  }

  /** Reads the tensor count again (after predictions). */
  async countTensors(): Promise<void> {
    if (this.#compute) this.#tensors = await this.#compute.tensors().catch(() => this.#tensors);
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
