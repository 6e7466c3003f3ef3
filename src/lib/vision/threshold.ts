/**
 * Which pixels are ink: a pixel is ink when it is darker than its paper by a minimum contrast and by several
 * times the picture's noise, so flat paper, grain and JPEG noise never become ink. Two levels (hysteresis):
 * strong pixels seed a stroke, weak ones only extend it, which keeps faint and blurred strokes whole.
 */

/** Mask value of paper. */
export const PAPER = 0;
/** Mask value of ink that only extends a stroke. */
export const WEAK = 1;
/** Mask value of ink that can seed a stroke. */
export const STRONG = 2;
/** Mask value of ink taken out again: a ruled line's. */
export const REMOVED = 3;

/** Relative darkness a stroke's seed must reach at least (0.2: 20 % darker than its paper). */
export const STRONG_CONTRAST = 0.2;
/** Relative darkness that extends a stroke from its seeds. */
export const WEAK_CONTRAST = 0.1;
/** Seeds must also stand this many noise deviations above the paper. */
const STRONG_SIGMAS = 6;
/** Extensions must stand this many noise deviations above the paper. */
const WEAK_SIGMAS = 3.5;

/** Levels of one picture: where its paper lies and what counts as ink. */
export interface Thresholds {
  /** Typical relative darkness of paper (about 0). */
  paper: number;
  /** Standard deviation of the paper's darkness: the picture's noise. */
  noise: number;
  weak: number;
  strong: number;
}

const BINS = 1024;
const LOW = -0.5;
const BIN = 1 / BINS;
const histogram = new Uint32Array(BINS);

/** The value below which `fraction` of the histogram's `total` samples lie. */
function quantile(total: number, fraction: number): number {
  const target = total * fraction;
  let seen = 0;
  for (let b = 0; b < BINS; b++) {
    seen += histogram[b];
    if (seen >= target) return LOW + (b + 0.5) * BIN;
  }
  return LOW + BINS * BIN;
}

/** The thresholds for a w × h darkness map, from its paper level and noise (every 4th row sampled). */
export function chooseThresholds(rel: Float32Array, w: number, h: number): Thresholds {
  histogram.fill(0);
  let total = 0;
  for (let y = Math.min(1, h - 1); y < h; y += 4) {
    for (let i = y * w, end = i + w; i < end; i += 2) {
      const b = Math.floor((rel[i] - LOW) / BIN);
      histogram[b < 0 ? 0 : b >= BINS ? BINS - 1 : b]++;
      total++;
    }
  }
  // Most pixels are paper; ink only lifts the upper tail, so the lower half gives the noise.
  const paper = quantile(total, 0.5);
  const noise = Math.max(0.004, paper - quantile(total, 0.16));
  return {
    paper,
    noise,
    weak: paper + Math.max(WEAK_CONTRAST, WEAK_SIGMAS * noise),
    strong: paper + Math.max(STRONG_CONTRAST, STRONG_SIGMAS * noise),
  };
}
