/**
 * Benchmark history in IndexedDB (idb-keyval): the runs made or imported on this device, newest first.
 * Separate from the model cache, so repairing the model never touches it.
 */
import { get, set } from 'idb-keyval';
import { KEYS } from './keys.ts';
import type { BenchRun } from '../bench/results.ts';

/** Runs kept; the oldest go first. */
export const HISTORY_SIZE = 50;

export async function loadHistory(): Promise<BenchRun[]> {
  const runs = await get<BenchRun[]>(KEYS.benchHistory);
  return Array.isArray(runs) ? runs : [];
}

/** Adds or replaces `run` (by id); returns the new history. */
export async function saveRun(run: BenchRun): Promise<BenchRun[]> {
  const runs = [run, ...(await loadHistory()).filter((r) => r.id !== run.id)].slice(
    0,
    HISTORY_SIZE,
  );
  await set(KEYS.benchHistory, runs);
  return runs;
}

export async function deleteRun(id: string): Promise<BenchRun[]> {
  const runs = (await loadHistory()).filter((r) => r.id !== id);
  await set(KEYS.benchHistory, runs);
  return runs;
}
