/**
 * Reads the numbers in a picture — a camera frame or a photo — where it runs (a compute worker): decode and
 * downscale, pixels, the digits found, one batched prediction for all of them, numbers grouped in rows.
 * Uses only what workers have (createImageBitmap, OffscreenCanvas); the model call is passed in.
 */
import type { RgbaImage } from './image.ts';
import { groupNumbers, type ReadDigit, type ReadNumber } from './numbers.ts';
import { findDigits, MAX_SIDE } from './segment.ts';

/** A picture to read: a frame the page grabbed (moved to the worker), or a photo's file as it came. */
export type PictureSource = ImageBitmap | Blob;

/** Classifies `count` 28×28 inputs at once: `count` × 10 probabilities. */
export type Classify = (inputs: Float32Array, count: number) => Promise<Float32Array>;

/** What a picture holds, in the coordinates of the image analysed (`width` × `height`). */
export interface Reading {
  width: number;
  height: number;
  /** The picture's own size (a photo is analysed downscaled). */
  sourceWidth: number;
  sourceHeight: number;
  digits: ReadDigit[];
  numbers: ReadNumber[];
  /** Where the time went, in ms. */
  timings: { decodeMs: number; findMs: number; predictMs: number; totalMs: number };
}

/** The picture could not be decoded (not an image, or a format this browser cannot read). */
export class UnreadableImageError extends Error {
  override name = 'UnreadableImageError';
}

/** Scale that fits `width` × `height` within `maxSide` on its longer side (never enlarges). */
export function fitScale(width: number, height: number, maxSide: number): number {
  return Math.min(1, maxSide / Math.max(width, height));
}

let canvas: OffscreenCanvas | null = null;
let context: OffscreenCanvasRenderingContext2D | null = null;

/** The bitmap's pixels, through one reused canvas. */
function pixels(bitmap: ImageBitmap): RgbaImage {
  const { width, height } = bitmap;
  if (!canvas || !context) {
    canvas = new OffscreenCanvas(width, height);
    context = canvas.getContext('2d', { willReadFrequently: true });
    if (!context) throw new Error('this browser cannot read pixels in a worker');
  }
  if (canvas.width !== width || canvas.height !== height) {
    canvas.width = width;
    canvas.height = height;
  }
  context.drawImage(bitmap, 0, 0);
  return context.getImageData(0, 0, width, height);
}

/** Decodes `source` and scales it down to fit `maxSide`; the caller closes the bitmap. */
async function decode(
  source: PictureSource,
  maxSide: number,
): Promise<{ bitmap: ImageBitmap; sourceWidth: number; sourceHeight: number }> {
  let full: ImageBitmap;
  if (source instanceof Blob) {
    try {
      full = await createImageBitmap(source);
    } catch {
      throw new UnreadableImageError('this file is not an image this browser can read');
    }
  } else {
    full = source;
  }
  const { width, height } = full;
  const scale = fitScale(width, height, maxSide);
  if (scale === 1) return { bitmap: full, sourceWidth: width, sourceHeight: height };
  const bitmap = await createImageBitmap(full, {
    resizeWidth: Math.max(1, Math.round(width * scale)),
    resizeHeight: Math.max(1, Math.round(height * scale)),
    resizeQuality: 'medium',
  });
  full.close();
  return { bitmap, sourceWidth: width, sourceHeight: height };
}

/** The digit each row of `probs` says, with its probability. */
function bestOf(probs: Float32Array, index: number): { digit: number; confidence: number } {
  let digit = 0;
  for (let d = 1; d < 10; d++) if (probs[index * 10 + d] > probs[index * 10 + digit]) digit = d;
  return { digit, confidence: probs[index * 10 + digit] };
}

/** Reads `source`: every digit found, classified in one batch, and the numbers they form. */
export async function readPicture(
  source: PictureSource,
  classify: Classify,
  maxSide = MAX_SIDE,
): Promise<Reading> {
  const t0 = performance.now();
  const { bitmap, sourceWidth, sourceHeight } = await decode(source, maxSide);
  let image: RgbaImage;
  try {
    image = pixels(bitmap);
  } finally {
    bitmap.close();
  }
  const t1 = performance.now();
  const { boxes, inputs } = findDigits(image);
  const t2 = performance.now();
  const probs = boxes.length ? await classify(inputs, boxes.length) : new Float32Array(0);
  const t3 = performance.now();
  const digits = boxes.map((box, i) => ({ box, ...bestOf(probs, i) }));
  return {
    width: image.width,
    height: image.height,
    sourceWidth,
    sourceHeight,
    digits,
    numbers: groupNumbers(digits),
    timings: { decodeMs: t1 - t0, findMs: t2 - t1, predictMs: t3 - t2, totalMs: t3 - t0 },
  };
}
