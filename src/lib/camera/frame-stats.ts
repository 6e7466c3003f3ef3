/**
 * Live figures for the camera: frames delivered, read, and never read (and why), frames per second over the last
 * second, and the 95th percentile of processing time and of capture → overlay latency over a window of recent frames.
 * Pure (times are passed in), so it is unit-tested without a camera.
 */

/** Frames the percentiles are taken over. */
export const STATS_WINDOW = 120;

/** What the camera page shows and `npm run bench` reads. */
export interface FrameFigures {
  /** Frames the camera delivered to the page while live. */
  delivered: number;
  /** Frames read (found, classified, drawn). */
  processed: number;
  /**
   * Frames dropped for lack of time: a newer frame replaced them while the reader was busy. Counted when
   * dropped, so frames on their way (one being read, one waiting) are not among them, nor is a frame whose
   * read failed (logged): delivered = processed + dropped + unseen + those.
   */
  dropped: number;
  /**
   * Frames the page never saw: the video presented two or more between two of the page's rendering updates
   * (the browser calls back once per update, with the newest).
   */
  unseen: number;
  /** Processed frames per second, over the last second. */
  fps: number;
  /** Worker time per frame (decode, find, predict), p95 in ms. */
  processP95: number;
  /** Capture → overlay painted, p95 in ms. */
  latencyP95: number;
}

/** The p-th quantile (0–1) of `values` (nearest rank); NaN when empty. */
function quantile(values: readonly number[], p: number): number {
  if (!values.length) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.ceil(p * sorted.length) - 1)];
}

/**
 * Frames the video presented since the last callback, from its running count (`presentedFrames`): 1 for the
 * first callback (`last` 0) and whenever the count did not move on as expected.
 */
export function framesSince(last: number, presented: number): number {
  return last ? Math.max(1, presented - last) : 1;
}

export class FrameStats {
  #delivered = 0;
  #processed = 0;
  #dropped = 0;
  #unseen = 0;
  #done: number[] = [];
  #process: number[] = [];
  #latency: number[] = [];

  /** `count` new frames were delivered by the camera. */
  delivered(count = 1): void {
    this.#delivered += count;
  }

  /** A frame waiting to be read was replaced by a newer one. */
  dropped(): void {
    this.#dropped++;
  }

  /** `count` frames were presented without the page seeing them. */
  unseen(count: number): void {
    this.#unseen += count;
  }

  /** A frame was read in `processMs` and its overlay painted at `paintedAt`, `latencyMs` after capture. */
  processed(paintedAt: number, processMs: number, latencyMs: number): void {
    this.#processed++;
    this.#done.push(paintedAt);
    while (this.#done.length && this.#done[0] <= paintedAt - 1000) this.#done.shift();
    push(this.#process, processMs);
    push(this.#latency, latencyMs);
  }

  /** The figures at time `now`. */
  figures(now: number): FrameFigures {
    return {
      delivered: this.#delivered,
      processed: this.#processed,
      dropped: this.#dropped,
      unseen: this.#unseen,
      fps: this.#done.filter((t) => t > now - 1000).length,
      processP95: quantile(this.#process, 0.95),
      latencyP95: quantile(this.#latency, 0.95),
    };
  }

  /** Starts counting afresh (a new camera, or after a pause). */
  reset(): void {
    this.#delivered = this.#processed = this.#dropped = this.#unseen = 0;
    this.#done = [];
    this.#process = [];
    this.#latency = [];
  }
}

function push(window: number[], value: number): void {
  window.push(value);
  if (window.length > STATS_WINDOW) window.shift();
}
