/**
 * Finds the handwritten digits in a picture and makes each one a model input, like the drawing pad's:
 * grey → darkness relative to the local paper (shadows, gradients) → ink with hysteresis → ruled lines
 * removed → connected components → parts merged into digit-like boxes → 28×28 inputs, in reading order.
 * Runs every camera frame: the per-pixel buffers are kept between calls of the same size.
 */
import { INPUT_SIDE } from '../ml/preprocess.ts';
import { relativeDarkness } from './background.ts';
import { ComponentTable, labelComponents } from './components.ts';
import { digitInput } from './digit-input.ts';
import type { InkMaps } from './ink-crop.ts';
import { digitCandidates } from './groups.ts';
import {
  isLumaPlane,
  smoothGrey,
  smoothLuma,
  type Box,
  type LumaPlane,
  type RgbaImage,
} from './image.ts';
import { removeRuledLines } from './lines.ts';
import { readingRows } from './rows.ts';
import { chooseThresholds } from './threshold.ts';
import { splitTouching } from './touching.ts';

/** The digits found in a picture. */
export interface Segmentation {
  /** In the picture's pixel coordinates, in reading order (rows top to bottom, left to right). */
  boxes: Box[];
  /** boxes.length × 784 model inputs (28×28, 1 = ink), in the same order. */
  inputs: Float32Array;
}

let grey = new Uint8Array(0);
let rel = new Float32Array(0);
let mask = new Uint8Array(0);
const table = new ComponentTable();

function ensure(n: number): void {
  if (grey.length >= n) return;
  grey = new Uint8Array(n);
  rel = new Float32Array(n);
  mask = new Uint8Array(n);
}

/** Every handwritten digit in `img` (RGBA, or a camera frame's luma plane), with its model input. */
export function findDigits(img: RgbaImage | LumaPlane): Segmentation {
  const { width: w, height: h } = img;
  const n = w * h;
  if (n === 0) return { boxes: [], inputs: new Float32Array(0) };
  ensure(n);
  if (isLumaPlane(img)) smoothLuma(img, grey);
  else smoothGrey(img, grey);
  relativeDarkness(grey, w, h, rel);
  const levels = chooseThresholds(rel, w, h);
  labelComponents(mask, w, h, table, rel, levels);
  if (removeRuledLines({ width: w, height: h, mask, rel }, table))
    labelComponents(mask, w, h, table);
  const found = splitTouching(digitCandidates(table, w, h), table, w);
  const order = readingRows(found.map((c) => c.box)).flat();
  const owner = new Int32Array(table.count + 1);
  const boxes: Box[] = [];
  const inputs = new Float32Array(order.length * INPUT_SIDE * INPUT_SIDE);
  const maps: InkMaps = {
    width: w,
    height: h,
    rel,
    mask,
    labels: table.labels,
    ids: table.id,
    owner,
    paper: levels.paper,
  };
  order.forEach((k, i) => {
    const { box, parts } = found[k];
    for (const c of parts) owner[c] = i + 1;
    boxes.push(box);
    digitInput(maps, box, i + 1, inputs.subarray(i * INPUT_SIDE ** 2, (i + 1) * INPUT_SIDE ** 2));
  });
  return { boxes, inputs };
}
