/**
 * Runs a backend measurement in a dedicated worker and enforces its time budget from the outside: when the
 * budget runs out, the worker is terminated (a GPU warm-up cannot be interrupted any other way), the candidate
 * under way is recorded as stopped and the ones not reached as such.
 */
import type { io } from './tf.ts';
import type { BackendName } from './backends.ts';
import type { MeasureRequest, ProbeMessage } from './probe-protocol.ts';
import type { Measurement, SelectionOptions } from './selection.ts';

const ms = (t: number) => `${Math.round(t)} ms`;

/** Measures `candidates` in order; `deadlineMs` (null: none) bounds the whole run, worker start-up included. */
export function measureInWorker(
  artifacts: io.ModelArtifacts,
  candidates: BackendName[],
  options: SelectionOptions,
  deadlineMs: number | null,
): Promise<Measurement[]> {
  const worker = new Worker(new URL('../compute.worker.ts', import.meta.url), {
    type: 'module',
    name: 'backend-probe',
  });
  const results = new Map<BackendName, Measurement>();
  const started = new Map<BackendName, number>();

  const collect = (): Measurement[] =>
    candidates.map((backend) => {
      const done = results.get(backend);
      if (done) return done;
      const since = started.get(backend);
      return since === undefined
        ? {
            backend,
            status: 'cut',
            reason: `not reached within the ${ms(deadlineMs ?? 0)} start-up budget`,
          }
        : {
            backend,
            status: 'cut',
            reason: `still starting or warming up after ${ms(performance.now() - since)}; start-up budget spent`,
          };
    });

  return new Promise((resolve, reject) => {
    const finish = (error?: Error) => {
      clearTimeout(timer);
      worker.terminate();
      if (error) reject(error);
      else resolve(collect());
    };
    const timer = deadlineMs === null ? undefined : setTimeout(() => finish(), deadlineMs);
    worker.onmessage = ({ data }: MessageEvent<ProbeMessage>) => {
      if (data.type === 'start') started.set(data.measurement.backend, performance.now());
      else if (data.type === 'done') results.set(data.measurement.backend, data.measurement);
      else if (data.type === 'finished') finish();
      else finish(new Error(data.message));
    };
    worker.onerror = (e) =>
      finish(new Error(`the measuring worker failed: ${e.message || 'could not start'}`));
    const request: MeasureRequest = { type: 'measure', artifacts, candidates, options };
    worker.postMessage(request);
  });
}
