/**
 * The worker the app runs tfjs in (one script, so the backends' lazy chunks are built and precached once;
 * one instance per job: the recognizer, a start-up measurement, a benchmark sweep). It serves the compute API
 * through the worker bridge; the page stops a job by terminating its instance.
 */
/// <reference lib="webworker" />
import { computeApi } from './ml/compute-api.ts';
import type { TimingEvent } from './ml/timing.ts';
import { expose } from './worker-bridge.ts';

const api = computeApi((event) => emit(event));
const emit = expose<TimingEvent>(api, self as unknown as DedicatedWorkerGlobalScope);
