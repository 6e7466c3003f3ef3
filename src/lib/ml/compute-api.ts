/**
 * What the compute worker does for the page, as one API (served by src/lib/compute.worker.ts through the
 * worker bridge). The page never loads tfjs: it hands the model files over once, then asks for backends to be
 * started, single predictions (the recognizer) and timing plans (start-up measurement, benchmark sweeps).
 * Each job that needs its own thread gets its own worker instance: a sweep never blocks the recognizer.
 */
import * as tf from './tf.ts';
import { backendLabel, setWasmThreads } from './backends.ts';
import type { BackendName } from './backend-names.ts';
import { ModelSet } from './models.ts';
import { TfRunner } from './tf-runner.ts';
import { runPlan, type TimingEvent, type TimingPlan } from './timing.ts';
import { readPicture, type PictureSource } from '../vision/read-picture.ts';

/** How often progress is reported at most (ms). */
const PROGRESS_INTERVAL_MS = 50;

/** Batch sizes a GPU backend runs pictures at: each new shape compiles new shaders, so a few are reused. */
const GPU_BATCHES = [1, 2, 4, 8, 16, 32, 64];

/** `count` inputs in one prediction; on a GPU backend padded to a batch size it has compiled before. */
async function classifyBatch(
  set: ModelSet,
  backend: BackendName,
  inputs: Float32Array,
  count: number,
): Promise<Float32Array> {
  const size =
    backend === 'webgl' || backend === 'webgpu' ? GPU_BATCHES.find((b) => b >= count) : 0;
  if (!size || size === count) return set.predictBatch(backend, inputs, count);
  const padded = new Float32Array((size * inputs.length) / count);
  padded.set(inputs);
  return (await set.predictBatch(backend, padded, size)).subarray(0, count * 10);
}

/** The API; `emit` sends events to the page. */
export function computeApi(emit: (event: TimingEvent) => void) {
  let models: ModelSet | null = null;
  const loaded = () => {
    if (!models) throw new Error('no model was given to the worker');
    return models;
  };
  let lastProgress = 0;
  const report = (event: TimingEvent) => {
    if (event.type === 'progress') {
      const t = performance.now();
      if (event.progress.phase !== 'init' && t - lastProgress < PROGRESS_INTERVAL_MS) return;
      lastProgress = t;
    }
    emit(event);
  };

  return {
    /** Takes the model to run from its files (replacing any earlier one). */
    setModel(artifacts: tf.io.ModelArtifacts): void {
      models?.disposeExcept(null);
      models = new ModelSet(artifacts);
    },

    /** This worker's WASM thread count (before WASM starts here; see backends.ts). */
    setWasmThreads(threads: number): void {
      setWasmThreads(threads);
    },

    /** The threads WASM's pool really has in this worker (once WASM has started here). */
    async wasmThreadsInUse(): Promise<number> {
      return (await import('@tensorflow/tfjs-backend-wasm')).getThreadsCount();
    },

    /** Starts `backend` and loads the model on it: the times, and the backend's label for people. */
    async prepare(
      backend: BackendName,
    ): Promise<{ initMs: number; loadMs: number; label: string }> {
      const times = await loaded().prepare(backend);
      return { ...times, label: await backendLabel(backend) };
    },

    /** One prediction of a fixed input (shader compilation happens here); its time in ms. */
    warmUp(backend: BackendName): Promise<number> {
      return loaded().run(backend);
    },

    /** The ten probabilities for one 28×28 input, checked (they must sum to 1). */
    predict(backend: BackendName, input: Float32Array): Promise<Float32Array> {
      return loaded().predict(backend, input);
    },

    /** Probabilities for `count` 28×28 inputs in one batched prediction (`count` × 10 values). */
    predictBatch(backend: BackendName, inputs: Float32Array, count: number): Promise<Float32Array> {
      return loaded().predictBatch(backend, inputs, count);
    },

    /**
     * Reads a camera frame or a photo on `backend`: the digits found, classified in one batched prediction,
     * and the numbers they form. A photo is downscaled here, so a 12 MP picture never stalls the page.
     */
    readPicture(backend: BackendName, source: PictureSource, maxSide?: number) {
      const set = loaded();
      return readPicture(
        source,
        (inputs, count) => classifyBatch(set, backend, inputs, count),
        maxSide,
      );
    },

    /** Frees the model on every backend but `keep`; the tensors left. */
    release(keep: BackendName | null): number {
      models?.disposeExcept(keep);
      return tf.memory().numTensors;
    },

    /** Tensors alive in this worker (a leak shows up as a count that grows). */
    tensors(): number {
      return tf.memory().numTensors;
    },

    /** Runs a timing plan on the model (each backend's model is freed after its turn). */
    measure(plan: TimingPlan) {
      return runPlan(plan, new TfRunner(loaded(), plan.inputShape), report);
    },

    /** The tfjs version and whether WebGL can run here (OffscreenCanvas). */
    environment(): { tfjsVersion: string; webglInWorker: boolean } {
      return {
        tfjsVersion: tf.version_core,
        webglInWorker: typeof OffscreenCanvas !== 'undefined',
      };
    },
  };
}

export type ComputeApi = ReturnType<typeof computeApi>;
