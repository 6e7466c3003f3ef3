/**
 * The model cache policy: the model is kept in IndexedDB (tfjs' layout, lib/storage/model-store.ts) under a
 * key holding its weights' SHA-256. A load first tries that copy and re-checks its hash; a copy that is
 * missing, unreadable or wrong is deleted and the model is fetched again (service worker / network), verified,
 * and stored. After a store, every other version is removed. If IndexedDB itself fails, the app works from the
 * network. No tfjs here: the page loads the files and hands them to the compute worker.
 */
import type { io } from './tf.ts';
import { fetchModelArtifacts, sha256Hex, type Progress } from './model-fetch.ts';
import {
  deleteModel,
  listModels,
  readModel,
  writeModel,
  type StoredModel,
} from '../storage/model-store.ts';
import { MODEL_STORE_PREFIX } from '../storage/keys.ts';
import { withTimeout } from '../timeout.ts';
import { errorMessage } from '../errors.ts';
import { parseReference, type Reference } from './correctness.ts';

/** Where the app serves the bundled model (works under any base path). */
export const MODEL_URL = `${import.meta.env.BASE_URL}model/model.json`;

/** Where the app serves the held-out digits every backend is checked with (see correctness.ts). */
export const CHECK_DIGITS_URL = `${import.meta.env.BASE_URL}model/check-digits.bin`;

/** The held-out check digits, or null (with a warning) when they cannot be read: checks are then skipped. */
export async function loadReference(url = CHECK_DIGITS_URL): Promise<Reference | null> {
  try {
    const response = await fetch(url);
    if (!response.ok) throw new Error(`HTTP ${response.status}`);
    return parseReference(await response.arrayBuffer());
  } catch (err) {
    console.warn(`[digit-lens] no correctness check: ${url}: ${errorMessage(err)}`);
    return null;
  }
}

/** Where a loaded model came from, and what went wrong with the cache on the way (if anything). */
export interface ModelLoad {
  artifacts: io.ModelArtifacts;
  source: 'indexeddb' | 'network';
  /** A human-readable note when the cached copy had to be repaired or could not be used. */
  cacheNote: string | null;
  bytes: number;
}

function weightBytes(model: StoredModel): ArrayBuffer {
  const data = model.weightData;
  if (data instanceof ArrayBuffer) return data;
  if (Array.isArray(data)) {
    const out = new Uint8Array(data.reduce((a, p) => a + p.byteLength, 0));
    data.reduce((at, p) => (out.set(new Uint8Array(p), at), at + p.byteLength), 0);
    return out.buffer;
  }
  throw new Error('model record has no weights');
}

/** How long an IndexedDB operation may take before the cache is treated as broken. */
export const STORAGE_TIMEOUT_MS = 5000;

/** `p`, or a rejection after STORAGE_TIMEOUT_MS: a broken IndexedDB may never answer, and the app must not wait. */
function inTime<T>(p: Promise<T>, what: string): Promise<T> {
  return withTimeout(
    p,
    STORAGE_TIMEOUT_MS,
    `${what} did not finish in ${STORAGE_TIMEOUT_MS / 1000} s`,
  );
}

class MissingModel extends Error {}

async function readCached(path: string, sha256: string): Promise<io.ModelArtifacts> {
  const model = await readModel(path);
  if (!model) throw new MissingModel();
  if ((await sha256Hex(weightBytes(model))) !== sha256)
    throw new Error('stored weights fail the hash check');
  return model as io.ModelArtifacts;
}

/** Removes every cached version of the model except `keep`. */
async function removeOthers(keep: string): Promise<void> {
  for (const path of await listModels()) {
    if (path.startsWith(MODEL_STORE_PREFIX) && path !== keep) await deleteModel(path);
  }
}

/** Loads the model with hash `sha256` from IndexedDB, or from `url` (then caches it). */
export async function loadModelCached(
  url: string,
  sha256: string,
  onProgress?: Progress,
): Promise<ModelLoad> {
  const path = MODEL_STORE_PREFIX + sha256;
  let cacheNote: string | null = null;
  try {
    const artifacts = await inTime(readCached(path, sha256), 'reading the cached model');
    return {
      artifacts,
      source: 'indexeddb',
      cacheNote,
      bytes: weightBytes(artifacts as StoredModel).byteLength,
    };
  } catch (err) {
    if (!(err instanceof MissingModel)) {
      cacheNote = `Cached model was unusable (${errorMessage(err)}); downloaded it again.`;
      await inTime(deleteModel(path), 'removing the cached model').catch(() => {});
    }
  }
  const artifacts = await fetchModelArtifacts(url, sha256, onProgress);
  try {
    await inTime(writeModel(path, artifacts as StoredModel), 'storing the model');
    await inTime(removeOthers(path), 'removing older model versions');
  } catch (err) {
    cacheNote = `Model could not be stored on this device (${errorMessage(err)}); it will be downloaded next time.`;
  }
  return {
    artifacts,
    source: 'network',
    cacheNote,
    bytes: weightBytes(artifacts as StoredModel).byteLength,
  };
}
