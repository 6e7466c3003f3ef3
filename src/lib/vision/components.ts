/**
 * Connected components of an ink mask (8-neighbour): a two-pass scanline labelling with union-find, and
 * per-component statistics. Buffers live in a `ComponentTable` reused from frame to frame.
 */

/** Components of one mask, as parallel arrays indexed by label (1..count; 0 is paper). */
export class ComponentTable {
  count = 0;
  /** Label of each pixel (0 = paper). */
  labels = new Int32Array(0);
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
    if (this.parent.length < most) {
      this.parent = new Int32Array(most);
      for (const key of ['minX', 'minY', 'maxX', 'maxY', 'area', 'strong'] as const) {
        this[key] = new Int32Array(most);
      }
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

/** First pass: provisional labels and their equivalences; returns the number of provisional labels. */
function provisional(mask: Uint8Array, w: number, h: number, t: ComponentTable): number {
  const { labels, parent } = t;
  let next = 1;
  for (let y = 0; y < h; y++) {
    const at = y * w;
    for (let x = 0; x < w; x++) {
      const p = at + x;
      if (mask[p] === 0 || mask[p] > 2) {
        labels[p] = 0;
        continue;
      }
      const n = y > 0 ? labels[p - w] : 0;
      if (n) {
        labels[p] = n;
        continue;
      }
      const west = x > 0 ? labels[p - 1] : 0;
      const nw = x > 0 && y > 0 ? labels[p - w - 1] : 0;
      const ne = x < w - 1 && y > 0 ? labels[p - w + 1] : 0;
      const own = west || nw || ne;
      if (own) {
        labels[p] = own;
        if (ne && ne !== own) union(parent, own, ne);
      } else {
        parent[next] = next;
        labels[p] = next++;
      }
    }
  }
  return next;
}

/** Labels the ink of `mask` (w × h: 1 weak, 2 strong; 0 and 3 are not ink) into `t`. */
export function labelComponents(mask: Uint8Array, w: number, h: number, t: ComponentTable): number {
  t.ensure(w * h);
  const used = provisional(mask, w, h, t);
  const { labels, parent, minX, minY, maxX, maxY, area, strong } = t;
  // A root is the smallest label of its set, so one ascending pass turns parent[] into -(compact id).
  for (let i = 1; i < used; i++) parent[i] = find(parent, i);
  let count = 0;
  for (let i = 1; i < used; i++) {
    if (parent[i] !== i) {
      parent[i] = parent[parent[i]];
      continue;
    }
    parent[i] = -++count;
    minX[count] = w;
    minY[count] = h;
    maxX[count] = -1;
    maxY[count] = -1;
    area[count] = 0;
    strong[count] = 0;
  }
  for (let y = 0; y < h; y++) {
    const at = y * w;
    for (let x = 0; x < w; x++) {
      const p = at + x;
      if (labels[p] === 0) continue;
      const c = -parent[labels[p]];
      labels[p] = c;
      if (x < minX[c]) minX[c] = x;
      if (x > maxX[c]) maxX[c] = x;
      if (y < minY[c]) minY[c] = y;
      maxY[c] = y;
      area[c]++;
      if (mask[p] === 2) strong[c]++;
    }
  }
  t.count = count;
  return count;
}
