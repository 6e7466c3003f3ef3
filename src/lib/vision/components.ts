/**
 * Connected components of the ink (8-neighbour) in one scanline pass with union-find. Statistics are kept
 * per provisional label as pixels are labelled and folded into their roots at the end, so no second pass
 * over the image is needed: a pixel's component is `id[labels[p]]`. Buffers are reused between frames.
 */
import { REMOVED, STRONG, type Thresholds } from './threshold.ts';

/** Components of one mask: compact ids 1..count (0 is paper), statistics indexed by id. */
export class ComponentTable {
  count = 0;
  /** Provisional label of each pixel (0 = paper); its component is id[label]. */
  labels = new Int32Array(0);
  /** Component id of each provisional label. */
  id = new Int32Array(0);
  minX = new Int32Array(0);
  minY = new Int32Array(0);
  /** Inclusive. */
  maxX = new Int32Array(0);
  /** Inclusive. */
  maxY = new Int32Array(0);
  /** Pixels in the component. */
  area = new Int32Array(0);
  /** Pixels at the strong level: a component without any is a faint smudge, not a stroke. */
  strong = new Int32Array(0);
  parent = new Int32Array(0);

  /** Makes room for a `pixels`-pixel mask. */
  ensure(pixels: number): void {
    if (this.labels.length < pixels) this.labels = new Int32Array(pixels);
    const most = (pixels >> 1) + 2;
    if (this.parent.length >= most) return;
    this.parent = new Int32Array(most);
    this.id = new Int32Array(most);
    for (const key of ['minX', 'minY', 'maxX', 'maxY', 'area', 'strong'] as const) {
      this[key] = new Int32Array(most);
    }
  }
}

function find(parent: Int32Array, a: number): number {
  let root = a;
  while (parent[root] !== root) root = parent[root];
  while (parent[a] !== root) {
    const next = parent[a];
    parent[a] = root;
    a = next;
  }
  return root;
}

function union(parent: Int32Array, a: number, b: number): void {
  const ra = find(parent, a);
  const rb = find(parent, b);
  if (ra < rb) parent[rb] = ra;
  else if (rb < ra) parent[ra] = rb;
}

/** Labels one row (`at`…`at + w`), the row above already labelled; returns the next free label. */
function labelRow(
  mask: Uint8Array,
  t: ComponentTable,
  at: number,
  w: number,
  y: number,
  next: number,
) {
  const { labels, parent, minX, minY, maxX, maxY, area, strong } = t;
  for (let x = 0, p = at; x < w; x++, p++) {
    const m = mask[p];
    if (m === 0 || m === REMOVED) {
      labels[p] = 0;
      continue;
    }
    let own = y > 0 ? labels[p - w] : 0;
    if (!own) {
      const west = x > 0 ? labels[p - 1] : 0;
      const nw = x > 0 && y > 0 ? labels[p - w - 1] : 0;
      const ne = x < w - 1 && y > 0 ? labels[p - w + 1] : 0;
      own = west || nw || ne;
      if (own && ne && ne !== own) union(parent, own, ne);
      if (!own) {
        own = next++;
        parent[own] = own;
        minX[own] = maxX[own] = x;
        minY[own] = y;
        area[own] = strong[own] = 0;
      }
    }
    labels[p] = own;
    if (x < minX[own]) minX[own] = x;
    if (x > maxX[own]) maxX[own] = x;
    maxY[own] = y;
    area[own]++;
    if (m === STRONG) strong[own]++;
  }
  return next;
}

/** Folds each provisional label's statistics into its root's and numbers the roots 1..count. */
function compact(t: ComponentTable, used: number): number {
  const { parent, id, minX, minY, maxX, maxY, area, strong } = t;
  let count = 0;
  id[0] = 0;
  // A root is the smallest label of its set, so its id and statistics are in place before its members.
  for (let i = 1; i < used; i++) {
    const r = find(parent, i);
    if (r === i) {
      id[i] = ++count;
      minX[count] = minX[i];
      minY[count] = minY[i];
      maxX[count] = maxX[i];
      maxY[count] = maxY[i];
      area[count] = area[i];
      strong[count] = strong[i];
      continue;
    }
    const c = id[r];
    id[i] = c;
    minX[c] = Math.min(minX[c], minX[i]);
    minY[c] = Math.min(minY[c], minY[i]);
    maxX[c] = Math.max(maxX[c], maxX[i]);
    maxY[c] = Math.max(maxY[c], maxY[i]);
    area[c] += area[i];
    strong[c] += strong[i];
  }
  return count;
}

/**
 * Labels the ink of `mask` (w × h: WEAK and STRONG are ink) into `t`. With `rel` and `levels`, first
 * writes each row of the mask from the darkness map (PAPER, WEAK or STRONG), while the row is at hand.
 */
export function labelComponents(
  mask: Uint8Array,
  w: number,
  h: number,
  t: ComponentTable,
  rel?: Float32Array,
  levels?: Thresholds,
): number {
  t.ensure(w * h);
  let next = 1;
  for (let y = 0; y < h; y++) {
    const at = y * w;
    if (rel && levels) {
      const { weak, strong } = levels;
      // Branch-free: PAPER + (above weak) + (above strong), as WEAK = 1 and STRONG = 2.
      let ink = 0;
      for (let p = at; p < at + w; p++) ink |= mask[p] = +(rel[p] > weak) + +(rel[p] > strong);
      // Most rows of a page are blank paper.
      if (ink === 0) {
        t.labels.fill(0, at, at + w);
        continue;
      }
    }
    next = labelRow(mask, t, at, w, y, next);
  }
  t.count = compact(t, next);
  return t.count;
}
