/**
 * Touching digits split apart: digits written so close that their ink touches are one component, one box too
 * wide for a digit. Such a box is cut at the column of its middle that holds the least of its ink, when that
 * is little (where two digits touch, not across the middle of one wide digit); each side must look like a
 * digit in its own right, and is cut again if it is still too wide.
 */
import type { ComponentTable } from './components.ts';
import type { Candidate } from './groups.ts';
import type { Box } from './image.ts';

/**
 * A box this many times as wide as tall, or wider, may hold touching digits. Chosen on a generated set of its
 * own (seed 101, not the evaluation set): from 1.25 up, lower values also cut single wide digits.
 */
export const SPLIT_ASPECT = 1.6;
/** The cut is looked for in this part of the box's width (fractions from its left edge). */
const CUT_RANGE: readonly [number, number] = [0.25, 0.75];
/** …at a column holding at most this fraction of the box's height in ink. */
const MAX_CUT_INK = 0.3;
/** Each side is at least this many times as wide and as tall as the box is tall. */
const MIN_SIDE_WIDTH = 0.3;
const MIN_SIDE_HEIGHT = 0.5;

let columns = new Int32Array(0);

/** Whether pixel `p` is ink of candidate `c`. */
function inkOf(t: ComponentTable, parts: ReadonlySet<number>, p: number): boolean {
  const label = t.labels[p];
  return label > 0 && parts.has(t.id[label]);
}

/** The box of the candidate's ink between columns `x0` and `x1` (exclusive), and its pixels. */
function sideOf(
  t: ComponentTable,
  parts: ReadonlySet<number>,
  box: Box,
  x0: number,
  x1: number,
  w: number,
) {
  let minX = x1;
  let maxX = x0 - 1;
  let minY = box.y + box.height;
  let maxY = box.y - 1;
  let area = 0;
  for (let y = box.y; y < box.y + box.height; y++) {
    for (let x = x0, p = y * w + x0; x < x1; x++, p++) {
      if (!inkOf(t, parts, p)) continue;
      area++;
      if (x < minX) minX = x;
      if (x > maxX) maxX = x;
      if (y < minY) minY = y;
      if (y > maxY) maxY = y;
    }
  }
  const side: Box = { x: minX, y: minY, width: maxX - minX + 1, height: maxY - minY + 1 };
  return { side, area };
}

/** `c` as one digit, or cut in two where two touching digits meet (recursively). */
function split(
  c: Candidate,
  t: ComponentTable,
  w: number,
  parts: ReadonlySet<number>,
): Candidate[] {
  const { box } = c;
  if (box.width < SPLIT_ASPECT * box.height) return [c];
  if (columns.length < box.width) columns = new Int32Array(box.width);
  columns.fill(0, 0, box.width);
  for (let y = box.y; y < box.y + box.height; y++)
    for (let x = box.x, p = y * w + box.x; x < box.x + box.width; x++, p++)
      if (inkOf(t, parts, p)) columns[x - box.x]++;
  let cut = -1;
  for (let i = Math.ceil(CUT_RANGE[0] * box.width); i <= CUT_RANGE[1] * box.width; i++)
    if (cut < 0 || columns[i] < columns[cut]) cut = i;
  if (cut < 0 || columns[cut] > MAX_CUT_INK * box.height) return [c];
  const left = sideOf(t, parts, box, box.x, box.x + cut, w);
  const right = sideOf(t, parts, box, box.x + cut, box.x + box.width, w);
  const fits = (s: Box) =>
    s.width >= MIN_SIDE_WIDTH * box.height && s.height >= MIN_SIDE_HEIGHT * box.height;
  if (!fits(left.side) || !fits(right.side)) return [c];
  return [
    ...split({ box: left.side, parts: c.parts, area: left.area }, t, w, parts),
    ...split({ box: right.side, parts: c.parts, area: right.area }, t, w, parts),
  ];
}

/** The candidates with every box of touching digits cut into one box per digit. */
export function splitTouching(found: Candidate[], t: ComponentTable, w: number): Candidate[] {
  return found.flatMap((c) =>
    c.box.width < SPLIT_ASPECT * c.box.height ? [c] : split(c, t, w, new Set(c.parts)),
  );
}
