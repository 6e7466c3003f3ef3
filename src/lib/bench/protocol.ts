/** Messages between the benchmark page and its worker (src/lib/bench/sweep.ts, run in src/lib/compute.worker.ts). */
import type { io } from '../ml/tf.ts';
import type { BackendName } from '../ml/backends.ts';
import type { BackendResult } from './results.ts';
import type { BenchSetup } from './setup.ts';

export interface BenchRequest {
  type: 'run';
  artifacts: io.ModelArtifacts;
  /** Input shape without the batch dimension. */
  inputShape: number[];
  setup: BenchSetup;
  /** Also time each kernel for one run at batch 1 (slower). */
  kernels: boolean;
}

export interface BenchProgress {
  backend: BackendName;
  batch: number | null;
  /** Phase inside the cell. */
  phase: 'init' | 'load' | 'warm-up' | 'timed' | 'profile';
  run: number;
  of: number;
}

export type BenchMessage =
  | { type: 'progress'; progress: BenchProgress }
  | { type: 'result'; result: BackendResult }
  | { type: 'environment'; tfjsVersion: string; webglInWorker: boolean }
  | { type: 'done' };
