/**
 * Synthetic phone photos of handwritten numbers on paper, for the camera and photo tests (#13): numbers
 * written in held-out MNIST digits (pen-digits.ts) laid out on paper, plain or ruled, lit unevenly, maybe
 * shadowed, and seen through a phone camera. Pure: no file IO; the same seed gives the same pixels.
 */
import { writeNumber, type Box, type Written } from './pen-digits.ts';
import { between, seededRandom, type Rng } from './random.ts';

export type { Box } from './pen-digits.ts';

/** What the camera saw: the conditions the evaluation set is reported by. */
export type Condition = 'clean' | 'blurred' | 'dim' | 'shadow' | 'lined';
/** Every condition, in the order the evaluation set cycles through them. */
export const CONDITIONS: readonly Condition[] = ['clean', 'blurred', 'dim', 'shadow', 'lined'];

/**
 * Ground truth of one written number: its text, its ink box, and each digit's ink box, left to
 * right. An ink box holds the pixels the pen covers by more than 25 %, before the camera's blur.
 */
export interface TruthNumber {
  text: string;
  box: Box;
  digits: { digit: number; box: Box }[];
}
/** A rendered photo (RGBA, row-major) with its ground truth. */
export interface PaperScene {
  width: number;
  height: number;
  rgba: Uint8ClampedArray;
  condition: Condition;
  numbers: TruthNumber[];
  /** The seed it was rendered from. */
  seed?: number;
  /** Rows (y, image pixels) of the ruled lines, for `lined` scenes. */
  rules?: number[];
}
/** What to render; everything not given is drawn from the seed. */
export interface SceneOptions {
  seed: number;
  condition: Condition;
  width?: number;
  height?: number;
  /** The numbers to write, e.g. ['2026', '417']; default: 2–4 random numbers of 1–6 digits. */
  numbers?: string[];
  /** Range of digit heights in pixels; default 7–14 % of the image height. */
  digitHeight?: [number, number];
}

type Rgb = [number, number, number];
interface Planes {
  width: number;
  height: number;
  channels: [Float32Array, Float32Array, Float32Array];
}

const INKS: Rgb[] = [
  [0.1, 0.13, 0.42], // blue ballpoint
  [0.06, 0.06, 0.08], // black
  [0.22, 0.22, 0.24], // dark grey (pencil, worn felt tip)
  [0.05, 0.08, 0.3], // dark blue
];

/** A standard normal sample (Box–Muller; uses two draws). */
function gauss(random: Rng): number {
  return Math.sqrt(-2 * Math.log(1 - random())) * Math.cos(2 * Math.PI * random());
}

/** 256 normal samples (mean 0, deviation 1): one 32-bit draw picks four sensor-noise values. */
const NOISE = (() => {
  const random = seededRandom(1);
  const table = Float32Array.from({ length: 256 }, () => gauss(random));
  const mean = table.reduce((s, v) => s + v, 0) / 256;
  const deviation = Math.sqrt(table.reduce((s, v) => s + (v - mean) ** 2, 0) / 256);
  return table.map((v) => (v - mean) / deviation);
})();

/** Where numbers may go: inside the margins, on the ruled lines if any, so far apart in y. */
interface Frame {
  left: number;
  top: number;
  right: number;
  bottom: number;
  baselines?: number[];
  rowGap: number;
}

/** The box of a placed number in image coordinates. */
function placedBox(number: Written): Box {
  return { ...number.box, x: number.x + number.box.x, y: number.y + number.box.y };
}

/** Two numbers are apart when 1.5 digit heights lie between them, or they sit on different rows. */
function apart(a: Written, b: Written, rowGap: number): boolean {
  const size = Math.max(a.size, b.size);
  const [p, q] = [placedBox(a), placedBox(b)];
  const gapX = 1.5 * size;
  const gapY = rowGap * size;
  return (
    p.x + p.width + gapX <= q.x ||
    q.x + q.width + gapX <= p.x ||
    p.y + p.height + gapY <= q.y ||
    q.y + q.height + gapY <= p.y
  );
}

/** Moves `number` to a random free spot in the frame; false if none was found. */
function place(number: Written, placed: Written[], frame: Frame, random: Rng): boolean {
  const { box, size } = number;
  if (frame.right - box.width < frame.left || frame.bottom - box.height < frame.top) return false;
  for (let attempt = 0; attempt < 100; attempt++) {
    number.x = Math.round(between(random, frame.left, frame.right - box.width));
    number.y = frame.baselines
      ? frame.baselines[Math.floor(random() * frame.baselines.length)] -
        Math.round(size * between(random, 0, 0.1))
      : Math.round(between(random, frame.top, frame.bottom - box.height)) - box.y;
    const top = number.y + box.y;
    if (top < frame.top || top + box.height > frame.bottom) continue;
    if (placed.every((other) => apart(number, other, frame.rowGap))) return true;
  }
  return false;
}

/** Writes and places every number, smaller and smaller until it fits. */
function layout(texts: string[], frame: Frame, sizeOf: () => number, random: Rng): Written[] {
  const placed: Written[] = [];
  for (const text of texts) {
    if (!/^\d+$/.test(text)) throw new Error(`not a number: "${text}"`);
    for (let size = sizeOf(), tries = 0; ; size *= 0.88, tries++) {
      const number = writeNumber(text, size, random);
      if (place(number, placed, frame, random)) {
        placed.push(number);
        break;
      }
      if (tries === 15) throw new Error(`no room for "${text}" in the image`);
    }
  }
  return placed;
}

/** 2–4 numbers of 1–6 digits, no leading zeros. */
function randomNumbers(random: Rng): string[] {
  return Array.from({ length: 2 + Math.floor(random() * 3) }, () => {
    const length = 1 + Math.floor(random() * 6);
    let text = String(length === 1 ? Math.floor(random() * 10) : 1 + Math.floor(random() * 9));
    while (text.length < length) text += Math.floor(random() * 10);
    return text;
  });
}

/** Smooth random values in [-1, 1] on a grid of `cell` px, interpolated (value noise). */
function valueNoise(width: number, height: number, cell: number, random: Rng): Float32Array {
  const gw = Math.ceil(width / cell) + 2;
  const grid = Float32Array.from(
    { length: gw * (Math.ceil(height / cell) + 2) },
    () => random() * 2 - 1,
  );
  const out = new Float32Array(width * height);
  const ease = (t: number) => t * t * (3 - 2 * t);
  for (let y = 0; y < height; y++) {
    const row = Math.floor(y / cell);
    const fy = ease(y / cell - row);
    for (let x = 0; x < width; x++) {
      const col = Math.floor(x / cell);
      const fx = ease(x / cell - col);
      const at = row * gw + col;
      const upper = grid[at] + (grid[at + 1] - grid[at]) * fx;
      const lower = grid[at + gw] + (grid[at + gw + 1] - grid[at + gw]) * fx;
      out[y * width + x] = upper + (lower - upper) * fy;
    }
  }
  return out;
}

/** Off-white paper with a slight tint, blotches and fibres. */
function paper(width: number, height: number, scale: number, random: Rng): Planes {
  const white = between(random, 0.86, 0.97);
  const tint: Rgb = [white, white - between(random, 0, 0.03), white - between(random, -0.01, 0.07)];
  const blotches = valueNoise(width, height, 40 * scale, random);
  const fibres = valueNoise(width, height, 2.5 * scale, random);
  const channels = tint.map((base) => {
    const plane = new Float32Array(width * height);
    for (let i = 0; i < plane.length; i++)
      plane[i] = base * (1 + 0.025 * blotches[i] + 0.015 * fibres[i]);
    return plane;
  }) as Planes['channels'];
  return { width, height, channels };
}

/** Paints colour `rgb` over the paper with coverage `alpha` at pixel `i`. */
function paint(planes: Planes, i: number, rgb: Rgb, alpha: number): void {
  for (let c = 0; c < 3; c++) planes.channels[c][i] += (rgb[c] - planes.channels[c][i]) * alpha;
}

/** Ruled paper: faint blue lines every 1.3–1.8 digit heights, sometimes a red margin line. */
function rule(planes: Planes, size: number, scale: number, random: Rng) {
  const { width, height } = planes;
  const spacing = size * between(random, 1.3, 1.8);
  const thickness = Math.max(1, between(random, 0.8, 1.6) * scale);
  const strength = between(random, 0.35, 0.6);
  const rows: number[] = [];
  for (let y = spacing * between(random, 0.8, 1.6); y < height - 2; y += spacing)
    rows.push(Math.round(y));
  const cover = (d: number) => Math.min(1, thickness / 2 + 0.5 - Math.abs(d)) * strength;
  for (const at of rows) {
    for (let y = Math.floor(at - thickness); y <= at + thickness; y++) {
      const a = cover(y - at);
      if (a > 0) for (let x = 0; x < width; x++) paint(planes, y * width + x, [0.5, 0.66, 0.88], a);
    }
  }
  const margin = random() < 0.6 ? Math.round(width * between(random, 0.08, 0.14)) : undefined;
  if (margin !== undefined) {
    for (let x = Math.floor(margin - thickness); x <= margin + thickness; x++) {
      const a = cover(x - margin);
      if (a > 0)
        for (let y = 0; y < height; y++) paint(planes, y * width + x, [0.88, 0.35, 0.4], a);
    }
  }
  return { rows, left: margin === undefined ? 0 : margin + Math.round(size * 0.4) };
}

/** Inks every placed number onto the paper, returning the ink boxes where they landed. */
function ink(planes: Planes, written: Written[], random: Rng): TruthNumber[] {
  return written.map((number) => {
    const colour = INKS[Math.floor(random() * INKS.length)];
    const opacity = between(random, 0.82, 1);
    const digits = number.parts.map(({ digit, patch, dx, dy }) => {
      const ox = number.x + dx;
      const oy = number.y + dy;
      for (let y = 0; y < patch.height; y++) {
        for (let x = 0; x < patch.width; x++) {
          const a = patch.alpha[y * patch.width + x];
          const inside =
            ox + x >= 0 && ox + x < planes.width && oy + y >= 0 && oy + y < planes.height;
          if (a > 0 && inside) paint(planes, (oy + y) * planes.width + ox + x, colour, a * opacity);
        }
      }
      return { digit, box: { ...patch.box, x: ox + patch.box.x, y: oy + patch.box.y } };
    });
    return { text: number.text, box: placedBox(number), digits };
  });
}

/** Light on the page: a gradient, a vignette, and for `shadow` a soft shadow across a digit. */
function light(
  planes: Planes,
  condition: Condition,
  truth: TruthNumber[],
  scale: number,
  random: Rng,
) {
  const { width, height, channels } = planes;
  const diagonal = Math.hypot(width, height);
  const shadowed = condition === 'shadow';
  const angle = between(random, 0, 2 * Math.PI);
  const [gx, gy] = [Math.cos(angle), Math.sin(angle)].map((v) => (2 * v) / diagonal);
  const gradient = shadowed ? between(random, 0.3, 0.5) : between(random, 0.05, 0.12);
  const colour: Rgb = [1 + between(random, 0, 0.04), 1, 1 - between(random, 0, 0.05)];
  // The shadow's edge runs through the centre of one digit, slightly curved, soft.
  const digits = truth.flatMap((n) => n.digits);
  const page = { x: 0, y: 0, width, height };
  const { box } = digits[Math.floor(random() * digits.length)] ?? { box: page };
  const [px, py] = [box.x + box.width / 2, box.y + box.height / 2];
  const turn = between(random, 0, 2 * Math.PI);
  const [nx, ny] = [Math.cos(turn), Math.sin(turn)];
  const bend = between(random, -1.5, 1.5) / diagonal;
  const soft = between(random, 6, 24) * scale;
  const depth = shadowed ? between(random, 0.4, 0.6) : 0;
  const tone: Rgb = [depth, depth * 0.97, depth * 0.9];
  const vignette = 0.12 / (diagonal * diagonal);
  const [red, green, blue] = channels;
  for (let y = 0, i = 0; y < height; y++) {
    const cy = y - height / 2;
    for (let x = 0; x < width; x++, i++) {
      const cx = x - width / 2;
      const level =
        (1 - gradient * (0.5 + 0.5 * (cx * gx + cy * gy))) * (1 - vignette * (cx * cx + cy * cy));
      const along = (x - px) * -ny + (y - py) * nx;
      const across = (x - px) * nx + (y - py) * ny + bend * along * along;
      const side = depth ? 1 / (1 + Math.exp(-across / soft)) : 0;
      red[i] *= level * colour[0] * (1 - tone[0] * side);
      green[i] *= level * colour[1] * (1 - tone[1] * side);
      blue[i] *= level * colour[2] * (1 - tone[2] * side);
    }
  }
}

/** Horizontal 1-D convolution of `src` into `dst`, edges repeated. */
function convolveRows(src: Float32Array, dst: Float32Array, width: number, kernel: Float32Array) {
  const radius = (kernel.length - 1) / 2;
  const taps = kernel.length;
  for (let row = 0; row < src.length; row += width) {
    for (let x = 0; x < width; x++) {
      let sum = 0;
      if (x >= radius && x < width - radius) {
        for (let k = 0, at = row + x - radius; k < taps; k++) sum += kernel[k] * src[at + k];
      } else {
        for (let k = 0; k < taps; k++) {
          sum += kernel[k] * src[row + Math.min(width - 1, Math.max(0, x - radius + k))];
        }
      }
      dst[row + x] = sum;
    }
  }
}

/** Vertical 1-D convolution of `src` into `dst`, a whole row at a time (cache-friendly). */
function convolveColumns(
  src: Float32Array,
  dst: Float32Array,
  width: number,
  kernel: Float32Array,
) {
  const radius = (kernel.length - 1) / 2;
  const height = src.length / width;
  dst.fill(0);
  for (let y = 0; y < height; y++) {
    for (let k = 0; k < kernel.length; k++) {
      const from = Math.min(height - 1, Math.max(0, y - radius + k)) * width;
      const weight = kernel[k];
      for (let x = 0, to = y * width; x < width; x++) dst[to + x] += weight * src[from + x];
    }
  }
}

/** Gaussian blur of every channel in place (separable, edges repeated). */
function blur(planes: Planes, sigma: number): void {
  const radius = Math.max(1, Math.ceil(2.5 * sigma - 0.5));
  const weights = Array.from({ length: 2 * radius + 1 }, (_, k) =>
    Math.exp(-((k - radius) ** 2) / (2 * sigma * sigma)),
  );
  const sum = weights.reduce((s, v) => s + v, 0);
  const kernel = Float32Array.from(weights, (v) => v / sum);
  const buffer = new Float32Array(planes.width * planes.height);
  for (const plane of planes.channels) {
    convolveRows(plane, buffer, planes.width, kernel);
    convolveColumns(buffer, plane, planes.width, kernel);
  }
}

/** The phone camera: focus blur, exposure (dim: darker, flatter), sensor noise, 8-bit RGBA. */
function camera(
  planes: Planes,
  condition: Condition,
  scale: number,
  random: Rng,
): Uint8ClampedArray {
  const dim = condition === 'dim';
  blur(planes, condition === 'blurred' ? between(random, 1, 2.5) * scale : 0.6 * Math.sqrt(scale));
  const exposure = dim ? between(random, 0.3, 0.5) : between(random, 0.96, 1.04);
  const contrast = dim ? between(random, 0.7, 0.85) : 1;
  const lift = dim ? (1 - contrast) * exposure * 0.6 : 0;
  const noise = dim ? between(random, 0.025, 0.04) : between(random, 0.006, 0.014);
  const { width, height, channels } = planes;
  const rgba = new Uint8ClampedArray(width * height * 4);
  const [red, green, blue] = channels;
  const gain = exposure * contrast * 255;
  const [offset, grain, tint] = [lift * 255, noise * 255, 0.4 * noise * 255];
  for (let i = 0, o = 0; i < width * height; i++, o += 4) {
    const bits = (random() * 2 ** 32) >>> 0;
    const luma = offset + grain * NOISE[bits & 255];
    rgba[o] = red[i] * gain + luma + tint * NOISE[(bits >>> 8) & 255];
    rgba[o + 1] = green[i] * gain + luma + tint * NOISE[(bits >>> 16) & 255];
    rgba[o + 2] = blue[i] * gain + luma + tint * NOISE[bits >>> 24];
    rgba[o + 3] = 255;
  }
  return rgba;
}

/** Renders one photo of numbers written on paper, with its ground truth. */
export function renderScene(options: SceneOptions): PaperScene {
  const { seed, condition, width = 640, height = 480 } = options;
  const random = seededRandom(seed);
  const scale = Math.min(width / 640, height / 480);
  const [lo, hi] = options.digitHeight ?? [0.07 * height, 0.14 * height];
  const texts = options.numbers ?? randomNumbers(random);
  const planes = paper(width, height, scale, random);
  const size = between(random, lo, hi);
  const lines = condition === 'lined' ? rule(planes, size, scale, random) : undefined;
  const margin = Math.round(0.05 * Math.min(width, height));
  const frame: Frame = {
    left: Math.max(margin, lines?.left ?? 0),
    top: margin,
    right: width - margin,
    bottom: height - margin,
    baselines: lines?.rows,
    rowGap: lines ? 0 : 0.3,
  };
  const sizeOf = () => (lines ? size * between(random, 0.85, 1) : between(random, lo, hi));
  const numbers = ink(planes, layout(texts, frame, sizeOf, random), random);
  light(planes, condition, numbers, scale, random);
  const rgba = camera(planes, condition, scale, random);
  return { width, height, rgba, condition, numbers, seed, ...(lines && { rules: lines.rows }) };
}

/** The evaluation set: `count` scenes, conditions in turn, from one seed. */
export function* evaluationScenes(
  count: number,
  seed: number,
  size?: { width: number; height: number },
): Generator<PaperScene> {
  const seeds = seededRandom(seed);
  for (let i = 0; i < count; i++) {
    const sceneSeed = Math.floor(seeds() * 2 ** 32);
    yield renderScene({ seed: sceneSeed, condition: CONDITIONS[i % CONDITIONS.length], ...size });
  }
}
