/**
 * The photo being read: picked, taken, dropped, pasted or shared to the app. The file goes to the reader's
 * worker as it is (decoded and downscaled there, so a 12 MP photo never freezes the page) and never leaves the
 * device. A file that is not a readable image gets a one-line message and the photo shown before stays.
 */
import { errorMessage } from '../errors.ts';
import { MARKS } from '../marks.ts';
import { takeSharedImage } from '../storage/shared-image.ts';
import type { Reading } from '../vision/read-picture.ts';
import { reader } from './reader.svelte.ts';

/** A photo and what it holds. */
export interface PhotoResult {
  name: string;
  /** An object URL of the file, for showing it (revoked when replaced). */
  url: string;
  reading: Reading;
  /** File given → numbers shown, in ms. */
  shownMs: number;
}

class Photo {
  #result = $state.raw<PhotoResult | null>(null);
  #error = $state('');
  #busy = $state(false);
  #opened = 0;

  /** The photo shown and its numbers; null before the first one. */
  get result() {
    return this.#result;
  }
  /** A one-line message about the last file given, when it could not be read. */
  get error() {
    return this.#error;
  }
  /** True while a photo is being read. */
  get busy() {
    return this.#busy;
  }

  /** Reads `file`; when it is the latest one given, shows it with its numbers. */
  async open(file: Blob, name = file instanceof File ? file.name : 'photo'): Promise<void> {
    const id = ++this.#opened;
    const t0 = performance.now();
    this.#busy = true;
    this.#error = '';
    try {
      if (file.size === 0) throw new Error('the file is empty');
      if (file.type && !file.type.startsWith('image/')) {
        throw new Error(`it is ${file.type}, not an image`);
      }
      const reading = await reader.read(file);
      if (id !== this.#opened) return;
      const url = URL.createObjectURL(file);
      if (this.#result) URL.revokeObjectURL(this.#result.url);
      this.#result = { name, url, reading, shownMs: 0 };
      // Shown once painted: the next frame after the state changed.
      await new Promise((resolve) => requestAnimationFrame(resolve));
      const shownMs = performance.now() - t0;
      if (id !== this.#opened) return;
      this.#result = { ...this.#result, shownMs };
      performance.clearMeasures(MARKS.photo);
      performance.measure(MARKS.photo, { start: t0, end: t0 + shownMs });
    } catch (err) {
      if (id !== this.#opened) return;
      const reason =
        (err as Error).name === 'UnreadableImageError'
          ? 'it is not an image this browser can read'
          : errorMessage(err);
      this.#error = `“${name}” could not be read: ${reason}.`;
    } finally {
      if (id === this.#opened) this.#busy = false;
    }
  }

  /** Opens the image shared to the app, if one is waiting; false when there is none. */
  async openShared(): Promise<boolean> {
    const shared = await takeSharedImage();
    if (!shared) return false;
    await this.open(shared.blob, shared.name || 'shared image');
    return true;
  }
}

/** The photo page's state (kept while the user visits other pages). */
export const photo = new Photo();
