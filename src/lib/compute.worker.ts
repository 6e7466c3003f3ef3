/**
 * The one worker the app runs tfjs in off the main thread: the start-up backend measurement and the benchmark
 * sweep. One worker script (not one per job) so the backends' lazy chunks are built and precached once.
 * Each job gets a fresh worker, which the page terminates to stop it.
 */
/// <reference lib="webworker" />
import { runProbe } from './ml/probe-task.ts';
import type { MeasureRequest } from './ml/probe-protocol.ts';
import { runSweep } from './bench/sweep.ts';
import type { BenchRequest } from './bench/protocol.ts';

addEventListener('message', (event: MessageEvent<MeasureRequest | BenchRequest>) => {
  const req = event.data;
  if (req.type === 'measure') void runProbe(req, (m) => postMessage(m));
  else void runSweep(req, (m) => postMessage(m));
});
