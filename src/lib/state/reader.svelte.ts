/**
 * Reads numbers in pictures — camera frames and photos — in a compute worker of its own, so the live camera
 * never waits for the drawing pad and the other way round. The model comes from the recognizer (loaded once);
 * the backend is the one chosen for a batch of digits (`backends.chainFor`), and a backend that fails is
 * replaced by the next in the fallback order, as on the pad. The page only grabs pixels and paints results.
 */
import type { BackendName } from '../ml/backend-names.ts';
import type { ComputeApi } from '../ml/compute-api.ts';
import { spawnCompute } from '../ml/compute-client.ts';
import { errorMessage } from '../errors.ts';
import type { PictureSource, Reading } from '../vision/read-picture.ts';
import { transfer, type Bridge } from '../worker-bridge.ts';
import { recognizer } from './recognizer.svelte.ts';

/** The digits a picture is assumed to hold when choosing its backend (a few numbers on a page). */
const TYPICAL_DIGITS = 8;

/** Errors that say the picture, not the backend, is at fault. */
const PICTURE_ERRORS = new Set(['UnreadableImageError']);

class PictureReader {
  #backend = $state<BackendName | null>(null);
  #label = $state('');
  #notice = $state('');
  #bridge: Bridge<ComputeApi> | null = null;
  #chain: BackendName[] = [];
  #starting: Promise<void> | null = null;

  /** The backend pictures are read on; null until the reader has started. */
  get backend() {
    return this.#backend;
  }
  /** The backend's label for people, e.g. "WASM · SIMD". */
  get label() {
    return this.#label;
  }
  /** One line about a backend that failed and what replaced it. */
  get notice() {
    return this.#notice;
  }

  /** Starts the worker and the best backend for pictures (once; later calls wait for the same start). */
  start(): Promise<void> {
    this.#starting ??= this.#start().catch((err) => {
      this.#starting = null;
      throw err;
    });
    return this.#starting;
  }

  async #start(): Promise<void> {
    const model = await recognizer.model();
    this.#chain = recognizer.backends.chainFor(TYPICAL_DIGITS);
    const bridge = spawnCompute('reader');
    this.#bridge = bridge;
    await bridge.api.setModel(model);
    await this.#startFirstThatWorks();
    // Reading starts at once; the batch workload is measured meanwhile (first time only) and taken up after.
    void recognizer.backends.backendFor(TYPICAL_DIGITS).then(() => this.#rechain());
  }

  /** Moves to the best backend for pictures, if a measurement has changed which one that is. */
  async #rechain(): Promise<void> {
    const chain = recognizer.backends.chainFor(TYPICAL_DIGITS);
    if (!chain.length || chain[0] === this.#backend) return;
    const previous = this.#chain;
    this.#chain = chain;
    try {
      await this.#startFirstThatWorks();
    } catch {
      this.#chain = previous;
    }
  }

  /** Prepares the first backend of the chain that starts; the ones that do not are dropped. */
  async #startFirstThatWorks(): Promise<void> {
    const bridge = this.#bridge;
    if (!bridge) throw new Error('the reader has not started');
    let lastError: unknown = null;
    while (this.#chain.length) {
      const backend = this.#chain[0];
      try {
        const { label } = await bridge.api.prepare(backend);
        await bridge.api.release(backend);
        this.#backend = backend;
        this.#label = label;
        return;
      } catch (err) {
        lastError = err;
        this.#chain.shift();
      }
    }
    throw new Error(`no backend could start (${errorMessage(lastError)})`);
  }

  /**
   * Reads `source` (a camera frame is moved to the worker; a photo's Blob is copied). If the backend fails,
   * the next one takes over and a photo is read again; a frame is dropped (the next frame will do).
   */
  async read(source: PictureSource, maxSide?: number): Promise<Reading> {
    await this.start();
    for (;;) {
      const bridge = this.#bridge;
      const backend = this.#backend;
      if (!bridge || !backend) throw new Error('the reader has not started');
      const arg = source instanceof Blob ? source : transfer(source, [source]);
      try {
        return await bridge.api.readPicture(backend, arg, maxSide);
      } catch (err) {
        if (PICTURE_ERRORS.has((err as Error).name)) throw err;
        // Moved to a better backend meanwhile (the old one's model was freed): not a failure.
        if (backend !== this.#backend) {
          if (source instanceof Blob) continue;
          throw err;
        }
        this.#chain = this.#chain.filter((b) => b !== backend);
        await this.#startFirstThatWorks();
        this.#notice = `${backend} failed (${errorMessage(err)}); now reading on ${this.#backend}.`;
        if (!(source instanceof Blob)) throw err;
      }
    }
  }

  /** Tensors alive in the reader's worker (the model's weights; a leak shows as a count that grows). */
  async tensors(): Promise<number | null> {
    return this.#bridge && !this.#bridge.ended ? this.#bridge.api.tensors() : null;
  }
}

/** The app's one picture reader, shared by the camera and photo pages. */
export const reader = new PictureReader();
