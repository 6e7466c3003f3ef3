/**
 * Reading order: boxes grouped into rows of text, rows top to bottom, each left to right. A box joins the
 * row whose last box (so far, from the left) it overlaps most in height, so a slightly tilted row stays one.
 */
import { overlap, type Box } from './image.ts';

/** Two boxes are in one row when they share at least this fraction of the shorter one's height. */
export const ROW_OVERLAP = 0.5;

/** Indices of `boxes` grouped into rows: rows top to bottom, each row's indices left to right. */
export function readingRows(boxes: readonly Box[]): number[][] {
  const order = boxes
    .map((_, i) => i)
    .sort((a, b) => boxes[a].x - boxes[b].x || boxes[a].y - boxes[b].y);
  const rows: number[][] = [];
  for (const i of order) {
    const box = boxes[i];
    let best = -1;
    let bestShare = ROW_OVERLAP;
    for (let r = 0; r < rows.length; r++) {
      const last = boxes[rows[r][rows[r].length - 1]];
      const shared = overlap(box.y, box.y + box.height, last.y, last.y + last.height);
      const share = shared / Math.min(box.height, last.height);
      if (share >= bestShare) {
        best = r;
        bestShare = share;
      }
    }
    if (best >= 0) rows[best].push(i);
    else rows.push([i]);
  }
  const middle = (row: number[]) =>
    row.reduce((sum, i) => sum + boxes[i].y + boxes[i].height / 2, 0) / row.length;
  const keyed = rows.map((row) => ({ row, y: middle(row) }));
  return keyed.sort((a, b) => a.y - b.y).map((k) => k.row);
}
