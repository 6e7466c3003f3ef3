/**
 * The recognizer's state: model loading (IndexedDB cache or download), the backend (see backends.svelte.ts),
 * live predictions. Predictions never queue: while one runs, only the newest drawing waits; stale results
 * are dropped. A prediction that fails because its backend broke is retried on the next backend.
 */
import { tensorCount } from '../ml/engine.ts';
import { ModelSet } from '../ml/models.ts';
import { INPUT_SIDE, toModelInput, type InkImage } from '../ml/preprocess.ts';
import { loadModelCached } from '../storage/model-cache.ts';
import { Backends } from './backends.svelte.ts';
import { errorMessage } from '../errors.ts';

/** Where the app serves the model (works under any base path). */
export const MODEL_URL = `${import.meta.env.BASE_URL}model/model.json`;

type Status = 'loading' | 'ready' | 'error';

/**
 * A performance measure per prediction (model time, result read back), for `npm run bench`, which collects them
 * with a PerformanceObserver. Only the latest is kept in the timeline, so a long session does not pile them up.
 */
export const MEASURE_PREDICT = 'digit-lens:predict';

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
  #tensors = $state(0);
  #models: ModelSet | null = null;
  #pending: (() => InkImage) | null = null;
  /** The one model-input buffer, reused by every prediction. */
  readonly #input = new Float32Array(INPUT_SIDE * INPUT_SIDE);
  #running = false;
  #generation = 0;
  #started = false;

  get status() {
    return this.#status;
  }
  get error() {
    return this.#error;
  }
  /** A one-line note about something the app repaired or worked around. */
  get notice() {
    return this.backends.notice || this.#notice;
  }
  /** Model download progress while it is being fetched. */
  get download() {
    return this.#download;
  }
  /** Where the model came from this time. */
  get modelSource() {
    return this.#modelSource;
  }
  /** Ten probabilities for the current drawing; null when the pad is empty. */
  get probabilities() {
    return this.#probabilities;
  }
  /** How many predictions have been shown. */
  get predictions() {
    return this.#predictions;
  }
  /** True while a prediction runs or waits. */
  get busy() {
    return this.#busy;
  }
  /** Tensors held in this page after the last prediction or backend change (the model's weights, nothing else). */
  get tensors() {
    return this.#tensors;
  }

  /** Loads the model, starts a backend, then measures the backends if this device has no remembered choice. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    try {
      const [load] = await Promise.all([
        loadModelCached(
          MODEL_URL,
          __MODEL_SHA256__,
          (loaded, total) => (this.#download = { loaded, total }),
        ),
        this.backends.detect(__MODEL_SHA256__),
      ]);
      this.#models = new ModelSet(load.artifacts);
      this.#modelSource = load.source;
      this.#notice = load.cacheNote ?? '';
      this.#download = null;
      await this.backends.start(this.#models);
      this.#status = 'ready';
      this.#tensors = tensorCount();
      this.#drain();
    } catch (err) {
      this.#status = 'error';
      this.#error = `Could not start the recognizer: ${errorMessage(err)}`;
      return;
    }
    await this.backends.selectIfNeeded();
    this.#tensors = tensorCount();
  }

  /** Runs on `backend` for this session (the user's pick). */
  async use(backend: Parameters<Backends['pin']>[0]): Promise<void> {
    await this.backends.pin(backend);
    this.#tensors = tensorCount();
  }

  /** Measures every backend again (the user asked) and switches to the fastest. */
  async remeasure(): Promise<void> {
    await this.backends.measure();
    this.#tensors = tensorCount();
  }

  /** Asks for a prediction of the ink `read` returns; only the newest request waiting is kept. */
  submit(read: () => InkImage): void {
    this.#pending = read;
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
        const read = this.#pending;
        this.#pending = null;
        const generation = this.#generation;
        const input = toModelInput(read(), this.#input);
        let probs: number[] | null = null;
        if (input) {
          try {
            const t0 = performance.now();
            probs = Array.from(await models.predict(this.backends.current!, input));
            performance.clearMeasures(MEASURE_PREDICT);
            performance.measure(MEASURE_PREDICT, { start: t0, end: performance.now() });
          } catch (err) {
            if (!(await this.backends.recover(err))) throw err;
            this.#pending ??= read;
            continue;
          }
        }
        if (generation !== this.#generation) continue;
        this.#probabilities = probs;
        this.#predictions++;
      }
    } catch (err) {
      this.#error = `Prediction failed: ${errorMessage(err)}`;
    } finally {
      this.#running = false;
      this.#busy = false;
      this.#tensors = tensorCount();
    }
  }
}

/** The one recognizer of the app. */
export const recognizer = new Recognizer();
