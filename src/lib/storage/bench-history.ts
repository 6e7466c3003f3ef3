/**
 * Benchmark history in IndexedDB (idb-keyval): the runs made or imported on this device, newest first, at most
 * HISTORY_SIZE. Separate from the model cache, so repairing the model never touches it. It stores the runs it
 * is given (anything with an id); what a run holds is lib/bench/results.ts.
 */
import { get, set } from 'idb-keyval';
import { KEYS } from './keys.ts';

/** Runs kept; the oldest go first. */
export const HISTORY_SIZE = 50;

/** A stored run: only its id matters here. */
type Run = { id: string };

export async function loadHistory<T extends Run>(): Promise<T[]> {
  const runs = await get<T[]>(KEYS.benchHistory);
  return Array.isArray(runs) ? runs : [];
}

/** Adds or replaces `run` (by id); returns the new history. */
export async function saveRun<T extends Run>(run: T): Promise<T[]> {
  const runs = [run, ...(await loadHistory<T>()).filter((r) => r.id !== run.id)].slice(
    0,
    HISTORY_SIZE,
  );
  await set(KEYS.benchHistory, runs);
  return runs;
}

export async function deleteRun<T extends Run>(id: string): Promise<T[]> {
  const runs = (await loadHistory<T>()).filter((r) => r.id !== id);
  await set(KEYS.benchHistory, runs);
  return runs;
}
