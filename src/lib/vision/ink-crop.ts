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
  /** Component of each pixel (components.ts). */
  labels: Int32Array;
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

/** The relative darkness of the strokes' cores: the mean of the darker half of the digit's pixels. */
function coreDarkness(m: InkMaps, x0: number, y0: number, cw: number, ch: number): number {
  let sum = 0;
  let n = 0;
  for (let y = 0; y < ch; y++) {
    for (let x = 0, p = (y0 + y) * m.width + x0, i = y * cw; x < cw; x++, p++, i++) {
      if (!member[i]) continue;
      sum += m.rel[p];
      n++;
    }
  }
  const mean = sum / Math.max(1, n);
  let core = 0;
  let coreN = 0;
  for (let y = 0; y < ch; y++) {
    for (let x = 0, p = (y0 + y) * m.width + x0, i = y * cw; x < cw; x++, p++, i++) {
      if (member[i] && m.rel[p] >= mean) {
        core += m.rel[p];
        coreN++;
      }
    }
  }
  return core / Math.max(1, coreN);
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
  }
  const { labels, owner, rel, mask } = m;
  for (let y = 0; y < ch; y++) {
    for (let x = 0, p = (y0 + y) * m.width + x0, i = y * cw; x < cw; x++, p++, i++) {
      member[i] = labels[p] > 0 && owner[labels[p]] === id ? 1 : 0;
    }
  }
  const scale = 1 / Math.max(0.05, coreDarkness(m, x0, y0, cw, ch) - m.paper);
  let mass = 0;
  let edges = 0;
  for (let y = 0; y < ch; y++) {
    for (let x = 0, p = (y0 + y) * m.width + x0, i = y * cw; x < cw; x++, p++, i++) {
      const v = Math.min(1, Math.max(0, (rel[p] - m.paper) * scale));
      const sides =
        (x > 0 ? member[i - 1] : 0) +
        (x < cw - 1 ? member[i + 1] : 0) +
        (y > 0 ? member[i - cw] : 0) +
        (y < ch - 1 ? member[i + cw] : 0);
      if (member[i]) {
        crop[i] = v;
        edges += 4 - sides;
      } else {
        // The rim: paper-level pixels next to the strokes, never another digit's or a ruled line's.
        crop[i] = sides > 0 && labels[p] === 0 && mask[p] !== REMOVED ? v : 0;
      }
      mass += crop[i];
    }
  }
  return { data: crop, width: cw, height: ch, stroke: (2 * mass) / Math.max(1, edges) };
}
