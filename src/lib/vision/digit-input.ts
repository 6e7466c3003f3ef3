/**
 * One found digit as the model's 28×28 input, made like MNIST and the drawing pad: its ink (ink-crop.ts)
 * brought to a 40-px working size, strokes thickened to MNIST's relative width (a pen on paper draws far
 * thinner lines than MNIST's), an extreme slant reduced to MNIST's range, then cropped, scaled to 20 px and
 * centred by mass by the pad's own `toModelInput`.
 */
import { INPUT_SIDE, toModelInput } from '../ml/preprocess.ts';
import type { Box } from './image.ts';
import { cutInk, type InkMaps } from './ink-crop.ts';
import { dilate, fullInk, resample, room, shear, slant } from './plane.ts';

/** Longer side of the working image the strokes are normalised in (2 × the 20-px digit box). */
export const WORK_SIDE = 40;
/** Stroke width the digits are brought to, as a fraction of their longer side (MNIST's median ≈ 0.1). */
export const TARGET_STROKE = 0.1;
/** Slants (x per y, + leaning right) kept as they are; beyond, reduced to these (MNIST's middle range). */
export const SLANT_RANGE: readonly [number, number] = [-0.2, 0.3];

let work: Float32Array = new Float32Array(0);
let scratch: Float32Array = new Float32Array(0);

/** Writes the model input (784 floats) of candidate `id` (1-based, its parts marked in `m.owner`) to `out`. */
export function digitInput(m: InkMaps, box: Box, id: number, out: Float32Array): Float32Array {
  const ink = cutInk(m, box, id);
  const s = WORK_SIDE / Math.max(box.width, box.height);
  const target = TARGET_STROKE * WORK_SIDE;
  const radius = Math.max(0, Math.round((target - Math.max(1, ink.stroke * s)) / 2));
  const pad = radius + 2;
  const size = (Math.ceil(ink.width * s) + 2 * pad) * (Math.ceil(ink.height * s) + 2 * pad);
  work = room(work, size);
  scratch = room(scratch, size);
  let plane = resample(ink, s, pad, work);
  for (let r = 0; r < radius; r++) dilate(plane, r % 2 === 1, scratch);
  fullInk(plane);
  const { slant: lean, cy } = slant(plane);
  const [lo, hi] = SLANT_RANGE;
  if (lean < lo || lean > hi) {
    plane = shear(plane, lean - (lean < lo ? lo : hi), cy, scratch);
    scratch = plane.data;
  }
  const { data, width, height } = plane;
  const input = toModelInput({ data, width, height, max: 1 }, out);
  if (!input) out.fill(0, 0, INPUT_SIDE * INPUT_SIDE);
  return out;
}
