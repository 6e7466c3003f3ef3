/**
 * The recognizer's state: the model (IndexedDB cache or download, on the page), the compute worker that runs
 * it, the backend (backends.svelte.ts) and live predictions. The page does no ML: it turns the drawing into the
 * 28×28 input and paints the probabilities the worker sends back. Predictions never queue (LatestOnly): while
 * one runs, only the newest drawing waits. A prediction whose backend broke is retried on the next backend.
 */
import { spawnCompute } from '../ml/compute-client.ts';
import { MODEL_URL, loadModelCached, loadReference } from '../ml/model-source.ts';
import { INPUT_SIDE, toModelInput, type InkImage } from '../ml/preprocess.ts';
import { LatestOnly } from '../latest-only.ts';
import { MARKS } from '../marks.ts';
import { Backends } from './backends.svelte.ts';
import { errorMessage } from '../errors.ts';

type Status = 'loading' | 'ready' | 'error';
/** The model's files, as loaded (what a compute worker is given). */
type ModelFiles = Awaited<ReturnType<typeof loadModelCached>>['artifacts'];

/** A promise with its settle functions, for "wait until the recognizer is ready (or failed)". */
function deferred(): { promise: Promise<void>; resolve: () => void; reject: (e: unknown) => void } {
  let resolve = () => {};
  let reject: (e: unknown) => void = () => {};
  const promise = new Promise<void>((res, rej) => ((resolve = res), (reject = rej)));
  promise.catch(() => {}); // a failed start is reported by the status; waiters still see it
  return { promise, resolve, reject };
}

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
  #ready = deferred();
  /** The one model-input buffer, reused by every prediction (it is copied when posted). */
  readonly #input = new Float32Array(INPUT_SIDE * INPUT_SIDE);
  readonly #queue = new LatestOnly<() => InkImage, Float32Array | null>({
    work: (read) => this.#predict(read),
    deliver: (probs) => {
      this.#probabilities = probs && Array.from(probs);
      this.#predictions++;
    },
    fail: (err) => (this.#error = `Prediction failed: ${errorMessage(err)}`),
    onBusy: (busy) => {
      this.#busy = busy;
      if (!busy) void this.backends.countTensors();
    },
  });
  #started = false;
  #artifacts: ModelFiles | null = null;

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
  /** Tensors held in the recognizer's worker (the model's weights, nothing else). */
  get tensors() {
    return this.backends.tensors;
  }

  /** Loads the model, starts a backend, then measures the backends if this device has no remembered choice. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    // Started here, not when this module loads: making a worker is main-thread work the page's first
    // task can do without. It loads its script while the model is read.
    const compute = spawnCompute('recognizer');
    try {
      const [load, reference] = await Promise.all([
        loadModelCached(
          MODEL_URL,
          __MODEL_SHA256__,
          (loaded, total) => (this.#download = { loaded, total }),
        ),
        loadReference(),
        this.backends.detect(__MODEL_SHA256__),
      ]);
      this.#modelSource = load.source;
      this.#notice = load.cacheNote ?? '';
      this.#download = null;
      this.#artifacts = load.artifacts;
      await compute.api.setModel(load.artifacts);
      await this.backends.start(
        compute,
        () => spawnCompute('recognizer'),
        load.artifacts,
        reference,
      );
      await this.backends.countTensors();
      this.#status = 'ready';
      this.#ready.resolve();
    } catch (err) {
      this.#status = 'error';
      this.#error = `Could not start the recognizer: ${errorMessage(err)}`;
      this.#ready.reject(err);
      return;
    }
    await this.backends.selectIfNeeded();
  }

  /** The model's files, once loaded (for other workers that run it: the camera and photo reader). */
  async model(): Promise<ModelFiles> {
    void this.start();
    await this.#ready.promise;
    if (!this.#artifacts) throw new Error('the model is not loaded');
    return this.#artifacts;
  }

  /** Runs on `backend` for this session (the user's pick). */
  use(backend: Parameters<Backends['pin']>[0]): Promise<void> {
    return this.backends.pin(backend);
  }

  /** Measures every backend again (the user asked) and switches to the fastest. */
  remeasure(): Promise<void> {
    return this.backends.measure(true);
  }

  /** Asks for a prediction of the ink `read` returns; only the newest request waiting is kept. */
  submit(read: () => InkImage): void {
    this.#queue.submit(read);
  }

  /** Forgets the drawing and any prediction under way. */
  clear(): void {
    this.#queue.clear();
    this.#probabilities = null;
  }

  /** The probabilities for the ink `read` returns now (null for an empty pad), falling back on failure. */
  async #predict(read: () => InkImage): Promise<Float32Array | null> {
    await this.#ready.promise;
    const input = toModelInput(read(), this.#input);
    if (!input) return null;
    for (;;) {
      const t0 = performance.now();
      try {
        const probs = await this.backends.predict(input);
        performance.clearMeasures(MARKS.predict);
        performance.measure(MARKS.predict, { start: t0, end: performance.now() });
        return probs;
      } catch (err) {
        if (!(await this.backends.recover(err))) throw err;
      }
    }
  }
}

/** The one recognizer of the app. */
export const recognizer = new Recognizer();
