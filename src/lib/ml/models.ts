/**
 * One copy of the digit model per backend (tfjs keeps a model's weights on the backend that was active when
 * it was loaded), plus the timing of single predictions on each: the `Prober` the backend selection measures with.
 */
import * as tf from '@tensorflow/tfjs';
import { activate, type BackendName } from './backends.ts';
import { dispatchOn, exclusive, settled } from './engine.ts';
import { INPUT_SIDE } from './preprocess.ts';
import type { Prober } from './selection.ts';

export class ModelSet implements Prober {
  readonly #artifacts: tf.io.ModelArtifacts;
  readonly #models = new Map<BackendName, tf.LayersModel>();
  readonly #probeInput = new Float32Array(INPUT_SIDE * INPUT_SIDE);

  constructor(artifacts: tf.io.ModelArtifacts) {
    this.#artifacts = artifacts;
    // A plausible digit-sized blob, so the timed work is the real work.
    for (let y = 8; y < 20; y++) for (let x = 10; x < 18; x++) this.#probeInput[y * INPUT_SIDE + x] = 1;
  }

  /** The model files this set loads from. */
  get artifacts(): tf.io.ModelArtifacts {
    return this.#artifacts;
  }

  /** The model on `backend`, if loaded. */
  get(backend: BackendName): tf.LayersModel | undefined {
    return this.#models.get(backend);
  }

  /** Initialises `backend` and loads the model onto it (once); returns the times in ms. */
  prepare(backend: BackendName): Promise<{ initMs: number; loadMs: number }> {
    return exclusive(async () => {
      const t0 = performance.now();
      await activate(backend);
      const t1 = performance.now();
      if (!this.#models.has(backend)) {
        this.#models.set(backend, await tf.loadLayersModel(tf.io.fromMemory(this.#artifacts)));
      }
      return { initMs: t1 - t0, loadMs: performance.now() - t1 };
    });
  }

  /** Probabilities for one 28×28 input on `backend`; allocates nothing it does not free. */
  async predict(backend: BackendName, input: Float32Array): Promise<Float32Array> {
    const model = this.#models.get(backend);
    if (!model) throw new Error(`no model on ${backend}`);
    await settled();
    const probs = dispatchOn(backend, () => model.predict(tf.tensor4d(input, [1, INPUT_SIDE, INPUT_SIDE, 1])) as tf.Tensor);
    try {
      return (await probs.data()) as Float32Array;
    } finally {
      probs.dispose();
    }
  }

  /** Times one prediction, result read back included. */
  async run(backend: BackendName): Promise<number> {
    await settled();
    const t0 = performance.now();
    await this.predict(backend, this.#probeInput);
    return performance.now() - t0;
  }

  /** Frees every model except the one on `keep`. */
  disposeExcept(keep: BackendName | null): void {
    for (const [backend, model] of this.#models) {
      if (backend === keep) continue;
      model.dispose();
      this.#models.delete(backend);
    }
  }

  /** Frees the model on `backend`. */
  dispose(backend: BackendName): void {
    this.#models.get(backend)?.dispose();
    this.#models.delete(backend);
  }
}
