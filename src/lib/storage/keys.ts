/**
 * Every key the app stores on the device, in one place.
 * - tfjs' own IndexedDB database ("tensorflowjs") holds the model under MODEL_STORE_PREFIX + weights hash;
 *   only the current hash is kept, older ones are removed after a new one is stored.
 * - idb-keyval's store ("keyval-store") holds the app's small values below.
 */

/** Model path prefix in tfjs' IndexedDB layout; the full path ends in the weights' SHA-256, so versions never mix. */
export const MODEL_STORE_PREFIX = 'digit-cnn-';

/** The IndexedDB databases the app creates (tfjs models, idb-keyval values); "clear all" deletes them. */
export const APP_DATABASES = ['tensorflowjs', 'keyval-store'] as const;

/** idb-keyval keys. */
export const KEYS = {
  /** Set once the "ready to work offline" notice has been shown. */
  offlineNoticeShown: 'pwa:offline-notice-shown',
  /** The measured backend choice (a BackendChoice), valid while its key matches this device and model. */
  backendChoice: 'ml:backend-choice',
  /** The last backend failures (BackendEvent[]), newest last, for the benchmark page. */
  backendLog: 'ml:backend-log',
  /** Benchmark runs made or imported here (BenchRun[]), newest first. */
  benchHistory: 'bench:history',
  /** An image shared to the installed app (share target), kept until the photo page opens it, then deleted. */
  sharedImage: 'photo:shared-image',
} as const;
