/** Starts a benchmark in its own worker; cancelling terminates the worker at once. */
import type { BenchMessage, BenchRequest } from './protocol.ts';

export interface BenchHandle {
  /** Stops the run now; results already received stay. */
  cancel(): void;
  /** Resolves when the sweep ends or is cancelled; rejects when the worker breaks. */
  done: Promise<'done' | 'cancelled'>;
}

export function startBench(
  request: BenchRequest,
  onMessage: (m: BenchMessage) => void,
): BenchHandle {
  const worker = new Worker(new URL('../compute.worker.ts', import.meta.url), {
    type: 'module',
    name: 'benchmark',
  });
  let settle: (v: 'done' | 'cancelled') => void = () => {};
  let fail: (e: Error) => void = () => {};
  const done = new Promise<'done' | 'cancelled'>((resolve, reject) => {
    settle = resolve;
    fail = reject;
  });
  worker.onmessage = ({ data }: MessageEvent<BenchMessage>) => {
    onMessage(data);
    if (data.type === 'done') {
      worker.terminate();
      settle('done');
    }
  };
  worker.onerror = (e) => {
    worker.terminate();
    fail(new Error(`the benchmark worker failed: ${e.message || 'could not start'}`));
  };
  worker.postMessage(request);
  return {
    cancel() {
      worker.terminate();
      settle('cancelled');
    },
    done,
  };
}
