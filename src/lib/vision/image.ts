/** Plain image and box types shared by the vision code, and the small geometry it needs. DOM-free. */

/** An RGBA picture, row-major, 4 bytes a pixel: the shape of a canvas's ImageData. */
export interface RgbaImage {
  data: Uint8ClampedArray;
  width: number;
  height: number;
}

/**
 * A camera frame's luma (Y) plane, as a video frame holds it in its own memory format (I420, NV12…): the
 * grey picture without any colour conversion. `stride` bytes a row; limited range puts black at 16, white at 235.
 */
export interface LumaPlane {
  data: Uint8Array;
  width: number;
  height: number;
  stride: number;
  fullRange: boolean;
}

/** Whether `img` is a luma plane rather than RGBA. */
export const isLumaPlane = (img: RgbaImage | LumaPlane): img is LumaPlane => 'stride' in img;

/** An axis-aligned rectangle in pixels; right = x + width and bottom = y + height are exclusive. */
export interface Box {
  x: number;
  y: number;
  width: number;
  height: number;
}

let rows = new Uint16Array(0);
/** Whether this machine stores the RGBA bytes of a pixel as one little-endian 32-bit word. */
const LITTLE_ENDIAN = new Uint8Array(new Uint32Array([1]).buffer)[0] === 1;

/** Luminance of each pixel of `d`, smoothed along its row by [1 2 1], into `hs` (byte reads). */
function rowsFromBytes(d: Uint8ClampedArray, w: number, h: number, hs: Uint16Array): void {
  for (let y = 0; y < h; y++) {
    const at = y * w;
    let j = at * 4;
    let b = (d[j] * 77 + d[j + 1] * 150 + d[j + 2] * 29) >> 8;
    let a = b;
    for (let x = 0; x < w - 1; x++) {
      j += 4;
      const c = (d[j] * 77 + d[j + 1] * 150 + d[j + 2] * 29) >> 8;
      hs[at + x] = a + 2 * b + c;
      a = b;
      b = c;
    }
    hs[at + w - 1] = a + 3 * b;
  }
}

/** As rowsFromBytes, reading each pixel as one 32-bit word (a third of the memory reads). */
function rowsFromWords(u: Uint32Array, w: number, h: number, hs: Uint16Array): void {
  for (let y = 0; y < h; y++) {
    const at = y * w;
    let v = u[at];
    let b = ((v & 255) * 77 + ((v >> 8) & 255) * 150 + ((v >> 16) & 255) * 29) >> 8;
    let a = b;
    for (let x = 0; x < w - 1; x++) {
      v = u[at + x + 1];
      const c = ((v & 255) * 77 + ((v >> 8) & 255) * 150 + ((v >> 16) & 255) * 29) >> 8;
      hs[at + x] = a + 2 * b + c;
      a = b;
      b = c;
    }
    hs[at + w - 1] = a + 3 * b;
  }
}

/**
 * Writes the luminance (0–255, Rec. 601) of `img` into `out`, smoothed by the 3×3 kernel
 * [1 2 1]ᵀ[1 2 1] / 16 (edges repeated): the single channel the segmentation works on, with sensor noise
 * cut to about 40 % while one-pixel pen strokes stay visible.
 */
export function smoothGrey(img: RgbaImage, out: Uint8Array): Uint8Array {
  const { data: d, width: w, height: h } = img;
  if (d.length < w * h * 4) throw new Error('the RGBA data is shorter than width × height × 4');
  if (w < 2 || h < 2) {
    for (let i = 0; i < w * h; i++)
      out[i] = (d[4 * i] * 77 + d[4 * i + 1] * 150 + d[4 * i + 2] * 29) >> 8;
    return out;
  }
  if (rows.length < w * h) rows = new Uint16Array(w * h);
  // Along rows: luminance in 8-bit fixed point (77 + 150 + 29 = 256), then [1 2 1].
  if (LITTLE_ENDIAN && d.byteOffset % 4 === 0) {
    rowsFromWords(new Uint32Array(d.buffer, d.byteOffset, w * h), w, h, rows);
  } else {
    rowsFromBytes(d, w, h, rows);
  }
  return smoothColumns(rows, w, h, out);
}

/** Down columns: [1 2 1] over the row-smoothed `hs` (edges repeated), and back to 0–255, into `out`. */
function smoothColumns(hs: Uint16Array, w: number, h: number, out: Uint8Array): Uint8Array {
  for (let x = 0; x < w; x++) out[x] = (3 * hs[x] + hs[x + w] + 8) >> 4;
  for (let p = w; p < (h - 1) * w; p++) out[p] = (hs[p - w] + 2 * hs[p] + hs[p + w] + 8) >> 4;
  for (let p = (h - 1) * w; p < h * w; p++) out[p] = (hs[p - w] + 3 * hs[p] + 8) >> 4;
  return out;
}

/** Each sum of 16 limited-range luma samples (the 3×3 kernel's weights) as one full-range value. */
const STRETCH = Uint8Array.from({ length: 16 * 255 + 1 }, (_, sum) => stretch(sum));

/** Limited range (16–235) to full (0–255), from a sum of 16 samples. */
function stretch(sum16: number): number {
  const v = Math.round(((sum16 / 16 - 16) * 255) / 219);
  return v < 0 ? 0 : v > 255 ? 255 : v;
}

/**
 * As smoothGrey, from a luma plane instead of RGBA: the same grey a picture of the same brightness gives, at
 * a fraction of the work. Limited range is stretched to full after smoothing, so the levels between the
 * plane's 220 survive. w × h values into `out`.
 */
export function smoothLuma(plane: LumaPlane, out: Uint8Array): Uint8Array {
  const { data, width: w, height: h, stride, fullRange } = plane;
  if (w < 1 || h < 1) return out;
  if (stride < w || data.length < stride * (h - 1) + w)
    throw new Error('the luma plane is smaller than its size says');
  if (w < 2 || h < 2) {
    for (let y = 0; y < h; y++)
      for (let x = 0; x < w; x++) {
        const v = data[y * stride + x];
        out[y * w + x] = fullRange ? v : STRETCH[16 * v];
      }
    return out;
  }
  if (rows.length < w * h) rows = new Uint16Array(w * h);
  for (let y = 0; y < h; y++) {
    const at = y * w;
    const from = y * stride;
    let b = data[from];
    let a = b;
    for (let x = 0; x < w - 1; x++) {
      const c = data[from + x + 1];
      rows[at + x] = a + 2 * b + c;
      a = b;
      b = c;
    }
    rows[at + w - 1] = a + 3 * b;
  }
  if (fullRange) return smoothColumns(rows, w, h, out);
  const hs = rows;
  for (let x = 0; x < w; x++) out[x] = STRETCH[3 * hs[x] + hs[x + w]];
  for (let p = w; p < (h - 1) * w; p++) out[p] = STRETCH[hs[p - w] + 2 * hs[p] + hs[p + w]];
  for (let p = (h - 1) * w; p < h * w; p++) out[p] = STRETCH[hs[p - w] + 3 * hs[p]];
  return out;
}

/** The smallest box holding both `a` and `b`: the extent of merged parts. */
export function unionBox(a: Box, b: Box): Box {
  const x = Math.min(a.x, b.x);
  const y = Math.min(a.y, b.y);
  const right = Math.max(a.x + a.width, b.x + b.width);
  const bottom = Math.max(a.y + a.height, b.y + b.height);
  return { x, y, width: right - x, height: bottom - y };
}

/** Length of the overlap of [a0, a1) and [b0, b1); negative when they are apart (minus the gap). */
export function overlap(a0: number, a1: number, b0: number, b1: number): number {
  return Math.min(a1, b1) - Math.max(a0, b0);
}

/** Intersection over union of two boxes (0–1): how an evaluation matches found and true boxes. */
export function iou(a: Box, b: Box): number {
  const w = overlap(a.x, a.x + a.width, b.x, b.x + b.width);
  const h = overlap(a.y, a.y + a.height, b.y, b.y + b.height);
  if (w <= 0 || h <= 0) return 0;
  const inter = w * h;
  return inter / (a.width * a.height + b.width * b.height - inter);
}

/** Whether the point (px, py) lies inside `box`. */
export function contains(box: Box, px: number, py: number): boolean {
  return px >= box.x && px < box.x + box.width && py >= box.y && py < box.y + box.height;
}
