/**
 * The remembered backend choice and the log of backend failures, in idb-keyval. Storage faults never stop
 * the app: a choice that cannot be read is measured again, one that cannot be written is measured next time.
 */
import { get, set } from 'idb-keyval';
import { KEYS } from './keys.ts';

/** The stored choice (checked by its reader), or null when there is none or it cannot be read. */
export async function loadChoice(): Promise<unknown> {
  try {
    return (await get(KEYS.backendChoice)) ?? null;
  } catch {
    return null;
  }
}

/** Remembers `choice`; returns false when it could not be stored. */
export async function saveChoice(choice: unknown): Promise<boolean> {
  try {
    await set(KEYS.backendChoice, choice);
    return true;
  } catch {
    return false;
  }
}

/** A backend that failed while the app was using or measuring it. */
export interface BackendEvent {
  at: number;
  /** The backend's name, e.g. "webgl". */
  backend: string;
  message: string;
  /** The backend the app switched to, if any. */
  switchedTo: string | null;
}

/** How many failures are kept. */
export const BACKEND_LOG_SIZE = 50;

/** Appends `event` to the stored failure log (best effort). */
export async function logBackendEvent(event: BackendEvent): Promise<void> {
  try {
    const log = ((await get<BackendEvent[]>(KEYS.backendLog)) ?? []).slice(-(BACKEND_LOG_SIZE - 1));
    await set(KEYS.backendLog, [...log, event]);
  } catch {
    // The log is a convenience; the failure itself is already shown to the user.
  }
}

/** The stored failure log, oldest first. */
export async function readBackendLog(): Promise<BackendEvent[]> {
  try {
    return (await get<BackendEvent[]>(KEYS.backendLog)) ?? [];
  } catch {
    return [];
  }
}
