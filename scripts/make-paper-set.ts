/**
 * Writes the paper set (#13), held-out MNIST digits written on paper, into reports/paper-set/:
 * 300 photos (60 per condition, 640×480, JPEG at quality 55–90, every fourth of a condition PNG)
 * with truth.json; camera.y4m (+ camera.json), the fake camera for the browser tests;
 * photo-12mp.jpg (+ photo-12mp.json) for the speed bench.
 * `npm run make-paper-set [-- --out DIR --count N --seed S]`.
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import { encodeJpeg, encodePng, y4mVideo } from './image-codecs.ts';
import {
  CONDITIONS,
  evaluationScenes,
  renderScene,
  type Condition,
  type PaperScene,
  type TruthNumber,
} from './paper-digits.ts';
import { seededRandom } from './random.ts';

/** The evaluation set's fixed seed: every reported figure is for this set. */
export const PAPER_SET_SEED = 13;
/** Photos in the evaluation set (60 per condition). */
export const PAPER_SET_COUNT = 300;
/** Where the set goes by default (git-ignored). */
export const PAPER_SET_DIR = 'reports/paper-set';
/** What the fake camera films: 7 digits in two numbers. */
export const CAMERA_NUMBERS: readonly string[] = ['2026', '417'];
/** Frames in camera.y4m: 2 s at 30 fps, then Chromium loops it. */
export const CAMERA_FRAMES = 60;

/** One line of truth.json. */
export interface TruthEntry {
  file: string;
  condition: Condition;
  numbers: TruthNumber[];
  /** JPEG quality; absent for PNG files. */
  quality?: number;
}

/** What the fake camera films (defaults: seed 2026, a clean 640×480 page). */
export interface CameraOptions {
  seed?: number;
  condition?: Condition;
  width?: number;
  height?: number;
}

/** Writes the evaluation set and its truth.json into `dir`; returns the truth. */
export function writePaperSet(
  dir: string,
  { count = PAPER_SET_COUNT, seed = PAPER_SET_SEED }: { count?: number; seed?: number } = {},
): TruthEntry[] {
  mkdirSync(dir, { recursive: true });
  const qualities = seededRandom(seed ^ 0x5eed);
  const truth: TruthEntry[] = [];
  for (const scene of evaluationScenes(count, seed)) {
    const index = truth.length;
    const quality = Math.round(55 + 35 * qualities());
    const png = Math.floor(index / CONDITIONS.length) % 4 === 3;
    const file = `${String(index).padStart(4, '0')}-${scene.condition}.${png ? 'png' : 'jpg'}`;
    writeFileSync(join(dir, file), png ? encodePng(scene) : encodeJpeg(scene, quality));
    truth.push({
      file,
      condition: scene.condition,
      numbers: scene.numbers,
      ...(!png && { quality }),
    });
  }
  writeFileSync(
    join(dir, 'truth.json'),
    `[\n${truth.map((t) => JSON.stringify(t)).join(',\n')}\n]\n`,
  );
  return truth;
}

/** The scene moved by dx, dy pixels (edges repeated), truth boxes moved with it. */
function shifted(scene: PaperScene, dx: number, dy: number): PaperScene {
  const { width, height, rgba } = scene;
  const out = new Uint8ClampedArray(rgba.length);
  const pixels = new Uint32Array(rgba.buffer, rgba.byteOffset, width * height);
  const moved = new Uint32Array(out.buffer);
  for (let y = 0; y < height; y++) {
    const from = Math.min(height - 1, Math.max(0, y - dy)) * width;
    for (let x = 0; x < width; x++)
      moved[y * width + x] = pixels[from + Math.min(width - 1, Math.max(0, x - dx))];
  }
  const move = <T extends { box: { x: number; y: number } }>(item: T): T => ({
    ...item,
    box: { ...item.box, x: item.box.x + dx, y: item.box.y + dy },
  });
  const numbers = scene.numbers.map((n) => ({ ...move(n), digits: n.digits.map(move) }));
  return { ...scene, rgba: out, numbers };
}

/** `frames` frames of one page of `numbers`, each moved ±1 px from the first, unlike the last. */
export function cameraFrames(
  numbers: readonly string[] = CAMERA_NUMBERS,
  frames = CAMERA_FRAMES,
  { seed = 2026, condition = 'clean', width = 640, height = 480 }: CameraOptions = {},
): PaperScene[] {
  const scene = renderScene({ seed, condition, width, height, numbers: [...numbers] });
  const random = seededRandom(seed + 1);
  const out = [scene];
  let [dx, dy] = [0, 0];
  while (out.length < frames) {
    const [nx, ny] = [Math.floor(random() * 3) - 1, Math.floor(random() * 3) - 1];
    if (nx === dx && ny === dy) continue;
    [dx, dy] = [nx, ny];
    out.push(shifted(scene, dx, dy));
  }
  return out;
}

/** Writes a Y4M video of `numbers` for Chromium's fake camera; returns the first frame's truth. */
export function writeCameraVideo(
  path: string,
  numbers: readonly string[] = CAMERA_NUMBERS,
  frames = CAMERA_FRAMES,
  options: CameraOptions = {},
): TruthNumber[] {
  const scenes = cameraFrames(numbers, frames, options);
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, y4mVideo(scenes));
  return scenes[0].numbers;
}

/** Writes a 4000×3000 JPEG of a few numbers for the speed bench; returns its truth. */
export function writeBigPhoto(path: string, seed = 12, numbers?: string[]): TruthNumber[] {
  const scene = renderScene({ seed, condition: 'clean', width: 4000, height: 3000, numbers });
  mkdirSync(dirname(path), { recursive: true });
  writeFileSync(path, encodeJpeg(scene, 85));
  return scene.numbers;
}

function timed<T>(label: string, work: () => T): T {
  const start = performance.now();
  const result = work();
  console.log(`${label}: ${((performance.now() - start) / 1000).toFixed(1)} s`);
  return result;
}

function main(): void {
  const { values } = parseArgs({
    options: { out: { type: 'string' }, count: { type: 'string' }, seed: { type: 'string' } },
  });
  const dir = values.out ?? PAPER_SET_DIR;
  const count = Number(values.count ?? PAPER_SET_COUNT);
  const seed = Number(values.seed ?? PAPER_SET_SEED);
  const truth = timed(`${count} photos`, () => writePaperSet(dir, { count, seed }));
  const camera = timed('camera.y4m', () => writeCameraVideo(join(dir, 'camera.y4m')));
  writeFileSync(
    join(dir, 'camera.json'),
    JSON.stringify({ frames: CAMERA_FRAMES, fps: 30, jitterPx: 1, numbers: camera }),
  );
  const photo = timed('photo-12mp.jpg', () => writeBigPhoto(join(dir, 'photo-12mp.jpg')));
  writeFileSync(join(dir, 'photo-12mp.json'), JSON.stringify({ numbers: photo }));
  const digits = truth.reduce((s, t) => s + t.numbers.reduce((d, n) => d + n.text.length, 0), 0);
  console.log(`${dir}: ${truth.length} photos, ${digits} digits, seed ${seed}`);
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) main();
