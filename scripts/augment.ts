/**
 * Per-sample data augmentation for 28×28 digits: a random affine warp (rotation, scale, shear, shift)
 * a random stroke-thickness change and sometimes a soft blur, so the model copes with digits drawn on a canvas
 * and photographed on paper.
 */
import { SIDE } from './mnist-data.ts';
import { between } from './random.ts';

/** Ranges of the random transforms. */
export const AUGMENT = {
  maxRotation: (12 * Math.PI) / 180,
  minScale: 0.85,
  maxScale: 1.12,
  maxShear: 0.15,
  maxShift: 2.5,
  thickenProbability: 0.3,
  thinProbability: 0.15,
  /** A soft 3×3 blur, like a pen photographed slightly out of focus. */
  blurProbability: 0.15,
} as const;

function sample(src: Float32Array, offset: number, x: number, y: number): number {
  const x0 = Math.floor(x);
  const y0 = Math.floor(y);
  const fx = x - x0;
  const fy = y - y0;
  let value = 0;
  for (let dy = 0; dy <= 1; dy++) {
    const yy = y0 + dy;
    if (yy < 0 || yy >= SIDE) continue;
    for (let dx = 0; dx <= 1; dx++) {
      const xx = x0 + dx;
      if (xx < 0 || xx >= SIDE) continue;
      value += src[offset + yy * SIDE + xx] * (dx ? fx : 1 - fx) * (dy ? fy : 1 - fy);
    }
  }
  return value;
}

/** Writes a randomly warped copy of image `index` of `src` into `dst` at `dstIndex`. */
export function warp(
  src: Float32Array,
  index: number,
  dst: Float32Array,
  dstIndex: number,
  random: () => number,
): void {
  const angle = between(random, -AUGMENT.maxRotation, AUGMENT.maxRotation);
  const scale = between(random, AUGMENT.minScale, AUGMENT.maxScale);
  const shear = between(random, -AUGMENT.maxShear, AUGMENT.maxShear);
  const tx = between(random, -AUGMENT.maxShift, AUGMENT.maxShift);
  const ty = between(random, -AUGMENT.maxShift, AUGMENT.maxShift);
  // Inverse map: output pixel -> source pixel, around the image centre.
  const cos = Math.cos(angle) / scale;
  const sin = Math.sin(angle) / scale;
  const c = (SIDE - 1) / 2;
  const srcOffset = index * SIDE * SIDE;
  const dstOffset = dstIndex * SIDE * SIDE;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const u = x - c - tx;
      const v = y - c - ty;
      const su = u + shear * v;
      const sx = cos * su + sin * v + c;
      const sy = -sin * su + cos * v + c;
      dst[dstOffset + y * SIDE + x] = sample(src, srcOffset, sx, sy);
    }
  }
  const roll = random();
  if (roll < AUGMENT.thickenProbability) morph(dst, dstOffset, Math.max, between(random, 0.5, 1));
  else if (roll < AUGMENT.thickenProbability + AUGMENT.thinProbability)
    morph(dst, dstOffset, Math.min, 1);
  if (random() < AUGMENT.blurProbability) blur(dst, dstOffset, between(random, 0.4, 1));
}

/** A 3×3 binomial blur (1-2-1 in each direction), blended by `strength`. */
function blur(img: Float32Array, offset: number, strength: number): void {
  const copy = img.slice(offset, offset + SIDE * SIDE);
  const at = (x: number, y: number) =>
    x < 0 || y < 0 || x >= SIDE || y >= SIDE ? 0 : copy[y * SIDE + x];
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      let sum = 0;
      for (let dy = -1; dy <= 1; dy++)
        for (let dx = -1; dx <= 1; dx++)
          sum += at(x + dx, y + dy) * (2 - Math.abs(dx)) * (2 - Math.abs(dy));
      const here = copy[y * SIDE + x];
      img[offset + y * SIDE + x] = here + (sum / 16 - here) * strength;
    }
  }
}

/** Grey-level dilation (max) or erosion (min) with a cross kernel, blended by `strength`. */
function morph(
  img: Float32Array,
  offset: number,
  op: (...v: number[]) => number,
  strength: number,
): void {
  const copy = img.slice(offset, offset + SIDE * SIDE);
  const at = (x: number, y: number) =>
    x < 0 || y < 0 || x >= SIDE || y >= SIDE ? 0 : copy[y * SIDE + x];
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const here = copy[y * SIDE + x];
      const m = op(here, at(x - 1, y), at(x + 1, y), at(x, y - 1), at(x, y + 1));
      img[offset + y * SIDE + x] = here + (m - here) * strength;
    }
  }
}
