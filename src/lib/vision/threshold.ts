/**
 * Which pixels are ink: a pixel is ink when it is darker than its paper by a minimum contrast and by several
 * times the picture's noise, so flat paper, grain and JPEG noise never become ink. Two levels (hysteresis):
 * strong pixels seed a stroke, weak ones only extend it, which keeps faint and blurred strokes whole.
 */

/** Mask values: paper, weak ink, strong ink, and ink taken out again (a ruled line). */
export const PAPER = 0;
export const WEAK = 1;
export const STRONG = 2;
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

/** The thresholds for a picture's darkness map, from its paper level and noise (sampled, cheap). */
export function chooseThresholds(rel: Float32Array, n: number): Thresholds {
  histogram.fill(0);
  let total = 0;
  for (let i = 0; i < n; i += 7) {
    const b = Math.floor((rel[i] - LOW) / BIN);
    histogram[b < 0 ? 0 : b >= BINS ? BINS - 1 : b]++;
    total++;
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

/** Writes PAPER, WEAK or STRONG for each of the `n` pixels into `mask`. */
export function markInk(rel: Float32Array, n: number, t: Thresholds, mask: Uint8Array): Uint8Array {
  const { weak, strong } = t;
  // Branch-free: PAPER + (above weak) + (above strong), as WEAK = 1 and STRONG = 2.
  for (let i = 0; i < n; i++) mask[i] = +(rel[i] > weak) + +(rel[i] > strong);
  return mask;
}
