/**
 * Handwriting for the generated paper photos: held-out MNIST digits (loadHeldOut), never training digits,
 * redrawn as thin pen strokes along their skeletons, and written as numbers on a baseline. Pure: the same
 * random generator gives the same strokes.
 */
import { HELD_OUT_PER_CLASS, PIXELS, SIDE, loadHeldOut, type DigitSet } from './mnist-data.ts';
import { between, type Rng } from './random.ts';

/** A rectangle in image pixels (integers; x, y is the top-left pixel). */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}
/** One digit's ink coverage (0–1) in its own patch; `box` is the ink's box inside the patch. */
export interface InkPatch {
  alpha: Float32Array;
  width: number;
  height: number;
  box: Box;
}
/** A digit patch placed relative to its number's origin (left end of the baseline). */
export interface PlacedDigit {
  digit: number;
  patch: InkPatch;
  dx: number;
  dy: number;
}
/** A number written on a baseline, and where it was placed (x, y: the baseline's left end). */
export interface Written {
  text: string;
  parts: PlacedDigit[];
  box: Box;
  size: number;
  x: number;
  y: number;
}

/** The held-out digits, loaded on first use (a second or two). */
let heldOut: DigitSet | undefined;

/** The box of the pixels above `level`, or an empty box at 0, 0. */
function boxAbove(values: Float32Array, width: number, height: number, level: number): Box {
  let x0 = width;
  let y0 = height;
  let x1 = -1;
  let y1 = -1;
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      if (values[y * width + x] <= level) continue;
      if (x < x0) x0 = x;
      if (x > x1) x1 = x;
      if (y < y0) y0 = y;
      y1 = y;
    }
  }
  return x1 < 0
    ? { x: 0, y: 0, width: 0, height: 0 }
    : { x: x0, y: y0, width: x1 - x0 + 1, height: y1 - y0 + 1 };
}

/** Catmull–Rom weights of the four samples around fraction `f`. */
function cubicWeights(f: number, out: Float32Array): void {
  const [f2, f3] = [f * f, f * f * f];
  out[0] = (-f3 + 2 * f2 - f) / 2;
  out[1] = (3 * f3 - 5 * f2 + 2) / 2;
  out[2] = (-3 * f3 + 4 * f2 + f) / 2;
  out[3] = (f3 - f2) / 2;
}

const WX = new Float32Array(4);
const WY = new Float32Array(4);

/** The 28×28 digit at (x, y), bicubic: smooth outlines even at 15× (a 12 MP photo's digits). */
function bicubic(src: Float32Array, x: number, y: number): number {
  const [x0, y0] = [Math.floor(x), Math.floor(y)];
  cubicWeights(x - x0, WX);
  cubicWeights(y - y0, WY);
  let value = 0;
  for (let j = 0; j < 4; j++) {
    const yy = y0 - 1 + j;
    if (yy < 0 || yy >= SIDE) continue;
    for (let i = 0; i < 4; i++) {
      const xx = x0 - 1 + i;
      if (xx >= 0 && xx < SIDE) value += src[yy * SIDE + xx] * WX[i] * WY[j];
    }
  }
  return value;
}

/** Zhang–Suen thinning in place: a one-pixel skeleton of the mask (whose border must be 0). */
function thin(mask: Uint8Array, width: number): void {
  let pixels: number[] = [];
  for (let i = 0; i < mask.length; i++) if (mask[i]) pixels.push(i);
  const ring = [-width, -width + 1, 1, width + 1, width, width - 1, -1, -width - 1];
  for (let changed = true; changed;) {
    changed = false;
    for (const pass of [0, 1]) {
      const remove = pixels.filter((i) => {
        const p = ring.map((o) => mask[i + o]);
        const count = p.reduce((s, v) => s + v, 0);
        let turns = 0;
        for (let k = 0; k < 8; k++) if (!p[k] && p[(k + 1) % 8]) turns++;
        const [n, , e, , s, , w] = p;
        const sides = pass === 0 ? n * e * s + e * s * w : n * e * w + n * s * w;
        return count >= 2 && count <= 6 && turns === 1 && sides === 0;
      });
      for (const i of remove) mask[i] = 0;
      changed ||= remove.length > 0;
      pixels = pixels.filter((i) => mask[i]);
    }
  }
}

/** Clears the mask's small islands (MNIST's specks), which a pen would not leave. */
function dropSpecks(mask: Uint8Array, width: number): void {
  const label = new Int32Array(mask.length).fill(-1);
  const sizes: number[] = [];
  for (let start = 0; start < mask.length; start++) {
    if (!mask[start] || label[start] >= 0) continue;
    const stack = [start];
    label[start] = sizes.length;
    let size = 0;
    while (stack.length) {
      const i = stack.pop()!;
      size++;
      for (const j of [i - 1, i + 1, i - width, i + width]) {
        if (mask[j] && label[j] < 0) {
          label[j] = sizes.length;
          stack.push(j);
        }
      }
    }
    sizes.push(size);
  }
  const total = sizes.reduce((s, v) => s + v, 0);
  for (let i = 0; i < mask.length; i++) if (mask[i] && sizes[label[i]] < 0.04 * total) mask[i] = 0;
}

/** The upscaled, slanted MNIST digit as a 0/1 mask of the pixels above `level` (MNIST's own thick strokes). */
function digitMask(src: Float32Array, height: number, shear: number, reach: number, level = 0.4) {
  const ink = boxAbove(src, SIDE, SIDE, 0.3);
  const scale = height / ink.height;
  // The mask may pass the ink box by half a source pixel; the pen then reaches `reach` further.
  const pad = reach + 2 + Math.ceil(scale);
  const slant = Math.abs(shear) * height;
  const width = Math.ceil(ink.width * scale + slant) + 2 * pad;
  const rows = Math.ceil(height) + 2 * pad;
  const mask = new Uint8Array(width * rows);
  const left = pad + (shear < 0 ? slant : 0);
  for (let v = 1; v < rows - 1; v++) {
    const ys = ink.y + (v + 0.5 - pad) / scale - 0.5;
    const offset = left + shear * (pad + height - v - 0.5);
    for (let u = 1; u < width - 1; u++) {
      mask[v * width + u] =
        bicubic(src, ink.x + (u + 0.5 - offset) / scale - 0.5, ys) > level ? 1 : 0;
    }
  }
  return { mask, width, height: rows };
}

/** How many pieces of ink (8-connected) and holes (4-connected background not reaching the border) of at least
 * `minHole` pixels the mask has. */
function topology(
  mask: Uint8Array,
  width: number,
  minHole: number,
): { pieces: number; holes: number } {
  const seen = new Uint8Array(mask.length);
  const fill = (start: number, ink: number, around: number[]) => {
    const stack = [start];
    seen[start] = 1;
    let size = 0;
    let border = false;
    while (stack.length) {
      const i = stack.pop()!;
      size++;
      const x = i % width;
      if (x === 0 || x === width - 1 || i < width || i >= mask.length - width) border = true;
      for (const o of around) {
        const j = i + o;
        if (j < 0 || j >= mask.length || seen[j] || mask[j] !== ink) continue;
        if (Math.abs((j % width) - x) > 1) continue;
        seen[j] = 1;
        stack.push(j);
      }
    }
    return { size, border };
  };
  const eight = [-width - 1, -width, -width + 1, -1, 1, width - 1, width, width + 1];
  const four = [-width, -1, 1, width];
  let pieces = 0;
  let holes = 0;
  for (let i = 0; i < mask.length; i++) {
    if (seen[i]) continue;
    if (mask[i]) {
      pieces++;
      fill(i, 1, eight);
    } else {
      const { size, border } = fill(i, 0, four);
      if (!border && size >= minHole) holes++;
    }
  }
  return { pieces, holes };
}

/**
 * The digit's mask at the lowest level that keeps its loops open: MNIST draws some loops so thick that at the
 * usual level the hole fills in, and thinning a filled loop leaves a bare stroke (a 6 becomes "(", an 8 a 9),
 * which no reader could read as the digit it stands for. A higher level opens the hole again when the loop's
 * middle is fainter than its ink; it is taken only if it splits the ink into no more pieces.
 */
function openDigitMask(src: Float32Array, height: number, shear: number, reach: number) {
  const minHole = Math.max(2, (height / SIDE) ** 2);
  let best = digitMask(src, height, shear, reach);
  dropSpecks(best.mask, best.width);
  let shape = topology(best.mask, best.width, minHole);
  for (const level of [0.5, 0.6, 0.7]) {
    const next = digitMask(src, height, shear, reach, level);
    dropSpecks(next.mask, next.width);
    const nextShape = topology(next.mask, next.width, minHole);
    if (nextShape.holes > shape.holes && nextShape.pieces <= shape.pieces) {
      best = next;
      shape = nextShape;
    }
  }
  return best;
}

/** A held-out MNIST `digit` redrawn as a pen stroke `height` px tall, slanted, 4–10 % wide. */
function drawDigit(digit: number, height: number, random: Rng): InkPatch {
  heldOut ??= loadHeldOut();
  const index = digit * HELD_OUT_PER_CLASS + Math.floor(random() * HELD_OUT_PER_CLASS);
  const src = heldOut.images.subarray(index * PIXELS, (index + 1) * PIXELS);
  const shear = between(random, -0.15, 0.3);
  const radius = Math.max(0.7, height * between(random, 0.02, 0.05));
  const reach = Math.ceil(radius * 1.2 + 1);
  const { mask, width, height: rows } = openDigitMask(src, height * 1.04, shear, reach);
  thin(mask, width);
  // Pen pressure: the stroke swells and thins a little along its length.
  const wave = (2 * Math.PI) / (height * between(random, 0.5, 1));
  const phase = between(random, 0, 2 * Math.PI);
  const alpha = new Float32Array(width * rows);
  for (let i = 0; i < mask.length; i++) {
    if (!mask[i]) continue;
    const cx = i % width;
    const cy = (i - cx) / width;
    const r = radius * (1 + 0.18 * Math.sin(cx * wave + phase) * Math.cos(cy * wave - phase));
    for (let dy = -reach; dy <= reach; dy++) {
      for (let dx = -reach; dx <= reach; dx++) {
        const a = Math.min(1, r + 0.5 - Math.hypot(dx, dy));
        const at = i + dy * width + dx;
        if (a > alpha[at]) alpha[at] = a;
      }
    }
  }
  return { alpha, width, height: rows, box: boxAbove(alpha, width, rows, 0.25) };
}

/** The digits of `text` written left to right on a baseline at y = 0, with natural spacing. */
export function writeNumber(text: string, size: number, random: Rng): Written {
  const parts: PlacedDigit[] = [];
  let cursor = 0;
  let top = Infinity;
  let bottom = -Infinity;
  for (const char of text) {
    const digit = Number(char);
    const patch = drawDigit(digit, size * between(random, 0.94, 1.06), random);
    const dx = cursor - patch.box.x;
    const dy = Math.round(size * between(random, -0.04, 0.04)) - (patch.box.y + patch.box.height);
    parts.push({ digit, patch, dx, dy });
    top = Math.min(top, dy + patch.box.y);
    bottom = Math.max(bottom, dy + patch.box.y + patch.box.height);
    cursor += patch.box.width + Math.round(size * between(random, 0.1, 0.45));
  }
  const last = parts[parts.length - 1];
  const right = last.dx + last.patch.box.x + last.patch.box.width;
  return {
    text,
    parts,
    box: { x: 0, y: top, width: right, height: bottom - top },
    size,
    x: 0,
    y: 0,
  };
}
