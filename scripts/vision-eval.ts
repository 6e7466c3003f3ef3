/**
 * Evaluates reading numbers on paper (issue #13) on a generated set (`npm run make-paper-set` writes
 * reports/paper-set/): every image through findDigits → the real model (tfjs; wasm backend by default, as
 * phones mostly get, or cpu) → groupNumbers, reported per condition: digit accuracy, whole-number accuracy,
 * false detections, and the time taken (after a warm-up; the model call includes reading its output).
 *
 *   tsx scripts/vision-eval.ts [dir] [--model model] [--backend wasm|cpu] [--misses out-dir] [--luma]
 *
 * `--luma` reads each image as the camera path does: from a video frame's limited-range luma plane (the
 * image converted as a camera's I420 frame holds it) instead of RGBA.
 *
 * A true digit counts when the found box matched to it (IoU ≥ 0.5, or each box holds the other's centre)
 * got the right label; a true number counts when the number read that overlaps it most has exactly its
 * text; a found box matched to no true digit is a false detection.
 */
import * as tf from '@tensorflow/tfjs';
import '@tensorflow/tfjs-backend-wasm';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import { parseArgs } from 'node:util';
import {
  contains,
  iou,
  overlap,
  type Box,
  type LumaPlane,
  type RgbaImage,
} from '../src/lib/vision/image.ts';
import { groupNumbers, type ReadDigit, type ReadNumber } from '../src/lib/vision/numbers.ts';
import { findDigits } from '../src/lib/vision/segment.ts';
import { decodeImage, encodePng, yPlane } from './image-codecs.ts';
import { PAPER_SET_DIR, writePaperSet, type TruthEntry } from './make-paper-set.ts';

/** One image to evaluate, with what is written where. */
export interface EvalScene extends Pick<TruthEntry, 'condition' | 'numbers'> {
  image: RgbaImage | LumaPlane;
  name: string;
}
/** Results for one condition (or all). */
export interface ConditionReport {
  condition: string;
  images: number;
  digits: number;
  digitsRight: number;
  digitAccuracy: number;
  numbers: number;
  numbersRight: number;
  numberAccuracy: number;
  falseDetections: number;
  /** findDigits per image, ms. */
  findMs: { median: number; p95: number };
  /** findDigits + one batched predict per image, ms. */
  frameMs: { median: number; p95: number };
}
/** The evaluation's report: one row per condition, then all together. */
export interface VisionReport {
  conditions: ConditionReport[];
  overall: ConditionReport;
}
/** A wrongly read (or missed) true digit, for looking at. */
export interface Miss {
  scene: string;
  /** Where the true digit is. */
  box: Box;
  truth: number;
  read: number | null;
  input: Float32Array | null;
}

/** Backends the evaluation can time the model on: wasm is what most phones get, cpu the slow fallback. */
export type EvalBackend = 'wasm' | 'cpu';

/** Loads a model (model.json + weights) from `dir` on the `backend`. */
export async function loadModel(
  dir = 'model',
  backend: EvalBackend = 'wasm',
): Promise<tf.LayersModel> {
  if (!(await tf.setBackend(backend))) throw new Error(`the ${backend} backend did not start`);
  const json = JSON.parse(readFileSync(join(dir, 'model.json'), 'utf8'));
  const shard = readFileSync(join(dir, json.weightsManifest[0].paths[0]));
  return tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength),
    }),
  );
}

async function classify(model: tf.LayersModel, inputs: Float32Array, n: number) {
  if (n === 0) return new Float32Array(0);
  const out = tf.tidy(() => model.predict(tf.tensor4d(inputs, [n, 28, 28, 1])) as tf.Tensor);
  const probs = (await out.data()) as Float32Array;
  out.dispose();
  return probs;
}

function readDigits(boxes: Box[], probs: Float32Array): ReadDigit[] {
  return boxes.map((box, i) => {
    let digit = 0;
    for (let d = 1; d < 10; d++) if (probs[i * 10 + d] > probs[i * 10 + digit]) digit = d;
    return { box, digit, confidence: probs[i * 10 + digit] };
  });
}

const centreOf = (b: Box) => [b.x + b.width / 2, b.y + b.height / 2] as const;

/** Whether found box `f` is a match for true box `t`. */
function matches(f: Box, t: Box): boolean {
  return iou(f, t) >= 0.5 || (contains(t, ...centreOf(f)) && contains(f, ...centreOf(t)));
}

function area(a: Box, b: Box): number {
  const w = overlap(a.x, a.x + a.width, b.x, b.x + b.width);
  const h = overlap(a.y, a.y + a.height, b.y, b.y + b.height);
  return w > 0 && h > 0 ? w * h : 0;
}

/** Scores one image: right digits, right numbers, false detections; the misses for looking at. */
function score(scene: EvalScene, read: ReadDigit[], numbers: ReadNumber[], inputs: Float32Array) {
  const used = new Set<number>();
  const misses: Miss[] = [];
  let digitsRight = 0;
  for (const t of scene.numbers.flatMap((n) => n.digits)) {
    let best = -1;
    for (let i = 0; i < read.length; i++) {
      if (used.has(i) || !matches(read[i].box, t.box)) continue;
      if (best < 0 || iou(read[i].box, t.box) > iou(read[best].box, t.box)) best = i;
    }
    if (best >= 0) used.add(best);
    if (best >= 0 && read[best].digit === t.digit) digitsRight++;
    else {
      const input = best >= 0 ? inputs.slice(best * 784, (best + 1) * 784) : null;
      misses.push({
        scene: scene.name,
        box: t.box,
        truth: t.digit,
        read: best >= 0 ? read[best].digit : null,
        input,
      });
    }
  }
  let numbersRight = 0;
  for (const t of scene.numbers) {
    let best: ReadNumber | null = null;
    for (const n of numbers) if (area(n.box, t.box) > (best ? area(best.box, t.box) : 0)) best = n;
    if (best?.text === t.text) numbersRight++;
  }
  return { digitsRight, numbersRight, falseDetections: read.length - used.size, misses };
}

function percentile(values: number[], p: number): number {
  const sorted = values.slice().sort((a, b) => a - b);
  return sorted.length ? sorted[Math.min(sorted.length - 1, Math.floor(p * sorted.length))] : 0;
}

function emptyReport(condition: string): ConditionReport {
  const ms = { median: 0, p95: 0 };
  return {
    ...{ condition, images: 0, digits: 0, digitsRight: 0, digitAccuracy: 0, numbers: 0 },
    ...{ numbersRight: 0, numberAccuracy: 0, falseDetections: 0, findMs: ms, frameMs: ms },
  };
}

/** Runs every scene and reports by condition; `onMiss` sees every wrongly read true digit. */
export async function evaluateScenes(
  scenes: Iterable<EvalScene>,
  model: tf.LayersModel,
  onMiss?: (miss: Miss) => void,
): Promise<VisionReport> {
  const rows = new Map<string, { r: ConditionReport; find: number[]; frame: number[] }>();
  const row = (condition: string) => {
    if (!rows.has(condition))
      rows.set(condition, { r: emptyReport(condition), find: [], frame: [] });
    return rows.get(condition)!;
  };
  let warm = false;
  for (const scene of scenes) {
    if (!warm) {
      for (let i = 0; i < 10; i++) {
        const { boxes, inputs } = findDigits(scene.image);
        await classify(model, inputs, boxes.length);
      }
      warm = true;
    }
    const t0 = performance.now();
    const { boxes, inputs } = findDigits(scene.image);
    const t1 = performance.now();
    const read = readDigits(boxes, await classify(model, inputs, boxes.length));
    const t2 = performance.now();
    const s = score(scene, read, groupNumbers(read), inputs);
    for (const target of [row(scene.condition), row('all')]) {
      const { r } = target;
      r.images++;
      r.digits += scene.numbers.reduce((sum, n) => sum + n.digits.length, 0);
      r.digitsRight += s.digitsRight;
      r.numbers += scene.numbers.length;
      r.numbersRight += s.numbersRight;
      r.falseDetections += s.falseDetections;
      target.find.push(t1 - t0);
      target.frame.push(t2 - t0);
    }
    if (onMiss) s.misses.forEach(onMiss);
  }
  const done = [...rows.values()].map(({ r, find, frame }) => ({
    ...r,
    digitAccuracy: r.digitsRight / Math.max(1, r.digits),
    numberAccuracy: r.numbersRight / Math.max(1, r.numbers),
    findMs: { median: percentile(find, 0.5), p95: percentile(find, 0.95) },
    frameMs: { median: percentile(frame, 0.5), p95: percentile(frame, 0.95) },
  }));
  return {
    conditions: done.filter((r) => r.condition !== 'all'),
    overall: done.find((r) => r.condition === 'all')!,
  };
}

/** The images of a paper set (truth.json plus image files) with their truth, decoded one at a time. */
export function* readPaperSet(dir: string): Generator<EvalScene> {
  const truth: TruthEntry[] = JSON.parse(readFileSync(join(dir, 'truth.json'), 'utf8'));
  for (const entry of truth) {
    const image = decodeImage(readFileSync(join(dir, entry.file)));
    yield { ...entry, image, name: entry.file };
  }
}

/** `image` as a camera's video frame holds it: the fake camera's Y4M luma (BT.601, limited range). */
export function cameraLuma({ data, width, height }: RgbaImage): LumaPlane {
  const luma = yPlane({ rgba: data, width, height });
  return { data: luma, width, height, stride: width, fullRange: false };
}

function* asCameraLuma(scenes: Iterable<EvalScene>): Generator<EvalScene> {
  for (const scene of scenes) yield { ...scene, image: cameraLuma(scene.image as RgbaImage) };
}

/** Evaluates the paper set in `dir` with the model in `model` on `backend`. */
export async function evaluateVision(
  dir = PAPER_SET_DIR,
  { model = 'model', backend = 'wasm' }: { model?: string; backend?: EvalBackend } = {},
): Promise<VisionReport> {
  ensurePaperSet(dir);
  return evaluateScenes(readPaperSet(dir), await loadModel(model, backend));
}

/** Writes the evaluation set first when `dir` is the default one and it has not been written yet. */
function ensurePaperSet(dir: string): void {
  if (existsSync(join(dir, 'truth.json'))) return;
  if (resolve(dir) !== resolve(PAPER_SET_DIR))
    throw new Error(
      `${dir} holds no paper set (truth.json); write one with make-paper-set.ts --out ${dir}`,
    );
  console.log(`Writing the evaluation set to ${dir} first (npm run make-paper-set)…`);
  writePaperSet(dir);
}

/** The report as a text table. */
export function formatReport(report: VisionReport): string {
  const pct = (v: number) => `${(100 * v).toFixed(1)} %`.padStart(8);
  const ms = (v: { median: number; p95: number }) =>
    `${v.median.toFixed(1)} / ${v.p95.toFixed(1)}`.padStart(13);
  const head =
    'condition  images  digits  digit acc  numbers  number acc  false  find ms p50/p95  frame ms p50/p95';
  const lines = [...report.conditions, report.overall].map((r) =>
    [
      r.condition.padEnd(9),
      String(r.images).padStart(7),
      String(r.digits).padStart(7),
      pct(r.digitAccuracy).padStart(10),
      String(r.numbers).padStart(8),
      pct(r.numberAccuracy).padStart(11),
      String(r.falseDetections).padStart(6),
      ms(r.findMs).padStart(17),
      ms(r.frameMs).padStart(17),
    ].join(' '),
  );
  return [head, ...lines].join('\n');
}

/** Writes each miss's 28×28 input, 4× enlarged, as a PNG named after the scene, truth and reading. */
export function missWriter(dir: string): (miss: Miss) => void {
  mkdirSync(dir, { recursive: true });
  let n = 0;
  return (miss) => {
    if (!miss.input) return;
    const side = 28 * 4;
    const rgba = new Uint8ClampedArray(side * side * 4);
    for (let i = 0; i < side * side; i++) {
      const v =
        255 - Math.round(255 * miss.input[Math.floor(i / side / 4) * 28 + ((i % side) >> 2)]);
      rgba.set([v, v, v, 255], i * 4);
    }
    const name = `${String(n++).padStart(4, '0')}-${miss.scene.replace(/\W+/g, '_')}-t${miss.truth}-r${miss.read}.png`;
    writeFileSync(join(dir, name), encodePng({ rgba, width: side, height: side }));
  };
}

async function main(): Promise<void> {
  const { values, positionals } = parseArgs({
    allowPositionals: true,
    options: {
      model: { type: 'string', default: 'model' },
      backend: { type: 'string', default: 'wasm' },
      misses: { type: 'string' },
      luma: { type: 'boolean', default: false },
    },
  });
  const dir = positionals[0] ?? PAPER_SET_DIR;
  ensurePaperSet(dir);
  const model = await loadModel(values.model, values.backend as EvalBackend);
  const onMiss = values.misses ? missWriter(values.misses) : undefined;
  const scenes = values.luma ? asCameraLuma(readPaperSet(dir)) : readPaperSet(dir);
  const report = await evaluateScenes(scenes, model, onMiss);
  console.log(
    `${dir}${values.luma ? ' (as camera luma)' : ''}, model ${values.model}, tfjs ${tf.version.tfjs} on ${tf.getBackend()}, Node ${process.version}`,
  );
  console.log(formatReport(report));
}

if (process.argv[1] && import.meta.url === pathToFileURL(process.argv[1]).href) {
  main().catch((err) => {
    console.error(err);
    process.exit(1);
  });
}
