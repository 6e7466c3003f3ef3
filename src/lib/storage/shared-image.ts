/**
 * An image shared to the installed app from the system share sheet. The service worker receives it (the
 * share target's POST, offline too) and keeps it here; the photo page takes it — reading deletes it — so a
 * shared picture stays on the device only until it is opened.
 */
import { del, get, set } from 'idb-keyval';
import { KEYS } from './keys.ts';

/** A shared image and the name it came with. */
export interface SharedImage {
  blob: Blob;
  name: string;
}

/** Keeps `image` until the photo page takes it (replacing any earlier one). */
export async function keepSharedImage(image: SharedImage): Promise<void> {
  await set(KEYS.sharedImage, image);
}

/** The image shared last, removed from storage; null when there is none or it cannot be read. */
export async function takeSharedImage(): Promise<SharedImage | null> {
  try {
    const image = (await get<SharedImage>(KEYS.sharedImage)) ?? null;
    await del(KEYS.sharedImage);
    return image && image.blob instanceof Blob ? image : null;
  } catch {
    return null;
  }
}
