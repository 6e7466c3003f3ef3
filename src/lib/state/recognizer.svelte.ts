/**
 * The recognizer's state: model loading (IndexedDB cache or download), the backend (see backends.svelte.ts),
 * live predictions. Predictions never queue: while one runs, only the newest drawing waits; stale results
 * are dropped. A prediction that fails because its backend broke is retried on the next backend.
 */
import { ModelSet } from '../ml/models.ts';
import { toModelInput, type InkImage } from '../ml/preprocess.ts';
import { loadModelCached } from '../storage/model-cache.ts';
import { Backends } from './backends.svelte.ts';

/** Where the app serves the model (works under any base path). */
export const MODEL_URL = `${import.meta.env.BASE_URL}model/model.json`;

type Status = 'loading' | 'ready' | 'error';

const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

class Recognizer {
  readonly backends = new Backends();
  #status = $state<Status>('loading');
  #error = $state('');
  #notice = $state('');
  #download = $state.raw<{ loaded: number; total: number | null } | null>(null);
  #modelSource = $state<'indexeddb' | 'network' | null>(null);
  #probabilities = $state.raw<number[] | null>(null);
  #predictions = $state(0);
  #busy = $state(false);
  #models: ModelSet | null = null;
  #pending: InkImage | null = null;
  #running = false;
  #generation = 0;
  #started = false;

  get status() { return this.#status; }
  get error() { return this.#error; }
  /** A one-line note about something the app repaired or worked around. */
  get notice() { return this.backends.notice || this.#notice; }
  /** Model download progress while it is being fetched. */
  get download() { return this.#download; }
  /** Where the model came from this time. */
  get modelSource() { return this.#modelSource; }
  /** Ten probabilities for the current drawing; null when the pad is empty. */
  get probabilities() { return this.#probabilities; }
  /** How many predictions have been shown. */
  get predictions() { return this.#predictions; }
  /** True while a prediction runs or waits. */
  get busy() { return this.#busy; }

  /** Loads the model, starts a backend, then measures the backends if this device has no remembered choice. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    try {
      const [load] = await Promise.all([
        loadModelCached(MODEL_URL, __MODEL_SHA256__, (loaded, total) => (this.#download = { loaded, total })),
        this.backends.detect(__MODEL_SHA256__),
      ]);
      this.#models = new ModelSet(load.artifacts);
      this.#modelSource = load.source;
      this.#notice = load.cacheNote ?? '';
      this.#download = null;
      await this.backends.start(this.#models);
      this.#status = 'ready';
      this.#drain();
    } catch (err) {
      this.#status = 'error';
      this.#error = `Could not start the recognizer: ${message(err)}`;
      return;
    }
    await this.backends.selectIfNeeded();
  }

  /** Asks for a prediction of `ink`; only the newest request waiting is kept. */
  submit(ink: InkImage): void {
    this.#pending = ink;
    this.#busy = true;
    this.#drain();
  }

  /** Forgets the drawing and any prediction under way. */
  clear(): void {
    this.#generation++;
    this.#pending = null;
    this.#probabilities = null;
  }

  async #drain(): Promise<void> {
    const models = this.#models;
    if (this.#running || !models) return;
    this.#running = true;
    try {
      while (this.#pending) {
        const ink = this.#pending;
        this.#pending = null;
        const generation = this.#generation;
        const input = toModelInput(ink);
        let probs: number[] | null = null;
        if (input) {
          try {
            probs = Array.from(await models.predict(this.backends.current!, input));
          } catch (err) {
            if (!(await this.backends.recover(err))) throw err;
            this.#pending ??= ink;
            continue;
          }
        }
        if (generation !== this.#generation) continue;
        this.#probabilities = probs;
        this.#predictions++;
      }
    } catch (err) {
      this.#error = `Prediction failed: ${message(err)}`;
    } finally {
      this.#running = false;
      this.#busy = false;
    }
  }
}

/** The one recognizer of the app. */
export const recognizer = new Recognizer();
