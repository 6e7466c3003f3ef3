/**
 * Which backend the recognizer runs on, and why. On a first visit the app starts on a provisional backend
 * (WASM where available) and measures the others in the background, then switches to the fastest; the choice is
 * remembered per device and model, so later visits start on it at once. A backend that fails is replaced by the
 * next fastest, with a one-line notice.
 */
import {
  ALL_BACKENDS,
  BACKEND_TITLES,
  backendLabel,
  ensureRegistered,
  type BackendName,
} from '../ml/backends.ts';
import { detectCapabilities, type Capabilities } from '../ml/detect.ts';
import type { ModelSet } from '../ml/models.ts';
import {
  FULL_SELECTION,
  STARTUP_SELECTION,
  choiceKey,
  startKey,
  type ChoiceContext,
  measureCandidates,
  rankBackends,
  type BackendChoice,
  type Measurement,
  type SelectionOptions,
} from '../ml/selection.ts';
import { measureInWorker } from '../ml/probe-client.ts';
import { loadChoice, logBackendEvent, saveChoice } from '../storage/backend-choice.ts';
import { errorMessage } from '../errors.ts';

/** The provisional order on a first visit: WASM needs no shader compilation and is fast without a GPU. */
const PROVISIONAL_ORDER: BackendName[] = ['wasm', 'webgl', 'webgpu', 'cpu'];

/**
 * The measuring order after the backend in use: cheapest to try first, so that a budget spent on a slow GPU
 * warm-up costs the least information.
 */
const MEASURE_ORDER: BackendName[] = ['wasm', 'cpu', 'webgl', 'webgpu'];

/** `items` without repeats, in first-seen order. */
const unique = <T>(items: T[]): T[] => [...new Set(items)];

/** Where the current choice comes from. */
export type SelectionState = 'starting' | 'measuring' | 'measured' | 'remembered' | 'pinned';

/** Performance marks the benchmark scripts read. */
export const MARKS = {
  ready: 'digit-lens:ready',
  selected: 'digit-lens:backend-selected',
} as const;

export class Backends {
  #current = $state<BackendName | null>(null);
  #label = $state('');
  #state = $state<SelectionState>('starting');
  #choice = $state.raw<BackendChoice | null>(null);
  #capabilities = $state.raw<Capabilities | null>(null);
  #notice = $state('');
  // A plain Set on purpose: fallback bookkeeping that nothing renders or derives from.
  // eslint-disable-next-line svelte/prefer-svelte-reactivity
  #failed = new Set<BackendName>();
  #context: Omit<ChoiceContext, 'gpu'> = {
    modelSha256: '',
    userAgent: '',
    isolated: false,
    appVersion: '',
  };
  #caps: Promise<Capabilities> | null = null;
  #models: ModelSet | null = null;

  /** The backend predictions run on. */
  get current() {
    return this.#current;
  }
  /** e.g. "WASM · SIMD · 2 threads". */
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

  /**
   * Finds the remembered choice and starts loading the likely backend's code. A repeat visit trusts a choice
   * whose start key matches and probes the GPU later, in idle time (selectIfNeeded); a first visit probes
   * every backend now, as it needs to know the candidates.
   */
  async detect(modelSha256: string): Promise<void> {
    ensureRegistered('wasm').catch(() => {});
    this.#context = {
      modelSha256,
      userAgent: navigator.userAgent,
      isolated: globalThis.crossOriginIsolated === true,
      appVersion: __APP_VERSION__,
    };
    this.#choice = await loadChoice(startKey(this.#context));
    if (this.#choice) this.#state = 'remembered';
    else await this.#detectCapabilities();
  }

  /** Probes every backend once; later calls share the answer. */
  #detectCapabilities(): Promise<Capabilities> {
    this.#caps ??= detectCapabilities().then((caps) => (this.#capabilities = caps));
    return this.#caps;
  }

  #key(caps: Capabilities): string {
    return choiceKey({ ...this.#context, gpu: caps.gpu });
  }

  /** Starts the remembered winner, else the provisional backend; falls back along the chain on failure. */
  async start(models: ModelSet): Promise<void> {
    this.#models = models;
    for (const name of this.#chain()) {
      try {
        await models.prepare(name);
        await this.#use(name);
        performance.mark(MARKS.ready);
        return;
      } catch (err) {
        this.#fail(name, err, null);
      }
    }
    throw new Error('no backend could start');
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
        (globalThis.requestIdleCallback ?? setTimeout)(resolve, { timeout: 2000 }),
      );
      const caps = await this.#detectCapabilities();
      if (this.#key(caps) === choice.key || this.#choice !== choice) return;
    }
    await this.measure(STARTUP_SELECTION);
  }

  /** Measures every available backend (in full when the user asks) and switches to the fastest. */
  async measure(options: SelectionOptions = FULL_SELECTION): Promise<void> {
    const models = this.#models;
    if (!models || this.#state === 'measuring') return;
    this.#state = 'measuring';
    const caps = await this.#detectCapabilities();
    const candidates = unique([this.#current ?? 'wasm', ...MEASURE_ORDER]).filter(
      (b) => caps.backends[b].available,
    );
    let measured: Measurement[];
    try {
      measured = await measureInWorker(
        models.artifacts,
        candidates,
        options,
        options.cutoff ? options.budgetMs : null,
      );
    } catch (err) {
      // No worker here (or it broke): measure on the page; slower GPU warm-ups may stall it briefly.
      console.warn(`[digit-lens] measuring on the page: ${errorMessage(err)}`);
      measured = await measureCandidates(candidates, models, options);
    }
    const unavailable = ALL_BACKENDS.filter((b) => !caps.backends[b].available).map(
      (backend): Measurement => ({
        backend,
        status: 'unavailable',
        reason: caps.backends[backend].detail,
      }),
    );
    const measurements = ALL_BACKENDS.map((b) =>
      [...measured, ...unavailable].find((m) => m.backend === b)!,
    ).filter(Boolean);
    const choice: BackendChoice = {
      key: this.#key(caps),
      startKey: startKey(this.#context),
      ranking: rankBackends(measurements),
      measurements,
      measuredAt: Date.now(),
      full: !options.cutoff,
    };
    const winner = choice.ranking[0];
    if (winner && winner !== this.#current) await this.#switchTo(winner);
    models.disposeExcept(this.#current);
    this.#choice = choice;
    this.#failed.clear();
    this.#state = 'measured';
    performance.mark(MARKS.selected);
    await saveChoice(choice);
  }

  /** Uses `name` for this session, as the user asked (the remembered choice stays as measured). */
  async pin(name: BackendName): Promise<void> {
    const models = this.#models;
    if (!models || this.#state === 'measuring' || name === this.#current) return;
    if (await this.#switchTo(name)) {
      models.disposeExcept(name);
      this.#failed.delete(name);
      this.#state = 'pinned';
    } else {
      models.dispose(name);
    }
  }

  /**
   * The backend in use failed at run time: log it, switch to the next one that starts, and say so.
   * Returns false when nothing is left.
   */
  async recover(err: unknown): Promise<boolean> {
    const failed = this.#current;
    if (!failed || !this.#models) return false;
    this.#models.dispose(failed);
    this.#failed.add(failed);
    for (const name of this.#chain()) {
      try {
        await this.#models.prepare(name);
        await this.#use(name);
        this.#fail(failed, err, name);
        return true;
      } catch (next) {
        this.#fail(name, next, null);
      }
    }
    this.#fail(failed, err, null);
    return false;
  }

  /** Backends to try, best first: the remembered/measured ranking, then the provisional order; failed ones skipped. */
  #chain(): BackendName[] {
    const caps = this.#capabilities;
    const order = [...(this.#choice?.ranking ?? []), ...PROVISIONAL_ORDER];
    return unique(order).filter(
      (b) => !this.#failed.has(b) && (!caps || caps.backends[b].available),
    );
  }

  /**
   * Loads the model on `name` and warms it up here before predictions move to it; stays put if it fails.
   * Returns whether it switched.
   */
  async #switchTo(name: BackendName): Promise<boolean> {
    try {
      await this.#models!.prepare(name);
      await this.#models!.run(name);
      await this.#use(name);
      return true;
    } catch (err) {
      this.#fail(name, err, null);
      return false;
    }
  }

  async #use(name: BackendName): Promise<void> {
    this.#current = name;
    this.#label = await backendLabel(name);
  }

  #fail(backend: BackendName, err: unknown, switchedTo: BackendName | null): void {
    this.#failed.add(backend);
    const text = errorMessage(err);
    this.#notice = switchedTo
      ? `${BACKEND_TITLES[backend]} failed (${text}); switched to ${BACKEND_TITLES[switchedTo]}.`
      : `${BACKEND_TITLES[backend]} could not be used (${text}).`;
    console.warn(`[digit-lens] ${this.#notice}`);
    void logBackendEvent({ at: Date.now(), backend, message: text, switchedTo });
  }
}
