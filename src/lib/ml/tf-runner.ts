/**
 * The timing engine's `Runner` on real tfjs (in the compute worker): every prediction is
 * `predict(x, {batchSize: N})` with the result read back (`await data()`) inside the timed region, on random
 * inputs of the model's shape, and a lost GPU turns into an error instead of a wait that never ends.
 */
import * as tf from './tf.ts';
import type { BackendName } from './backend-names.ts';
import { switchTo } from './backends.ts';
import { assertContext, explainGpuFailure, unlessGpuLost } from './gpu-health.ts';
import type { ModelSet } from './models.ts';
import type { KernelTime, Runner } from './timing.ts';

/** Resolves in a new task (a message to itself: not clamped like a 0 ms timer). */
function nextTask(): Promise<void> {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    channel.port1.onmessage = () => {
      channel.port1.close();
      resolve();
    };
    channel.port2.postMessage(null);
  });
}

function gpuBytes(): number | null {
  const m = tf.memory() as tf.MemoryInfo & {
    numBytesInGPU?: number;
    numBytesInGPUAllocated?: number;
  };
  return m.numBytesInGPU ?? m.numBytesInGPUAllocated ?? null;
}

/** Kernels by total time; named op wrappers ("fusedConv2d__op") repeat the kernels inside them, so are skipped. */
function byKernel(kernels: { name: string; kernelTimeMs: unknown }[]): KernelTime[] {
  const byName = new Map<string, KernelTime>();
  for (const k of kernels.filter((k) => !k.name.endsWith('__op'))) {
    const entry = byName.get(k.name) ?? { name: k.name, ms: 0, calls: 0 };
    entry.ms += typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    entry.calls++;
    byName.set(k.name, entry);
  }
  return [...byName.values()].sort((a, b) => b.ms - a.ms).slice(0, 8);
}

export class TfRunner implements Runner {
  readonly #models: ModelSet;
  readonly #shape: number[];
  /** One random input per batch size, made on the backend under test. */
  readonly #inputs = new Map<number, tf.Tensor>();
  #baseline = 0;

  constructor(models: ModelSet, inputShape: number[]) {
    this.#models = models;
    this.#shape = inputShape;
  }

  async prepare(backend: BackendName) {
    const times = await this.#models.prepare(backend);
    this.#baseline = tf.memory().numTensors;
    return times;
  }

  #model(backend: BackendName): tf.LayersModel {
    const model = this.#models.get(backend);
    if (!model) throw new Error(`no model on ${backend}`);
    switchTo(backend);
    assertContext();
    return model;
  }

  #input(batch: number): tf.Tensor {
    let x = this.#inputs.get(batch);
    if (!x) this.#inputs.set(batch, (x = tf.randomUniform([batch, ...this.#shape])));
    return x;
  }

  /** Switches to `backend` and predicts once at `batch`, result read back. */
  async #predictOnce(backend: BackendName, batch: number): Promise<void> {
    const model = this.#model(backend);
    const y = model.predict(this.#input(batch), { batchSize: batch }) as tf.Tensor;
    try {
      await unlessGpuLost(y.data());
    } catch (err) {
      throw await explainGpuFailure(err);
    } finally {
      y.dispose();
    }
  }

  async time(backend: BackendName, batch: number): Promise<number> {
    // Between runs, let the worker take its messages: on the CPU backend a run never leaves the microtask
    // queue, so a long sweep would otherwise starve everything else in this worker.
    await nextTask();
    // Make the input outside the timed region (on the backend under test).
    this.#model(backend);
    this.#input(batch);
    const t0 = performance.now();
    await this.#predictOnce(backend, batch);
    return performance.now() - t0;
  }

  async memory(backend: BackendName) {
    this.#model(backend);
    const m = tf.memory();
    return { bytes: m.numBytes, tensors: m.numTensors, gpuBytes: gpuBytes() };
  }

  async profile(backend: BackendName, batch: number) {
    const info = await tf.profile(() => this.#predictOnce(backend, batch));
    return { peakBytes: info.peakBytes, newTensors: info.newTensors };
  }

  async kernels(backend: BackendName): Promise<KernelTime[]> {
    return byKernel((await tf.profile(() => this.#predictOnce(backend, 1))).kernels);
  }

  async predictAll(
    backend: BackendName,
    inputs: Float32Array,
    count: number,
  ): Promise<Float32Array> {
    const model = this.#model(backend);
    const y = tf.tidy(
      () =>
        model.predict(tf.tensor(inputs, [count, ...this.#shape]), {
          batchSize: count,
        }) as tf.Tensor,
    );
    try {
      return (await unlessGpuLost(y.data())) as Float32Array;
    } catch (err) {
      throw await explainGpuFailure(err);
    } finally {
      y.dispose();
    }
  }

  async release(backend: BackendName): Promise<number> {
    for (const x of this.#inputs.values()) x.dispose();
    this.#inputs.clear();
    const leaked = this.#models.get(backend) ? tf.memory().numTensors - this.#baseline : 0;
    this.#models.dispose(backend);
    return leaked;
  }
}
