/**
 * Measures backends off the main thread (in the compute worker), so that shader compilation on a slow
 * (software) GPU never freezes the page, and so that the page can stop a measurement that overruns its budget
 * by terminating the worker.
 */
import { ModelSet } from './models.ts';
import { measureCandidates } from './selection.ts';
import type { MeasureRequest, ProbeMessage } from './probe-protocol.ts';
import { errorMessage } from '../errors.ts';

export async function runProbe(
  req: MeasureRequest,
  post: (m: ProbeMessage) => void,
): Promise<void> {
  const { artifacts, candidates, options } = req;
  try {
    const models = new ModelSet(artifacts);
    await measureCandidates(candidates, models, options, undefined, (measurement, phase) =>
      post({ type: phase, measurement: { ...measurement } }),
    );
    post({ type: 'finished' });
  } catch (err) {
    post({ type: 'error', message: errorMessage(err) });
  }
}
