/**
 * The model cache policy: the model is kept in IndexedDB (tfjs' indexeddb:// store) under a key holding its
 * weights' SHA-256. A load first tries that copy and re-checks its hash; a copy that is missing, unreadable
 * or wrong is deleted and the model is fetched again (service worker / network), verified, and stored.
 * After a store, every other version is removed. If IndexedDB itself fails, the app works from the network.
 */
import * as tf from '../ml/tf.ts';
import { MODEL_CACHE_PREFIX } from './keys.ts';
import { withTimeout } from '../timeout.ts';
import { fetchModelArtifacts, sha256Hex, type Progress } from '../ml/model-fetch.ts';
import { errorMessage } from '../errors.ts';

/** Where a loaded model came from, and what went wrong with the cache on the way (if anything). */
export interface ModelLoad {
  artifacts: tf.io.ModelArtifacts;
  source: 'indexeddb' | 'network';
  /** A human-readable note when the cached copy had to be repaired or could not be used. */
  cacheNote: string | null;
  bytes: number;
}

function weightBytes(artifacts: tf.io.ModelArtifacts): ArrayBuffer {
  const data = artifacts.weightData;
  if (data instanceof ArrayBuffer) return data;
  if (Array.isArray(data)) return concat(data);
  throw new Error('model record has no weights');
}

function concat(parts: ArrayBuffer[]): ArrayBuffer {
  const out = new Uint8Array(parts.reduce((a, p) => a + p.byteLength, 0));
  parts.reduce((at, p) => (out.set(new Uint8Array(p), at), at + p.byteLength), 0);
  return out.buffer;
}

/** How long an IndexedDB operation may take before the cache is treated as broken. */
export const STORAGE_TIMEOUT_MS = 5000;

/**
 * `p`, or a rejection after STORAGE_TIMEOUT_MS: an IndexedDB that throws inside tfjs' event handlers (a quota
 * error, a browser bug) leaves tfjs' promise pending forever, and the app must not wait on it.
 */
function inTime<T>(p: Promise<T>, what: string): Promise<T> {
  return withTimeout(
    p,
    STORAGE_TIMEOUT_MS,
    `${what} did not finish in ${STORAGE_TIMEOUT_MS / 1000} s`,
  );
}

/** tfjs' IndexedDB handler for `key` (an indexeddb:// URL). */
function indexedDbHandler(key: string): tf.io.IOHandler {
  const [handler] = tf.io.getSaveHandlers(key);
  if (!handler) throw new Error('IndexedDB is not available');
  return handler;
}

async function readCached(key: string, sha256: string): Promise<tf.io.ModelArtifacts> {
  const artifacts = await indexedDbHandler(key).load!();
  const hash = await sha256Hex(weightBytes(artifacts));
  if (hash !== sha256) throw new Error('stored weights fail the hash check');
  return artifacts;
}

/** Removes every cached model version except `keep`. */
async function removeOthers(keep: string): Promise<void> {
  const models = await tf.io.listModels();
  for (const key of Object.keys(models)) {
    if (key.startsWith(MODEL_CACHE_PREFIX) && key !== keep) await tf.io.removeModel(key);
  }
}

/** Loads the model with hash `sha256` from IndexedDB, or from `url` (then caches it). */
export async function loadModelCached(
  url: string,
  sha256: string,
  onProgress?: Progress,
): Promise<ModelLoad> {
  const key = MODEL_CACHE_PREFIX + sha256;
  let cacheNote: string | null = null;
  try {
    const artifacts = await inTime(readCached(key, sha256), 'reading the cached model');
    return { artifacts, source: 'indexeddb', cacheNote, bytes: weightBytes(artifacts).byteLength };
  } catch (err) {
    const missing = /Cannot find model with path/.test(errorMessage(err));
    if (!missing) {
      cacheNote = `Cached model was unusable (${errorMessage(err)}); downloaded it again.`;
      await inTime(tf.io.removeModel(key), 'removing the cached model').catch(() => {});
    }
  }
  const artifacts = await fetchModelArtifacts(url, sha256, onProgress);
  try {
    await inTime(indexedDbHandler(key).save!(artifacts), 'storing the model');
    await inTime(removeOthers(key), 'removing older model versions');
  } catch (err) {
    cacheNote = `Model could not be stored on this device (${errorMessage(err)}); it will be downloaded next time.`;
  }
  return { artifacts, source: 'network', cacheNote, bytes: weightBytes(artifacts).byteLength };
}
