/**
 * One copy of the digit model per backend (tfjs keeps a model's weights on the backend that was active when
 * it was loaded), plus the timing of single predictions on each: the `Prober` the backend selection measures with.
 */
import * as tf from './tf.ts';
import { activate } from './backends.ts';
import type { BackendName } from './backend-names.ts';
import { dispatchOn, exclusive, settled } from './engine.ts';
import { assertContext, explainGpuFailure, unlessGpuLost } from './gpu-health.ts';
import { withTimeout } from '../timeout.ts';
import { INPUT_SIDE } from './preprocess.ts';

/**
 * A prediction that takes longer than this means the backend hangs (a lost GPU context never answers). The
 * first one on a backend compiles its shaders, which a software GPU may take seconds for, so it gets longer.
 */
export const PREDICT_TIMEOUT_MS = 5000;
export const WARMUP_TIMEOUT_MS = 60_000;

/** Softmax outputs sum to 1; anything else means the backend broke (e.g., a lost WebGL context reads zeros). */
export function checkProbabilities(p: Float32Array): Float32Array {
  let sum = 0;
  for (const v of p) sum += v;
  if (!Number.isFinite(sum) || Math.abs(sum - 1) > 0.01) {
    throw new Error(
      `the backend returned invalid probabilities (sum ${Number.isFinite(sum) ? sum.toFixed(3) : sum})`,
    );
  }
  return p;
}

export class ModelSet {
  readonly #artifacts: tf.io.ModelArtifacts;
  readonly #models = new Map<BackendName, tf.LayersModel>();
  readonly #probeInput = new Float32Array(INPUT_SIDE * INPUT_SIDE);
  readonly #warm = new Set<BackendName>();

  constructor(artifacts: tf.io.ModelArtifacts) {
    this.#artifacts = artifacts;
    // A plausible digit-sized blob, so the timed work is the real work.
    for (let y = 8; y < 20; y++)
      for (let x = 10; x < 18; x++) this.#probeInput[y * INPUT_SIDE + x] = 1;
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
  predict(backend: BackendName, input: Float32Array): Promise<Float32Array> {
    return this.predictBatch(backend, input, 1);
  }

  /**
   * Probabilities for `count` 28×28 inputs (one after the other in `inputs`) in one batched prediction:
   * `count` × 10 values, each ten summing to 1 (checked).
   */
  async predictBatch(
    backend: BackendName,
    inputs: Float32Array,
    count: number,
  ): Promise<Float32Array> {
    const model = this.#models.get(backend);
    if (!model) throw new Error(`no model on ${backend}`);
    if (
      !Number.isInteger(count) ||
      count < 1 ||
      inputs.length !== count * INPUT_SIDE * INPUT_SIDE
    ) {
      throw new Error(
        `expected ${count} inputs of ${INPUT_SIDE}×${INPUT_SIDE}, got ${inputs.length} values`,
      );
    }
    await settled();
    const probs = dispatchOn(backend, () => {
      assertContext();
      const x = tf.tensor4d(inputs, [count, INPUT_SIDE, INPUT_SIDE, 1]);
      return model.predict(x, { batchSize: count }) as tf.Tensor;
    });
    // Still on `backend` (dispatch is synchronous): watch its GPU while the result is read.
    const watched = unlessGpuLost(probs.data());
    const limit = this.#warm.has(backend) ? PREDICT_TIMEOUT_MS : WARMUP_TIMEOUT_MS;
    try {
      const result = (await withTimeout(
        watched,
        limit,
        `no result within ${limit / 1000} s`,
      )) as Float32Array;
      for (let i = 0; i < count; i++) checkProbabilities(result.subarray(i * 10, i * 10 + 10));
      this.#warm.add(backend);
      return result;
    } catch (err) {
      throw await explainGpuFailure(err);
    } finally {
      probs.dispose();
    }
  }

  /** Times one prediction, result read back included. */
  async run(backend: BackendName): Promise<number> {
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
      this.#warm.delete(backend);
    }
  }

  /** Frees the model on `backend`. */
  dispose(backend: BackendName): void {
    this.#models.get(backend)?.dispose();
    this.#models.delete(backend);
    this.#warm.delete(backend);
  }
}
