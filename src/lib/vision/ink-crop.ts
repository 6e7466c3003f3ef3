/**
 * The ink of one found digit, cut out of the picture: darkness relative to the paper, scaled so that its
 * strokes' cores are full ink (1), taken only from that digit's components (never a neighbour's or a ruled
 * line's pixels), with a one-pixel soft rim of paper-level pixels around its strokes, as a pen's edge.
 */
import type { Box } from './image.ts';
import type { Plane } from './plane.ts';
import { REMOVED } from './threshold.ts';

/** The per-pixel maps of one picture that the digits' ink comes from. */
export interface InkMaps {
  width: number;
  height: number;
  /** Darkness relative to the paper (background.ts). */
  rel: Float32Array;
  /** PAPER, WEAK, STRONG or REMOVED (threshold.ts). */
  mask: Uint8Array;
  /** Provisional label of each pixel, 0 for paper (components.ts). */
  labels: Int32Array;
  /** Component of each provisional label. */
  ids: Int32Array;
  /** The candidate (1-based) each component belongs to; 0 for none. */
  owner: Int32Array;
  /** Relative darkness of plain paper. */
  paper: number;
}

/** A digit's ink and the width of its strokes in pixels. */
export interface InkCrop extends Plane {
  stroke: number;
}

let crop = new Float32Array(0);
let member = new Uint8Array(0);
/** The digit's own pixels, in scan order: where they are in the crop and their darkness. */
let at = new Int32Array(0);
let dark = new Float32Array(0);

/** The relative darkness of the strokes' cores: the mean of the darker half of the `n` values in `dark`. */
function coreDarkness(n: number): number {
  let sum = 0;
  for (let k = 0; k < n; k++) sum += dark[k];
  const mean = sum / Math.max(1, n);
  let core = 0;
  let count = 0;
  for (let k = 0; k < n; k++) {
    if (dark[k] < mean) continue;
    core += dark[k];
    count++;
  }
  return core / Math.max(1, count);
}

/**
 * The ink of candidate `id` (its components marked `id` in `m.owner`) in `box` plus a 1-px rim, in a
 * buffer reused by the next call. Its stroke width is 2 × ink / perimeter, which holds for long strokes.
 */
export function cutInk(m: InkMaps, box: Box, id: number): InkCrop {
  const x0 = Math.max(0, box.x - 1);
  const y0 = Math.max(0, box.y - 1);
  const cw = Math.min(m.width, box.x + box.width + 1) - x0;
  const ch = Math.min(m.height, box.y + box.height + 1) - y0;
  if (crop.length < cw * ch) {
    crop = new Float32Array(cw * ch);
    member = new Uint8Array(cw * ch);
    dark = new Float32Array(cw * ch);
    at = new Int32Array(cw * ch);
  }
  const { labels, ids, owner, rel, mask, width: w } = m;
  let n = 0;
  for (let y = 0; y < ch; y++) {
    for (let x = 0, p = (y0 + y) * w + x0, i = y * cw; x < cw; x++, p++, i++) {
      const inside = labels[p] > 0 && owner[ids[labels[p]]] === id;
      member[i] = inside ? 1 : 0;
      if (inside) {
        at[n] = i;
        dark[n++] = rel[p];
      }
    }
  }
  const scale = 1 / Math.max(0.05, coreDarkness(n) - m.paper);
  const ink = (p: number) => Math.min(1, Math.max(0, (rel[p] - m.paper) * scale));
  crop.fill(0, 0, cw * ch);
  let mass = 0;
  let edges = 0;
  // The digit's pixels, and its rim: paper-level pixels next to its strokes (never another digit's or a
  // ruled line's), as the soft edge of a pen line.
  for (let k = 0; k < n; k++) {
    const i = at[k];
    const y = (i / cw) | 0;
    const x = i - y * cw;
    const p = (y0 + y) * w + x0 + x;
    crop[i] = ink(p);
    mass += crop[i];
    for (let side = 0; side < 4; side++) {
      const dx = side === 0 ? -1 : side === 1 ? 1 : 0;
      const dy = side === 2 ? -1 : side === 3 ? 1 : 0;
      if (x + dx < 0 || x + dx >= cw || y + dy < 0 || y + dy >= ch) {
        edges++;
        continue;
      }
      const j = i + dy * cw + dx;
      if (member[j]) continue;
      edges++;
      const q = p + dy * w + dx;
      if (crop[j] === 0 && labels[q] === 0 && mask[q] !== REMOVED) {
        crop[j] = ink(q);
        mass += crop[j];
      }
    }
  }
  return { data: crop, width: cw, height: ch, stroke: (2 * mass) / Math.max(1, edges) };
}
