/**
 * Ruled lines out of the ink mask. In each wide component, the thin vertical runs of its columns are
 * chained from left to right; a chain that runs a long way is a ruled line (perhaps with digits written on
 * or across it). Its pixels are marked REMOVED, except in columns where a stroke carries on beyond the
 * line on either side, and pixels much darker than the line (pen ink is darker than printed rules), so a
 * digit crossing or sitting on the line stays whole.
 */
import type { ComponentTable } from './components.ts';
import { REMOVED } from './threshold.ts';

/** A line is at least this fraction of the image's width long… */
export const LINE_MIN_LENGTH = 0.15;
/** …and thin runs make up at least this fraction of its length (digits interrupt the rest). */
const LINE_COVER = 0.5;

/** A thin run of a column: part of a candidate line. */
interface Run {
  x: number;
  top: number;
  bottom: number;
}

/** Thickest a ruled line may be, in pixels, in an image `h` pixels high. */
export function maxLineThickness(h: number): number {
  return Math.max(5, Math.round(h / 80));
}

/** The thin vertical runs of component `c`, chained left to right by position (each chain sorted by x). */
function chains(t: ComponentTable, w: number, c: number, thick: number): Run[][] {
  const all: Run[][] = [];
  let active: Run[][] = [];
  const maxGap = 2 * (t.maxY[c] - t.minY[c] + 1);
  for (let x = t.minX[c]; x <= t.maxX[c]; x++) {
    active = active.filter((chain) => x - chain[chain.length - 1].x <= maxGap);
    for (let y = t.minY[c]; y <= t.maxY[c]; y++) {
      if (t.id[t.labels[y * w + x]] !== c) continue;
      const top = y;
      while (y + 1 <= t.maxY[c] && t.id[t.labels[(y + 1) * w + x]] === c) y++;
      if (y - top + 1 > thick) continue;
      const run = { x, top, bottom: y };
      const mid = (top + y) / 2;
      let best: Run[] | null = null;
      let bestDistance = Math.max(2, thick / 2);
      for (const chain of active) {
        const last = chain[chain.length - 1];
        const distance = Math.abs((last.top + last.bottom) / 2 - mid);
        if (last.x < x && distance <= bestDistance) {
          best = chain;
          bestDistance = distance;
        }
      }
      if (best) best.push(run);
      else {
        active.push([run]);
        all.push(active[active.length - 1]);
      }
    }
  }
  return all;
}

/** How dark a pixel on the line must be to count as pen ink on it: well above the line's own darkness. */
function inkLevel(rel: Float32Array, w: number, runs: Run[]): number {
  const peaks: number[] = [];
  const step = Math.max(1, Math.floor(runs.length / 64));
  for (let k = 0; k < runs.length; k += step) {
    let peak = 0;
    for (let y = runs[k].top; y <= runs[k].bottom; y++)
      peak = Math.max(peak, rel[y * w + runs[k].x]);
    peaks.push(peak);
  }
  const line = peaks.sort((a, b) => a - b)[peaks.length >> 1];
  return line + Math.max(0.15, 0.5 * line);
}

/** Whether component `c`'s pixels at (x, y) and (x, y + dy) are both in it. */
function continues(
  t: ComponentTable,
  w: number,
  h: number,
  c: number,
  x: number,
  y: number,
  dy: number,
) {
  const y2 = y + dy;
  if (y < 0 || y >= h || y2 < 0 || y2 >= h) return false;
  return t.id[t.labels[y * w + x]] === c && t.id[t.labels[y2 * w + x]] === c;
}

/** Marks the pixels of line `runs` (of component `c`) REMOVED, sparing strokes that cross or touch it. */
function erase(m: LineMaps, t: ComponentTable, c: number, runs: Run[]) {
  const { mask, rel, width: w, height: h } = m;
  const ink = inkLevel(rel, w, runs);
  for (let k = 0; k < runs.length; k++) {
    const a = runs[k];
    const b = runs[Math.min(k + 1, runs.length - 1)];
    for (let x = a.x; x < (b === a ? a.x + 1 : b.x); x++) {
      // Columns between two thin runs: the band interpolated, one pixel wider on each side.
      const f = x === a.x ? 0 : (x - a.x) / (b.x - a.x);
      const grow = x === a.x ? 0 : 1;
      const lo = Math.max(0, Math.round(a.top + (b.top - a.top) * f) - grow);
      const hi = Math.min(h - 1, Math.round(a.bottom + (b.bottom - a.bottom) * f) + grow);
      if (continues(t, w, h, c, x, lo - 1, -1) || continues(t, w, h, c, x, hi + 1, 1)) continue;
      for (let y = lo; y <= hi; y++) {
        const p = y * w + x;
        if (t.id[t.labels[p]] === c && rel[p] < ink) mask[p] = REMOVED;
      }
    }
  }
}

/** The maps ruled lines are removed from. */
export interface LineMaps {
  width: number;
  height: number;
  /** PAPER, WEAK or STRONG; line pixels become REMOVED. */
  mask: Uint8Array;
  /** Darkness relative to the paper. */
  rel: Float32Array;
}

/** Removes the ruled lines among the components `t` of `m.mask`; true when anything was removed. */
export function removeRuledLines(m: LineMaps, t: ComponentTable): boolean {
  const { width: w, height: h } = m;
  const thick = maxLineThickness(h);
  const length = LINE_MIN_LENGTH * w;
  let removed = false;
  for (let c = 1; c <= t.count; c++) {
    if (t.maxX[c] - t.minX[c] + 1 < length) continue;
    for (const runs of chains(t, w, c, thick)) {
      const span = runs[runs.length - 1].x - runs[0].x + 1;
      if (span < length || runs.length < LINE_COVER * span) continue;
      erase(m, t, c, runs);
      removed = true;
    }
  }
  return removed;
}
