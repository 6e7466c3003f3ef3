/**
 * The measurements behind the recognizer's backend choice beyond the first decision, each in compute workers
 * of their own (page side, no tfjs): the batch workload, and WASM per thread count. They return the choice
 * with what they found; the state class keeps and saves it.
 */
import type { io } from './tf.ts';
import type { BackendName } from './backend-names.ts';
import {
  fastestThreads,
  wasmThreadCounts,
  withWorkload,
  WORKLOADS,
  type BackendChoice,
} from './backend-policy.ts';
import { measureInWorker, measureWasmThreads } from './probe.ts';
import { FULL_PLAN, THREADS_PLAN, type Reference, type TimingPlan } from './timing.ts';
import { INPUT_SIDE } from './preprocess.ts';

/** The digit model's files and its held-out check digits. */
export interface DigitModel {
  artifacts: io.ModelArtifacts;
  reference: Reference | null;
}

/** A timing plan on the digit model over `backends`, with the held-out check digits. */
export function digitPlan(
  model: DigitModel,
  base: Omit<TimingPlan, 'backends' | 'inputShape'>,
  backends: BackendName[],
): TimingPlan {
  return { ...base, backends, inputShape: [INPUT_SIDE, INPUT_SIDE, 1], reference: model.reference };
}

/** `choice` with the batch workload measured on every backend that measured well at batch 1. */
export async function measureManyWorkload(
  model: DigitModel,
  choice: BackendChoice,
): Promise<BackendChoice> {
  const backends = choice.results.filter((r) => r.status === 'ok').map((r) => r.backend);
  const plan = digitPlan(model, { ...FULL_PLAN, batches: [WORKLOADS.many] }, backends);
  return withWorkload(choice, await measureInWorker(model.artifacts, plan, null));
}

/**
 * `choice` with WASM's fastest thread count per workload, timed with 1 … 4 threads (up to `cores`); null
 * where there is nothing to choose (one core, or WASM not measured).
 */
export async function tuneWasmThreads(
  model: DigitModel,
  choice: BackendChoice,
  cores: number,
): Promise<BackendChoice | null> {
  const counts = wasmThreadCounts(cores);
  if (counts.length < 2 || !choice.results.some((r) => r.backend === 'wasm' && r.status === 'ok')) {
    return null;
  }
  const batches = [WORKLOADS.single, WORKLOADS.many];
  const plan = digitPlan(model, { ...THREADS_PLAN, batches }, ['wasm']);
  const measured = await measureWasmThreads(model.artifacts, counts, plan);
  return {
    ...choice,
    wasmThreads: {
      single: fastestThreads(measured, WORKLOADS.single),
      many: fastestThreads(measured, WORKLOADS.many),
    },
    threadResults: measured,
  };
}
