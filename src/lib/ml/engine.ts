/**
 * tfjs has one active backend per page. Initialising a backend and loading a model onto it take several
 * awaits, during which nothing else may switch the backend; predictions only need the right backend while
 * they are dispatched, which is synchronous. So: async set-up runs one at a time through `exclusive`, and a
 * prediction waits for the set-up under way (`settled`), then switches and dispatches in one go (`dispatchOn`).
 */
import * as tf from './tf.ts';
import { switchTo } from './backends.ts';
import type { BackendName } from './backend-names.ts';

let tail: Promise<unknown> = Promise.resolve();

/** Runs `fn` after every set-up queued before it, and before any queued after it. */
export function exclusive<T>(fn: () => Promise<T>): Promise<T> {
  const run = tail.then(fn, fn);
  tail = run.catch(() => {});
  return run;
}

/** Resolves once no set-up is running or queued. */
export async function settled(): Promise<void> {
  let seen: Promise<unknown>;
  do {
    seen = tail;
    await seen;
  } while (seen !== tail);
}

/** Switches to `backend` and runs `fn` synchronously in a tidy scope; the returned tensor survives. */
export function dispatchOn<T extends tf.TensorContainer>(backend: BackendName, fn: () => T): T {
  switchTo(backend);
  return tf.tidy(fn);
}
