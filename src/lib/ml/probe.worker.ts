/**
 * Measures backends off the main thread, so that shader compilation on a slow (software) GPU never freezes
 * the page, and so that the page can stop a measurement that overruns its budget by terminating the worker.
 */
/// <reference lib="webworker" />
import { ModelSet } from './models.ts';
import { measureCandidates } from './selection.ts';
import type { MeasureRequest, ProbeMessage } from './probe-protocol.ts';

const post = (m: ProbeMessage) => postMessage(m);

addEventListener('message', async (event: MessageEvent<MeasureRequest>) => {
  const { artifacts, candidates, options } = event.data;
  try {
    const models = new ModelSet(artifacts);
    await measureCandidates(candidates, models, options, undefined, (measurement, phase) =>
      post({ type: phase, measurement: { ...measurement } }),
    );
    post({ type: 'finished' });
  } catch (err) {
    post({ type: 'error', message: err instanceof Error ? err.message : String(err) });
  }
});
