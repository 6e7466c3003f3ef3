/**
 * Turns a drawing into the model's input the way MNIST digits were made: crop to the ink's bounding box,
 * scale the longer side to 20 px keeping the aspect ratio, and place it in a 28×28 field so that its centre
 * of mass sits at the centre. Output: 784 floats in [0, 1], 1 = ink, 0 = background (MNIST polarity).
 * DOM-free: takes a plain ink array (e.g., the alpha channel of a canvas).
 */

/** Side of the model's input image. */
export const INPUT_SIDE = 28;
/** Side of the box the digit's longer side is scaled to, as in MNIST. */
export const DIGIT_BOX = 20;
/** Ink below this level (0–1) does not count towards the bounding box. */
export const INK_THRESHOLD = 0.1;

/** A greyscale ink image: values 0 (no ink) to `max` (full ink), row-major. */
export interface InkImage {
  data: ArrayLike<number>;
  width: number;
  height: number;
  /** The value that means full ink: 1 for floats, 255 for bytes. */
  max: number;
}

/** The ink's bounding box in pixels, right/bottom exclusive; null when there is no ink. */
export function inkBounds(
  img: InkImage,
): { left: number; top: number; right: number; bottom: number } | null {
  const cut = INK_THRESHOLD * img.max;
  let left = img.width;
  let top = img.height;
  let right = -1;
  let bottom = -1;
  for (let y = 0; y < img.height; y++) {
    const row = y * img.width;
    for (let x = 0; x < img.width; x++) {
      if (img.data[row + x] > cut) {
        if (x < left) left = x;
        if (x > right) right = x;
        if (y < top) top = y;
        bottom = y;
      }
    }
  }
  return right < 0 ? null : { left, top, right: right + 1, bottom: bottom + 1 };
}

/** Average ink over the source rectangle [x0,x1)×[y0,y1) (fractional), sampled on a 4×4 grid. */
function areaSample(img: InkImage, x0: number, y0: number, x1: number, y1: number): number {
  const steps = 4;
  let sum = 0;
  for (let j = 0; j < steps; j++) {
    const y = Math.min(img.height - 1, Math.floor(y0 + ((j + 0.5) * (y1 - y0)) / steps));
    for (let i = 0; i < steps; i++) {
      const x = Math.min(img.width - 1, Math.floor(x0 + ((i + 0.5) * (x1 - x0)) / steps));
      sum += img.data[y * img.width + x];
    }
  }
  return sum / (steps * steps * img.max);
}

/**
 * The drawing as a 28×28 model input, or null when the image holds no ink. Pass `out` (784 floats) to reuse
 * one buffer across predictions instead of allocating a new one.
 */
export function toModelInput(img: InkImage, out?: Float32Array): Float32Array | null {
  const box = inkBounds(img);
  if (!box) return null;
  const bw = box.right - box.left;
  const bh = box.bottom - box.top;
  const scale = DIGIT_BOX / Math.max(bw, bh);
  const tw = Math.max(1, Math.round(bw * scale));
  const th = Math.max(1, Math.round(bh * scale));
  // Scale the cropped ink into a tw×th patch (area-averaged, so thin strokes survive downscaling).
  const patch = new Float32Array(tw * th);
  let mass = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0; y < th; y++) {
    for (let x = 0; x < tw; x++) {
      const v = areaSample(
        img,
        box.left + x / scale,
        box.top + y / scale,
        box.left + (x + 1) / scale,
        box.top + (y + 1) / scale,
      );
      patch[y * tw + x] = v;
      mass += v;
      mx += v * (x + 0.5);
      my += v * (y + 0.5);
    }
  }
  // Place the patch so its centre of mass lands on the field's centre, kept inside the field.
  const half = INPUT_SIDE / 2;
  const ox = clamp(Math.round(half - (mass > 0 ? mx / mass : tw / 2)), 0, INPUT_SIDE - tw);
  const oy = clamp(Math.round(half - (mass > 0 ? my / mass : th / 2)), 0, INPUT_SIDE - th);
  const field = out ?? new Float32Array(INPUT_SIDE * INPUT_SIDE);
  if (field.length !== INPUT_SIDE * INPUT_SIDE)
    throw new Error(`the input buffer must hold ${INPUT_SIDE * INPUT_SIDE} values`);
  field.fill(0);
  for (let y = 0; y < th; y++) {
    field.set(patch.subarray(y * tw, (y + 1) * tw), (oy + y) * INPUT_SIDE + ox);
  }
  return field;
}

function clamp(v: number, lo: number, hi: number): number {
  return Math.min(hi, Math.max(lo, v));
}

/** Centre of mass (x, y) of a 28×28 input, in pixel units measured from the top-left corner. */
export function centreOfMass(input: Float32Array): { x: number; y: number } {
  let mass = 0;
  let x = 0;
  let y = 0;
  for (let i = 0; i < input.length; i++) {
    const v = input[i];
    mass += v;
    x += v * ((i % INPUT_SIDE) + 0.5);
    y += v * (Math.floor(i / INPUT_SIDE) + 0.5);
  }
  return { x: x / mass, y: y / mass };
}
