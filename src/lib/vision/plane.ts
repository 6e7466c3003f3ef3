/**
 * A float image (ink 0–1) and the shape operations that make a digit look like MNIST's: resampling to a
 * working size, thickening strokes (grey dilation), full-ink strokes, and a limit on the slant.
 */

/** A single-channel float image, row-major; `data` may be longer than width × height (a reused buffer). */
export interface Plane {
  data: Float32Array;
  width: number;
  height: number;
}

let tally = new Uint16Array(0);
const bins = new Uint32Array(64);

/** A buffer of at least `n` floats: `buffer` itself when it is big enough. */
export function room(buffer: Float32Array, n: number): Float32Array {
  return buffer.length >= n ? buffer : new Float32Array(n);
}

/**
 * `src` scaled by `s` into `dst` (zeroed), inset by `pad` on every side: area means when shrinking (thin
 * strokes keep their mass), bilinear when enlarging. Returns the plane of `dst`.
 */
export function resample(src: Plane, s: number, pad: number, dst: Float32Array): Plane {
  const { data, width: cw, height: ch } = src;
  const width = Math.ceil(cw * s) + 2 * pad;
  const height = Math.ceil(ch * s) + 2 * pad;
  dst.fill(0, 0, width * height);
  if (s <= 1) {
    // Mean of the source pixels falling in each target pixel.
    if (tally.length < width * height) tally = new Uint16Array(width * height);
    const counts = tally;
    counts.fill(0, 0, width * height);
    for (let y = 0; y < ch; y++) {
      const row = (Math.floor((y + 0.5) * s) + pad) * width + pad;
      for (let x = 0; x < cw; x++) {
        const at = row + Math.floor((x + 0.5) * s);
        dst[at] += data[y * cw + x];
        counts[at]++;
      }
    }
    for (let i = 0; i < width * height; i++) if (counts[i] > 1) dst[i] /= counts[i];
    return { data: dst, width, height };
  }
  for (let v = pad; v < height - pad; v++) {
    const sy = Math.min(ch - 1, Math.max(0, (v - pad + 0.5) / s - 0.5));
    const y0 = Math.floor(sy);
    const y1 = Math.min(ch - 1, y0 + 1);
    const ty = sy - y0;
    for (let u = pad; u < width - pad; u++) {
      const sx = Math.min(cw - 1, Math.max(0, (u - pad + 0.5) / s - 0.5));
      const x0 = Math.floor(sx);
      const x1 = Math.min(cw - 1, x0 + 1);
      const tx = sx - x0;
      const a = data[y0 * cw + x0] + (data[y0 * cw + x1] - data[y0 * cw + x0]) * tx;
      const b = data[y1 * cw + x0] + (data[y1 * cw + x1] - data[y1 * cw + x0]) * tx;
      dst[v * width + u] = a + (b - a) * ty;
    }
  }
  return { data: dst, width, height };
}

/**
 * Grey dilation of `p` in place by one pixel (border pixels left as they are): with the 3×3 square, or
 * with the plus shape; alternating the two grows strokes as a disc would. `scratch` holds a copy.
 */
export function dilate(p: Plane, square: boolean, scratch: Float32Array): void {
  const { data, width: w, height: h } = p;
  scratch.set(data.subarray(0, w * h));
  const s = scratch;
  for (let y = 1; y < h - 1; y++) {
    for (let x = 1, i = y * w + 1; x < w - 1; x++, i++) {
      let v = s[i];
      v = s[i - 1] > v ? s[i - 1] : v;
      v = s[i + 1] > v ? s[i + 1] : v;
      v = s[i - w] > v ? s[i - w] : v;
      v = s[i + w] > v ? s[i + w] : v;
      if (square) {
        v = s[i - w - 1] > v ? s[i - w - 1] : v;
        v = s[i - w + 1] > v ? s[i - w + 1] : v;
        v = s[i + w - 1] > v ? s[i + w - 1] : v;
        v = s[i + w + 1] > v ? s[i + w + 1] : v;
      }
      data[i] = v;
    }
  }
}

/** Scales `p` so that its strokes' cores are full ink: divided by its 90th-percentile ink level. */
export function fullInk(p: Plane): void {
  const n = p.width * p.height;
  const { data } = p;
  bins.fill(0);
  let total = 0;
  for (let i = 0; i < n; i++) {
    if (data[i] <= 0.05) continue;
    bins[Math.min(63, Math.floor(data[i] * 64))]++;
    total++;
  }
  let level = 1;
  for (let b = 0, seen = 0; b < 64; b++) {
    seen += bins[b];
    if (seen >= 0.9 * total) {
      level = (b + 1) / 64;
      break;
    }
  }
  for (let i = 0; i < n; i++) data[i] = Math.min(1, data[i] / level);
}

/** The ink's slant: how far x moves right per pixel up (0 upright, 0.3 leaning right), by moments. */
export function slant(p: Plane): { slant: number; cy: number } {
  const { data, width: w, height: h } = p;
  let m = 0;
  let mx = 0;
  let my = 0;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      m += data[i];
      mx += data[i] * x;
      my += data[i] * y;
    }
  }
  if (!(m > 0)) return { slant: 0, cy: h / 2 };
  mx /= m;
  my /= m;
  let cxy = 0;
  let cyy = 0;
  for (let y = 0, i = 0; y < h; y++) {
    for (let x = 0; x < w; x++, i++) {
      cxy += data[i] * (x - mx) * (y - my);
      cyy += data[i] * (y - my) * (y - my);
    }
  }
  return { slant: cyy > 0 ? -cxy / cyy : 0, cy: my };
}

/** `p` sheared so that its slant drops by `by` (rows moved sideways about row `cy`), into `dst`. */
export function shear(p: Plane, by: number, cy: number, dst: Float32Array): Plane {
  const { data, width: w, height: h } = p;
  const margin = Math.ceil((Math.abs(by) * h) / 2) + 1;
  const width = w + 2 * margin;
  const out = room(dst, width * h);
  for (let y = 0; y < h; y++) {
    const shift = margin + by * (y - cy);
    for (let x = 0; x < width; x++) {
      const sx = x - shift;
      const x0 = Math.floor(sx);
      const t = sx - x0;
      const a = x0 >= 0 && x0 < w ? data[y * w + x0] : 0;
      const b = x0 + 1 >= 0 && x0 + 1 < w ? data[y * w + x0 + 1] : 0;
      out[y * width + x] = a + (b - a) * t;
    }
  }
  return { data: out, width, height: h };
}
