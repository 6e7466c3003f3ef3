/**
 * The recognizer's state: model loading, the backend in use, and live predictions.
 * Predictions never queue: while one runs, only the newest drawing waits; stale results are dropped.
 */
import type { LayersModel } from '@tensorflow/tfjs';
import { initDefaultBackend } from '../ml/backend.ts';
import { loadDigitModel, predictDigit } from '../ml/model.ts';
import { toModelInput, type InkImage } from '../ml/preprocess.ts';

/** Where the app serves the model (works under any base path). */
export const MODEL_URL = `${import.meta.env.BASE_URL}model/model.json`;

type Status = 'loading' | 'ready' | 'error';

class Recognizer {
  #status = $state<Status>('loading');
  #error = $state('');
  #backend = $state('');
  #probabilities = $state.raw<number[] | null>(null);
  #predictions = $state(0);
  #busy = $state(false);
  #model: LayersModel | null = null;
  #pending: InkImage | null = null;
  #running = false;
  #generation = 0;
  #started = false;

  get status() { return this.#status; }
  get error() { return this.#error; }
  get backend() { return this.#backend; }
  /** Ten probabilities for the current drawing; null when the pad is empty. */
  get probabilities() { return this.#probabilities; }
  /** How many predictions have been shown (tests and the UI use it to know a result is fresh). */
  get predictions() { return this.#predictions; }
  /** True while a prediction runs or waits. */
  get busy() { return this.#busy; }

  /** Initialises tfjs and loads the model once. */
  async start(): Promise<void> {
    if (this.#started) return;
    this.#started = true;
    try {
      this.#backend = await initDefaultBackend();
      this.#model = await loadDigitModel(MODEL_URL);
      this.#status = 'ready';
      this.#drain();
    } catch (err) {
      this.#status = 'error';
      this.#error = `Could not load the model: ${err instanceof Error ? err.message : String(err)}`;
    }
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
    if (this.#running || !this.#model) return;
    this.#running = true;
    try {
      while (this.#pending) {
        const ink = this.#pending;
        this.#pending = null;
        const generation = this.#generation;
        const input = toModelInput(ink);
        const probs = input ? Array.from(await predictDigit(this.#model, input)) : null;
        if (generation !== this.#generation) continue;
        this.#probabilities = probs;
        this.#predictions++;
      }
    } catch (err) {
      this.#error = `Prediction failed: ${err instanceof Error ? err.message : String(err)}`;
    } finally {
      this.#running = false;
      this.#busy = false;
    }
  }
}

/** The one recognizer of the app. */
export const recognizer = new Recognizer();
