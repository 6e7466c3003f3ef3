/**
 * The model copy on the device, in TensorFlow.js' own IndexedDB layout (database "tensorflowjs", stores
 * "models_store" and "model_info_store", keyed by model path) but without loading tfjs: the page keeps the
 * model and hands it to the compute worker. It stores what it is given; the cache policy is in
 * lib/ml/model-source.ts.
 */

/** A model's files as tfjs keeps them: topology, weight specs and one weights buffer, among others. */
export interface StoredModel {
  modelTopology?: unknown;
  weightSpecs?: unknown[];
  weightData?: ArrayBuffer | ArrayBuffer[];
  [field: string]: unknown;
}

const DATABASE = 'tensorflowjs';
const MODELS = 'models_store';
const INFO = 'model_info_store';

function request<T>(req: IDBRequest<T>): Promise<T> {
  return new Promise((resolve, reject) => {
    req.onsuccess = () => resolve(req.result);
    req.onerror = () => reject(req.error ?? new Error('IndexedDB request failed'));
  });
}

function open(): Promise<IDBDatabase> {
  if (typeof indexedDB === 'undefined')
    return Promise.reject(new Error('IndexedDB is not available'));
  const req = indexedDB.open(DATABASE, 1);
  req.onupgradeneeded = () => {
    const db = req.result;
    if (!db.objectStoreNames.contains(MODELS))
      db.createObjectStore(MODELS, { keyPath: 'modelPath' });
    if (!db.objectStoreNames.contains(INFO)) db.createObjectStore(INFO, { keyPath: 'modelPath' });
  };
  return request(req);
}

/** Runs `fn` in one transaction over both stores; resolves when the transaction completes. */
async function transact<T>(
  mode: IDBTransactionMode,
  fn: (models: IDBObjectStore, info: IDBObjectStore) => Promise<T> | T,
): Promise<T> {
  const db = await open();
  try {
    const tx = db.transaction([MODELS, INFO], mode);
    const done = new Promise<void>((resolve, reject) => {
      tx.oncomplete = () => resolve();
      tx.onerror = tx.onabort = () => reject(tx.error ?? new Error('IndexedDB transaction failed'));
    });
    done.catch(() => {}); // awaited below; a request that throws must not leave it unhandled
    const result = await fn(tx.objectStore(MODELS), tx.objectStore(INFO));
    await done;
    return result;
  } finally {
    db.close();
  }
}

/** The model stored under `path`, or null when there is none. */
export function readModel(path: string): Promise<StoredModel | null> {
  return transact('readonly', async (models) => {
    const record = (await request(models.get(path))) as
      { modelArtifacts?: StoredModel } | undefined;
    return record?.modelArtifacts ?? null;
  });
}

/** Stores `model` under `path` (with the info record tfjs keeps beside it). */
export function writeModel(path: string, model: StoredModel): Promise<void> {
  return transact('readwrite', (models, info) => {
    const bytes = model.weightData instanceof ArrayBuffer ? model.weightData.byteLength : 0;
    info.put({
      modelPath: path,
      modelArtifactsInfo: {
        dateSaved: new Date(),
        modelTopologyType: 'JSON',
        weightDataBytes: bytes,
      },
    });
    models.put({ modelPath: path, modelArtifacts: model });
  });
}

/** The paths of every stored model. */
export function listModels(): Promise<string[]> {
  return transact('readonly', async (models) => (await request(models.getAllKeys())).map(String));
}

/** Deletes the model under `path` (no error when there is none). */
export function deleteModel(path: string): Promise<void> {
  return transact('readwrite', (models, info) => {
    models.delete(path);
    info.delete(path);
  });
}
