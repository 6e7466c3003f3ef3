/**
 * Measures backends in a compute worker of its own and enforces the time budget from the outside: when the
 * budget runs out the worker is terminated (a GPU warm-up cannot be interrupted any other way); the backend
 * under way is recorded as cut, and so are the ones not reached.
 */
import type { io } from './tf.ts';
import type { BackendName } from './backend-names.ts';
import { spawnCompute } from './compute-client.ts';
import { partialResults, type BackendResult, type TimingPlan } from './timing.ts';
import { ms } from '../format.ts';
import type { ThreadResult } from './backend-policy.ts';

/** Times `plan` on `artifacts`; `budgetMs` (null: none) bounds the whole run, worker start-up included. */
export async function measureInWorker(
  artifacts: io.ModelArtifacts,
  plan: TimingPlan,
  budgetMs: number | null,
): Promise<BackendResult[]> {
  const signal = budgetMs === null ? undefined : AbortSignal.timeout(budgetMs);
  const started = new Set<BackendName>();
  const finished: BackendResult[] = [];
  const worker = spawnCompute('backend-probe', {
    signal,
    onEvent: (e) => {
      if (e.type === 'start') started.add(e.backend);
      else if (e.type === 'result') finished.push(e.result);
    },
  });
  try {
    await worker.api.setModel(artifacts);
    return await worker.api.measure(plan);
  } catch (err) {
    if (!signal?.aborted) throw err;
    return partialResults(plan.backends, finished, started, 'cut', {
      running: `still starting or warming up when the ${ms(budgetMs)} start-up budget ran out`,
      waiting: `not reached within the ${ms(budgetMs)} start-up budget`,
    });
  } finally {
    worker.terminate();
  }
}

/** Times WASM with each thread count in `counts`, each in a worker of its own (a pool is made once). */
export async function measureWasmThreads(
  artifacts: io.ModelArtifacts,
  counts: readonly number[],
  plan: TimingPlan,
): Promise<ThreadResult[]> {
  const out: ThreadResult[] = [];
  for (const threads of counts) {
    const worker = spawnCompute('backend-probe');
    try {
      await worker.api.setWasmThreads(threads);
      await worker.api.setModel(artifacts);
      const [result] = await worker.api.measure({ ...plan, backends: ['wasm'] });
      const actual = result.status === 'ok' ? await worker.api.wasmThreadsInUse() : undefined;
      out.push({ threads, actual, result });
    } finally {
      worker.terminate();
    }
  }
  return out;
}
