/**
 * What the app keeps on this device, and wiping it: Cache Storage (the service worker's precache),
 * IndexedDB (model cache, app values) and the service worker registration itself.
 */
import { APP_DATABASES } from './keys.ts';

/** Usage and quota as the browser reports them. */
export interface StorageReport {
  usage: number | null;
  quota: number | null;
  persisted: boolean | null;
  caches: string[];
}

/** Reads storage usage, persistence and cache names; fields are null where the browser lacks the API. */
export async function storageReport(): Promise<StorageReport> {
  const estimate = await navigator.storage?.estimate?.().catch(() => null);
  const persisted = await navigator.storage?.persisted?.().catch(() => null);
  const names = 'caches' in globalThis ? await caches.keys().catch(() => []) : [];
  return {
    usage: estimate?.usage ?? null,
    quota: estimate?.quota ?? null,
    persisted: persisted ?? null,
    caches: names,
  };
}

/** Asks the browser to keep this site's data under storage pressure; returns whether it agreed. */
export async function requestPersistence(): Promise<boolean> {
  return (await navigator.storage?.persist?.()) ?? false;
}

function deleteDatabase(name: string): Promise<void> {
  return new Promise((resolve) => {
    const req = indexedDB.deleteDatabase(name);
    req.onsuccess = req.onerror = req.onblocked = () => resolve();
  });
}

/** Deletes every cache, the app's IndexedDB databases and the service worker registration. */
export async function clearAllData(): Promise<void> {
  if ('caches' in globalThis) for (const name of await caches.keys()) await caches.delete(name);
  await Promise.all(APP_DATABASES.map(deleteDatabase));
  const registrations = (await navigator.serviceWorker?.getRegistrations()) ?? [];
  await Promise.all(registrations.map((r) => r.unregister()));
}

/** Bytes as a short human string. */
export function formatBytes(n: number | null): string {
  if (n === null) return 'unknown';
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
