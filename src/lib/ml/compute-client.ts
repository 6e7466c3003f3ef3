/** Starts a compute worker and connects to it: the page's only way to run tfjs. */
import type { ComputeApi } from './compute-api.ts';
import type { TimingEvent } from './timing.ts';
import { connect, type Bridge, type ConnectOptions } from '../worker-bridge.ts';

/** A compute worker's job, shown as the worker's name (in DevTools, and to tests). */
export type ComputeJob = 'recognizer' | 'backend-probe' | 'benchmark' | 'reader';

/** A new compute worker for `job`. */
export function spawnCompute(
  job: ComputeJob,
  options: ConnectOptions<TimingEvent> = {},
): Bridge<ComputeApi> {
  const worker = new Worker(new URL('../compute.worker.ts', import.meta.url), {
    type: 'module',
    name: job,
  });
  return connect<ComputeApi, TimingEvent>(worker, options);
}
