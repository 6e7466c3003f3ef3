/**
 * Reads the numbers in a picture — a camera frame or a photo — where it runs (a compute worker): decode and
 * downscale, pixels, the digits found, one batched prediction for all of them, numbers grouped in rows.
 * Uses only what workers have (createImageBitmap, OffscreenCanvas); the model call is passed in.
 */
import { isLumaPlane, type LumaPlane, type RgbaImage } from './image.ts';
import { groupNumbers, type ReadDigit, type ReadNumber } from './numbers.ts';
import { findDigits } from './segment.ts';

/**
 * Longest side a photo is analysed at (readPicture downscales bigger ones first): 1280 × 960 takes about
 * 4× the time of 640 × 480 (~25 ms on 2 cores) and keeps a page's small handwriting readable.
 */
export const MAX_SIDE = 1280;

/**
 * A picture to read: a camera frame the page grabbed (a VideoFrame, or a bitmap where VideoFrame is missing;
 * moved to the worker), or a photo's file as it came.
 */
export type PictureSource = VideoFrame | ImageBitmap | Blob;

/** Video pixel formats whose first plane is luma (Y), 8 bits a sample, the same size as the frame. */
const LUMA_FIRST: ReadonlySet<string> = new Set(['I420', 'I420A', 'I422', 'I444', 'NV12']);

/** Whether a video frame in `format` (null: opaque, e.g. on the GPU) holds a luma plane to copy out. */
export function hasLumaPlane(format: string | null): boolean {
  return format !== null && LUMA_FIRST.has(format);
}

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
  /** What the digits were found in: a video frame's luma plane as the camera gave it, or RGBA pixels. */
  pixels: 'luma' | 'rgba';
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

let frameBytes = new Uint8Array(0);

/**
 * The frame's luma plane, copied out of it as it is (no colour conversion, no canvas); null when its format
 * has none or the frame must be scaled down first.
 */
async function lumaOf(frame: VideoFrame, maxSide: number): Promise<LumaPlane | null> {
  const rect = frame.visibleRect;
  if (!hasLumaPlane(frame.format) || !rect) return null;
  // A frame to be shown turned or mirrored (phone cameras may say so): the canvas path applies that.
  const { rotation, flip } = frame as { rotation?: number; flip?: boolean };
  if (rotation || flip) return null;
  if (fitScale(rect.width, rect.height, maxSide) < 1) return null;
  const size = frame.allocationSize();
  if (frameBytes.length < size) frameBytes = new Uint8Array(size);
  const [luma] = await frame.copyTo(frameBytes);
  return {
    data: frameBytes.subarray(luma.offset),
    width: rect.width,
    height: rect.height,
    stride: luma.stride,
    // Camera video is limited range unless it says otherwise.
    fullRange: frame.colorSpace.fullRange === true,
  };
}

/** Decodes `source` and scales it down to fit `maxSide`; the caller closes the bitmap. */
async function decode(
  source: PictureSource,
  maxSide: number,
): Promise<{ bitmap: ImageBitmap; sourceWidth: number; sourceHeight: number }> {
  let full: ImageBitmap;
  if (isVideoFrame(source)) {
    full = await createImageBitmap(source);
  } else if (source instanceof Blob) {
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

const isVideoFrame = (source: PictureSource): source is VideoFrame =>
  typeof VideoFrame !== 'undefined' && source instanceof VideoFrame;

/** The picture's pixels: a video frame's luma plane where it has one, else RGBA through a canvas. */
async function picture(
  source: PictureSource,
  maxSide: number,
): Promise<{ image: RgbaImage | LumaPlane; sourceWidth: number; sourceHeight: number }> {
  try {
    const luma = isVideoFrame(source) ? await lumaOf(source, maxSide) : null;
    if (luma) return { image: luma, sourceWidth: luma.width, sourceHeight: luma.height };
    const { bitmap, sourceWidth, sourceHeight } = await decode(source, maxSide);
    try {
      return { image: pixels(bitmap), sourceWidth, sourceHeight };
    } finally {
      bitmap.close();
    }
  } finally {
    if (isVideoFrame(source)) source.close();
  }
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
  const { image, sourceWidth, sourceHeight } = await picture(source, maxSide);
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
    pixels: isLumaPlane(image) ? 'luma' : 'rgba',
  };
}
