/**
 * How much darker than the paper around it each pixel is, whatever the light. The paper's brightness is
 * estimated on a coarse grid of cells by a grey closing (local maximum, then local minimum), which erases
 * pen strokes but keeps shadows and gradients, and each pixel is compared with it. Two grids are closed:
 * of the cells' means (the estimate) and of their minima; where they differ much, a hard shadow's edge runs
 * through the cell, and pixels as dark as the shadowed paper are compared with the shadowed paper, so the
 * edge of a shadow never becomes a line of ink.
 */

/** Cells the background estimate has across the image's longer side. */
export const BACKGROUND_CELLS = 80;
/** Closing radius as a fraction of the short side: strokes up to about twice that wide count as ink. */
export const BACKGROUND_RADIUS = 1 / 24;
/** Brightness below which the paper is treated as this bright, so deep darkness does not divide by ~0. */
const MIN_PAPER = 24;
/** Near a hard shadow edge, pixels brighter than the shadowed paper must be this much darker to be ink. */
const EDGE_MARGIN = 0.1;

let mean = new Float32Array(0);
let low = new Float32Array(0);
let temp = new Float32Array(0);
let edge = new Uint8Array(0);
let line = new Float32Array(0);
let lineLow = new Float32Array(0);
let lineEdge = new Uint8Array(0);

/** A sliding maximum of radius `r` along `len` values at `base`, `step` apart, from `src` into `dst`. */
function slideMax(
  src: Float32Array,
  dst: Float32Array,
  base: number,
  len: number,
  step: number,
  r: number,
) {
  for (let i = 0; i < len; i++) {
    const end = base + Math.min(len - 1, i + r) * step;
    let best = -Infinity;
    for (let p = base + Math.max(0, i - r) * step; p <= end; p += step)
      best = src[p] > best ? src[p] : best;
    dst[base + i * step] = best;
  }
}

/** A sliding minimum, as slideMax. */
function slideMin(
  src: Float32Array,
  dst: Float32Array,
  base: number,
  len: number,
  step: number,
  r: number,
) {
  for (let i = 0; i < len; i++) {
    const end = base + Math.min(len - 1, i + r) * step;
    let best = Infinity;
    for (let p = base + Math.max(0, i - r) * step; p <= end; p += step)
      best = src[p] < best ? src[p] : best;
    dst[base + i * step] = best;
  }
}

/** Grey closing of the cw × ch grid `g` in place, radius `r` cells: maxima then minima, rows then columns. */
function close(g: Float32Array, cw: number, ch: number, r: number): void {
  for (let y = 0; y < ch; y++) slideMax(g, temp, y * cw, cw, 1, r);
  for (let x = 0; x < cw; x++) slideMax(temp, g, x, ch, cw, r);
  for (let y = 0; y < ch; y++) slideMin(g, temp, y * cw, cw, 1, r);
  for (let x = 0; x < cw; x++) slideMin(temp, g, x, ch, cw, r);
}

/** Mean and minimum brightness of each `block`×`block` cell of `grey` (every other row), into `mean`, `low`. */
function cellStats(grey: Uint8Array, w: number, h: number, block: number, cw: number, ch: number) {
  const sums = mean;
  const mins = low;
  const counts = temp;
  sums.fill(0, 0, cw * ch);
  mins.fill(255, 0, cw * ch);
  counts.fill(0, 0, cw * ch);
  for (let cy = 0; cy < ch; cy++) {
    const base = cy * cw;
    // Rows 0, 2, 4… of the cell: every cell, however short, gets at least its first row.
    for (let y = cy * block; y < Math.min(h, (cy + 1) * block); y += 2) {
      let x = 0;
      for (let cx = 0; cx < cw; cx++) {
        const end = Math.min(w, x + block);
        let sum = 0;
        let min = 255;
        counts[base + cx] += end - x;
        for (const at = y * w; x < end; x++) {
          const v = grey[at + x];
          sum += v;
          min = v < min ? v : min;
        }
        sums[base + cx] += sum;
        if (min < mins[base + cx]) mins[base + cx] = min;
      }
    }
  }
  for (let i = 0; i < cw * ch; i++) sums[i] /= counts[i];
}

/** Marks the cells a hard shadow edge runs through; returns the usual mean − minimum gap of flat paper. */
function markEdges(n: number): number {
  const counts = new Uint32Array(256);
  for (let i = 0; i < n; i++) counts[Math.min(255, Math.max(0, Math.round(mean[i] - low[i])))]++;
  let typical = 0;
  for (let seen = counts[0]; seen < n / 2;) seen += counts[++typical];
  for (let i = 0; i < n; i++) edge[i] = mean[i] - low[i] > 2 * typical + 8 ? 1 : 0;
  return typical;
}

/**
 * Writes each pixel's darkness relative to the paper around it into `out`: (paper − pixel) / paper, so 0 is
 * paper, 0.5 a stroke half as bright as its paper, negative brighter than the estimate. Same size as `grey`.
 */
export function relativeDarkness(
  grey: Uint8Array,
  w: number,
  h: number,
  out: Float32Array,
): Float32Array {
  const block = Math.max(2, Math.ceil(Math.max(w, h) / BACKGROUND_CELLS));
  const cw = Math.ceil(w / block);
  const ch = Math.ceil(h / block);
  if (mean.length < cw * ch) {
    [mean, low, temp] = [0, 0, 0].map(() => new Float32Array(cw * ch));
    edge = new Uint8Array(cw * ch);
  }
  if (line.length < cw)
    [line, lineLow, lineEdge] = [new Float32Array(cw), new Float32Array(cw), new Uint8Array(cw)];
  cellStats(grey, w, h, block, cw, ch);
  const r = Math.max(2, Math.round(Math.min(cw, ch) * BACKGROUND_RADIUS));
  close(mean, cw, ch, r);
  close(low, cw, ch, r);
  const slack = 1.5 * markEdges(cw * ch) + 2;
  for (let i = 0; i < cw * ch; i++) mean[i] = 1 / Math.max(MIN_PAPER, mean[i]);
  for (let y = 0; y < h; y++) {
    const fy = Math.min(ch - 1, Math.max(0, (y + 0.5) / block - 0.5));
    const r0 = (fy | 0) * cw;
    const r1 = Math.min(ch - 1, (fy | 0) + 1) * cw;
    fillLines(r0, r1, fy - (fy | 0), cw);
    darknessRow(grey, out, y * w, w, block, cw, slack);
  }
  return out;
}

/** The cell rows r0 and r1 blended by `t`: 1 / paper, the shadowed paper (darker), and the edge flags. */
function fillLines(r0: number, r1: number, t: number, cw: number): void {
  for (let c = 0; c < cw; c++) {
    line[c] = mean[r0 + c] + (mean[r1 + c] - mean[r0 + c]) * t;
    lineLow[c] = Math.min(low[r0 + c], low[r1 + c]);
    lineEdge[c] = edge[r0 + c] | edge[r1 + c];
  }
}

/** One row of darkness: 1 / paper interpolated linearly between cell centres (a ramp per segment). */
function darknessRow(
  grey: Uint8Array,
  out: Float32Array,
  at: number,
  w: number,
  block: number,
  cw: number,
  slack: number,
) {
  const inv = line;
  const last = cw - 1;
  let x = 0;
  for (; x < w && (x + 0.5) / block - 0.5 <= 0; x++) out[at + x] = 1 - grey[at + x] * inv[0];
  for (let c = 0; c < last; c++) {
    const end = Math.min(w, Math.floor((c + 1.5) * block - 0.5) + 1);
    const step = (inv[c + 1] - inv[c]) / block;
    let v = inv[c] + step * (x + 0.5 - (c + 0.5) * block);
    if (lineEdge[c] | lineEdge[c + 1]) {
      // Near a hard shadow edge: pixels no brighter than the shadowed paper are compared with it, the
      // others with a margin (the edge's own blurred pixels lie between the two papers).
      const shade = Math.max(MIN_PAPER, Math.min(lineLow[c], lineLow[c + 1]));
      for (; x < end; x++, v += step) {
        const g = grey[at + x];
        out[at + x] = g <= shade + slack ? 1 - g / shade : 1 - EDGE_MARGIN - g * v;
      }
    } else {
      for (; x < end; x++, v += step) out[at + x] = 1 - grey[at + x] * v;
    }
  }
  for (; x < w; x++) out[at + x] = 1 - grey[at + x] * inv[last];
}
