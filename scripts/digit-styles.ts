/**
 * Handwriting styles MNIST (American, 1990s) rarely has, added to training digits so the model reads them: a 1
 * with a long flag and/or a base serif (read as 7 before), and a crossed 7. The stroke is drawn onto the 28×28
 * digit with the digit's own stroke width, then the digit is normalised again as the app does (crop, longest
 * side 20 px, centre of mass at the centre), since the flag or serif changes its box.
 */
import { toModelInput } from '../src/lib/ml/preprocess.ts';
import { PIXELS, SIDE } from './mnist-data.ts';
import { between } from './random.ts';

/** How often each style is added to a training digit of its class. */
export const STYLES = { flagOne: 0.35, serifOne: 0.2, crossSeven: 0.3 } as const;

/** Ink above this level (0–1) counts when finding the digit's box and strokes. */
const INK = 0.3;

/** Draws an anti-aliased line of `width` px from (x0, y0) to (x1, y1) onto `img` (max blend). */
function line(
  img: Float32Array,
  [x0, y0]: [number, number],
  [x1, y1]: [number, number],
  width: number,
): void {
  const dx = x1 - x0;
  const dy = y1 - y0;
  const length2 = dx * dx + dy * dy || 1;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const t = Math.max(0, Math.min(1, ((x - x0) * dx + (y - y0) * dy) / length2));
      const d = Math.hypot(x - (x0 + t * dx), y - (y0 + t * dy));
      const v = Math.max(0, Math.min(1, width / 2 + 0.5 - d));
      if (v > img[y * SIDE + x]) img[y * SIDE + x] = v;
    }
  }
}

/** Mean x of the ink in rows [from, to]; NaN when there is none. */
function inkX(img: Float32Array, from: number, to: number): number {
  let sum = 0;
  let n = 0;
  for (let y = Math.max(0, from); y <= Math.min(SIDE - 1, to); y++) {
    for (let x = 0; x < SIDE; x++) {
      if (img[y * SIDE + x] > INK) {
        sum += x;
        n++;
      }
    }
  }
  return n ? sum / n : NaN;
}

/** The ink's box (inclusive) and stroke width (ink area / ink height for a thin vertical stroke). */
function measure(img: Float32Array) {
  let top = SIDE;
  let bottom = -1;
  let left = SIDE;
  let right = -1;
  let area = 0;
  for (let y = 0; y < SIDE; y++) {
    for (let x = 0; x < SIDE; x++) {
      const v = img[y * SIDE + x];
      area += v;
      if (v <= INK) continue;
      top = Math.min(top, y);
      bottom = Math.max(bottom, y);
      left = Math.min(left, x);
      right = Math.max(right, x);
    }
  }
  return bottom < 0 ? null : { top, bottom, left, right, area };
}

/**
 * A copy of the 28×28 `digit` (label `label`) with a style added, normalised again; null when none is added
 * this time (most digits, and every class but 1 and 7).
 */
export function stylise(
  digit: Float32Array,
  label: number,
  random: () => number,
): Float32Array | null {
  if (label !== 1 && label !== 7) return null;
  const box = measure(digit);
  if (!box) return null;
  const height = box.bottom - box.top + 1;
  const img = digit.slice(0, PIXELS);
  let changed = false;
  if (label === 1) {
    // Stroke width of a 1: its ink area over its height.
    const width = Math.max(1.4, Math.min(3.5, box.area / height));
    if (random() < STYLES.flagOne) {
      const x = inkX(img, box.top, box.top + 1);
      const angle = between(random, 0.55, 1.0); // 31°–57° below the horizontal, going left
      const length = height * between(random, 0.22, 0.45);
      line(
        img,
        [x, box.top],
        [x - length * Math.cos(angle), box.top + length * Math.sin(angle)],
        width,
      );
      changed = true;
    }
    if (random() < STYLES.serifOne) {
      const x = inkX(img, box.bottom - 1, box.bottom);
      const half = height * between(random, 0.15, 0.3);
      line(img, [x - half, box.bottom], [x + half, box.bottom], width);
      changed = true;
    }
  } else if (random() < STYLES.crossSeven) {
    const width = Math.max(1.4, Math.min(3.5, box.area / (2.2 * height)));
    const y = Math.round(box.top + height * between(random, 0.45, 0.6));
    const x = inkX(img, y, y);
    if (Number.isNaN(x)) return null;
    const half = (box.right - box.left + 1) * between(random, 0.18, 0.3);
    const tilt = between(random, -1, 1);
    line(img, [x - half, y + tilt], [x + half, y - tilt], width);
    changed = true;
  }
  if (!changed) return null;
  return toModelInput({ data: img, width: SIDE, height: SIDE, max: 1 });
}
