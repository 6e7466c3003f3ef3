/** Messages between the page and the measuring worker (src/lib/ml/probe-task.ts, run in src/lib/compute.worker.ts). */
import type { io } from './tf.ts';
import type { BackendName } from './backends.ts';
import type { Measurement, SelectionOptions } from './selection.ts';

export interface MeasureRequest {
  type: 'measure';
  artifacts: io.ModelArtifacts;
  candidates: BackendName[];
  options: SelectionOptions;
}

export type ProbeMessage =
  | { type: 'start'; measurement: Measurement }
  | { type: 'done'; measurement: Measurement }
  | { type: 'finished' }
  | { type: 'error'; message: string };
