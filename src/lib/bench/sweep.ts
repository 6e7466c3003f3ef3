/**
 * A benchmark sweep, backend by backend, run off the main thread (in the compute worker) so the page stays
 * responsive. Every prediction is `predict(x, {batchSize: N})` with the result read back (`await data()`)
 * inside the timed region. Cancelling terminates the worker.
 */
import * as tf from '../ml/tf.ts';
import { activate, type BackendName } from '../ml/backends.ts';
import { assertContext, explainGpuFailure, unlessGpuLost } from '../ml/gpu-health.ts';
import type { BackendResult, BatchResult, KernelTime, MemoryReport } from './results.ts';
import type { BenchMessage, BenchProgress, BenchRequest } from './protocol.ts';
import { summarize } from './stats.ts';
import { errorMessage } from '../errors.ts';

type Report = (p: BenchProgress, force?: boolean) => void;

/** Progress messages, at most one per 50 ms unless forced. */
function throttled(post: (m: BenchMessage) => void): Report {
  let last = 0;
  return (p, force = false) => {
    const now = performance.now();
    if (!force && now - last < 50) return;
    last = now;
    post({ type: 'progress', progress: p });
  };
}

/** One prediction of `x` in a single batch, result read back; returns ms. */
async function timeOne(model: tf.LayersModel, x: tf.Tensor, batch: number): Promise<number> {
  assertContext();
  const t0 = performance.now();
  const y = model.predict(x, { batchSize: batch }) as tf.Tensor;
  try {
    await unlessGpuLost(y.data());
    return performance.now() - t0;
  } finally {
    y.dispose();
  }
}

function gpuBytes(): number | null {
  const m = tf.memory() as tf.MemoryInfo & {
    numBytesInGPU?: number;
    numBytesInGPUAllocated?: number;
  };
  return m.numBytesInGPU ?? m.numBytesInGPUAllocated ?? null;
}

async function topKernels(model: tf.LayersModel, x: tf.Tensor): Promise<KernelTime[]> {
  const info = await tf.profile(async () => {
    const y = model.predict(x, { batchSize: x.shape[0] }) as tf.Tensor;
    await y.data();
    y.dispose();
  });
  const byName = new Map<string, KernelTime>();
  // Named op wrappers ("fusedConv2d__op") repeat the kernels inside them; count the kernels only.
  for (const k of info.kernels.filter((k) => !k.name.endsWith('__op'))) {
    const ms = typeof k.kernelTimeMs === 'number' ? k.kernelTimeMs : 0;
    const entry = byName.get(k.name) ?? { name: k.name, ms: 0, calls: 0 };
    entry.ms += ms;
    entry.calls++;
    byName.set(k.name, entry);
  }
  return [...byName.values()].sort((a, b) => b.ms - a.ms).slice(0, 8);
}

async function benchBackend(
  backend: BackendName,
  req: BenchRequest,
  progress: Report,
): Promise<BackendResult> {
  const { setup, inputShape } = req;
  const result: BackendResult = { backend, status: 'ok', batches: [] };
  let model: tf.LayersModel | null = null;
  try {
    progress({ backend, batch: null, phase: 'init', run: 0, of: 1 }, true);
    let t0 = performance.now();
    await activate(backend);
    result.initMs = performance.now() - t0;

    progress({ backend, batch: null, phase: 'load', run: 0, of: 1 }, true);
    t0 = performance.now();
    model = await tf.loadLayersModel(tf.io.fromMemory(req.artifacts));
    result.loadMs = performance.now() - t0;
    const baseline = tf.memory().numTensors;

    const one = tf.randomUniform([1, ...inputShape]);
    result.firstInferenceMs = await timeOne(model, one, 1);
    if (req.kernels) result.topKernels = await topKernels(model, one);
    one.dispose();

    let memory: MemoryReport | null = null;
    for (const batch of [...setup.batches].sort((a, b) => a - b)) {
      const x = tf.randomUniform([batch, ...inputShape]);
      try {
        for (let i = 0; i < setup.warmupRuns; i++) {
          progress({ backend, batch, phase: 'warm-up', run: i + 1, of: setup.warmupRuns });
          await timeOne(model, x, batch);
        }
        if (!memory) {
          const m = tf.memory();
          memory = {
            bytes: m.numBytes,
            tensors: m.numTensors,
            gpuBytes: gpuBytes(),
            peakBytes: null,
            newTensors: null,
            profiledBatch: null,
            leakedTensors: 0,
          };
        }
        const times: number[] = [];
        for (let i = 0; i < setup.timedRuns; i++) {
          progress({ backend, batch, phase: 'timed', run: i + 1, of: setup.timedRuns });
          times.push(await timeOne(model, x, batch));
        }
        result.batches.push({ batch, ...summarize(times, batch) } satisfies BatchResult);
        if (batch === Math.max(...setup.batches) && memory) {
          progress({ backend, batch, phase: 'profile', run: 1, of: 1 }, true);
          const info = await tf.profile(async () => {
            const y = model!.predict(x, { batchSize: batch }) as tf.Tensor;
            await y.data();
            y.dispose();
          });
          memory.peakBytes = info.peakBytes;
          memory.newTensors = info.newTensors;
          memory.profiledBatch = batch;
        }
      } finally {
        x.dispose();
      }
    }
    if (memory) memory.leakedTensors = tf.memory().numTensors - baseline;
    result.memory = memory ?? undefined;
  } catch (err) {
    result.status = 'failed';
    result.error = errorMessage(await explainGpuFailure(err));
  } finally {
    model?.dispose();
  }
  return result;
}

export async function runSweep(req: BenchRequest, post: (m: BenchMessage) => void): Promise<void> {
  const progress = throttled(post);
  post({
    type: 'environment',
    tfjsVersion: tf.version_core,
    webglInWorker: typeof OffscreenCanvas !== 'undefined',
  });
  for (const backend of req.setup.backends)
    post({ type: 'result', result: await benchBackend(backend, req, progress) });
  post({ type: 'done' });
}
