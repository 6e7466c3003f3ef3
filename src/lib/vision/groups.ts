/**
 * From ink components to digit candidates: specks and smudges dropped, the parts of one digit merged (the
 * bar of a 5, a pencil gap) without merging neighbouring digits, then only digit-like boxes kept: big
 * enough for the image, not too wide, not a solid blob, not cut by the image's edge, not a fragment beside
 * a digit twice its size. Parts that are no digit themselves join the digit they fit best.
 */
import type { ComponentTable } from './components.ts';
import { overlap, unionBox, type Box } from './image.ts';

/** A digit candidate: its box and the components it is made of. */
export interface Candidate {
  box: Box;
  parts: number[];
  /** Ink pixels in all its parts. */
  area: number;
}

/** Most digits reported per frame; the tallest are kept. */
export const MAX_DIGITS = 32;
/** A digit is at least this fraction of the image's short side tall (and at least MIN_DIGIT_PIXELS). */
export const MIN_DIGIT_HEIGHT = 0.025;
/** …and at least this many pixels tall: anything smaller cannot be read. */
export const MIN_DIGIT_PIXELS = 10;
/** A digit is at most this many times as wide as tall. */
const MAX_ASPECT = 2.5;
/** A box at least half as wide as tall that is filled more than this is a blob, not strokes. */
const MAX_FILL = 0.85;
/** Components considered for merging at most (the largest): bounds the work on a noisy picture. */
const MAX_PIECES = 400;

/** Whether boxes `a` and `b` look like two parts of one digit rather than two digits. */
export function sameDigit(a: Box, b: Box): boolean {
  const [big, small] = a.height >= b.height ? [a, b] : [b, a];
  const xo = overlap(a.x, a.x + a.width, b.x, b.x + b.width);
  const yo = overlap(a.y, a.y + a.height, b.y, b.y + b.height);
  // Never grow a digit by half again: that is a digit of another row.
  if (Math.max(a.y + a.height, b.y + b.height) - Math.min(a.y, b.y) > 1.5 * big.height)
    return false;
  if (small.height >= 0.6 * big.height) {
    if (xo < 0.5 * small.width) return false;
    // Two tall parts: side by side only when one spans the other (else they are neighbours), stacked
    // only across a pencil gap (else they are digits of two rows).
    if (yo > 0) return xo >= 0.5 * Math.max(a.width, b.width);
    return -yo <= 0.12 * big.height;
  }
  // A smaller part (the bar of a 5 may stick out to the right): over the big one, not a speck, near it;
  // a part as tall as a small digit only across a pencil gap.
  if (xo < 0.25 * small.width || Math.max(small.width, small.height) < 0.12 * big.height)
    return false;
  return -yo <= (small.height >= 0.4 * big.height ? 0.12 : 0.35) * big.height;
}

/** The components worth considering: with a strong pixel, and not specks. */
function pieces(t: ComponentTable, minSide: number): Candidate[] {
  const list: Candidate[] = [];
  for (let c = 1; c <= t.count; c++) {
    if (t.strong[c] === 0) continue;
    const width = t.maxX[c] - t.minX[c] + 1;
    const height = t.maxY[c] - t.minY[c] + 1;
    if (Math.max(width, height) < minSide) continue;
    list.push({ box: { x: t.minX[c], y: t.minY[c], width, height }, parts: [c], area: t.area[c] });
  }
  if (list.length > MAX_PIECES) list.sort((a, b) => b.area - a.area).length = MAX_PIECES;
  return list;
}

/** Merges candidates that are parts of one digit, until no pair is. */
function merge(list: Candidate[]): Candidate[] {
  const alive = list.slice();
  for (let changed = true; changed;) {
    changed = false;
    for (let i = 0; i < alive.length; i++) {
      for (let j = i + 1; j < alive.length; j++) {
        const a = alive[i];
        const b = alive[j];
        if (!sameDigit(a.box, b.box)) continue;
        alive[i] = {
          box: unionBox(a.box, b.box),
          parts: a.parts.concat(b.parts),
          area: a.area + b.area,
        };
        alive.splice(j, 1);
        j = i;
        changed = true;
      }
    }
  }
  return alive;
}

/**
 * How well `part`, too small or flat to be a digit, fits as a stray part of digit `host` (a 5's bar off to
 * the right, a broken-off stroke): more horizontal overlap and less distance score higher; −∞ if it does not.
 */
export function adoption(part: Box, host: Box): number {
  const h = host.height;
  if (part.height >= 0.6 * h) return -Infinity;
  const xo = overlap(part.x, part.x + part.width, host.x, host.x + host.width);
  const yo = overlap(part.y, part.y + part.height, host.y, host.y + host.height);
  if (xo < -0.25 * h || yo < -0.35 * h) return -Infinity;
  // Outside the digit's box, only a stroke-sized part: a dot between two digits is punctuation.
  const inside = xo >= 0.5 * part.width && yo >= 0.5 * part.height;
  if (Math.max(part.width, part.height) < (inside ? 0.12 : 0.2) * h) return -Infinity;
  const union = unionBox(part, host);
  if (union.height > 1.5 * h || union.width > MAX_ASPECT * union.height) return -Infinity;
  return xo + Math.min(0, yo);
}

/** Gives each part that is not a digit itself to the digit it fits best, if any. */
function adopt(parts: Candidate[], digits: Candidate[]): void {
  for (const part of parts) {
    let best = -1;
    let bestScore = -Infinity;
    digits.forEach((d, i) => {
      const score = adoption(part.box, d.box);
      if (score > bestScore) [best, bestScore] = [i, score];
    });
    if (best < 0) continue;
    const host = digits[best];
    digits[best] = {
      box: unionBox(host.box, part.box),
      parts: host.parts.concat(part.parts),
      area: host.area + part.area,
    };
  }
}

/** Whether `small` is a fragment beside a digit at least twice its height in its row (a dot, a stray bit). */
function fragment(small: Box, digits: Candidate[]): boolean {
  return digits.some(({ box }) => {
    if (box.height < 2 * small.height) return false;
    const yo = overlap(small.y, small.y + small.height, box.y, box.y + box.height);
    const xo = overlap(small.x, small.x + small.width, box.x, box.x + box.width);
    return yo >= 0.5 * small.height && xo >= -0.5 * box.height;
  });
}

/** Whether a merged candidate looks like one digit in a `w` × `h` image. */
function digitLike(c: Candidate, w: number, h: number): boolean {
  const { x, y, width, height } = c.box;
  const short = Math.min(w, h);
  if (height < Math.max(MIN_DIGIT_PIXELS, MIN_DIGIT_HEIGHT * short) || height > 0.9 * h)
    return false;
  if (width > MAX_ASPECT * height) return false;
  if (x <= 0 || y <= 0 || x + width >= w || y + height >= h) return false;
  return width < 0.5 * height || c.area <= MAX_FILL * width * height;
}

/** The digit candidates among the components of a `w` × `h` image: at most MAX_DIGITS, tallest first. */
export function digitCandidates(t: ComponentTable, w: number, h: number): Candidate[] {
  const minSide = Math.max(3, Math.round(Math.min(w, h) / 160));
  const merged = merge(pieces(t, minSide));
  const likely = merged.filter((c) => digitLike(c, w, h));
  const found = likely.filter((c) => !fragment(c.box, likely));
  adopt(
    merged.filter((c) => !digitLike(c, w, h)).concat(likely.filter((c) => !found.includes(c))),
    found,
  );
  found.sort((a, b) => b.box.height - a.box.height);
  if (found.length > MAX_DIGITS) found.length = MAX_DIGITS;
  return found;
}
