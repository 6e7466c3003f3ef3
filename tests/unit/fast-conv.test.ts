import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fastConvCalls, registerFastConv2d } from '../../scripts/fast-conv.ts';
import { fastGradientCalls, registerFastConv2dGradient } from '../../scripts/fast-conv-grad.ts';

type Pad =
  'same' | 'valid' | [[number, number], [number, number], [number, number], [number, number]];
type Shape4 = [number, number, number, number];
/** The digit CNN's three convs, odd sizes, and an explicit uneven padding with a non-square filter. */
const CASES: [Shape4, Shape4, Pad][] = [
  [[3, 28, 28, 1], [3, 3, 1, 16], 'same'],
  [[2, 14, 14, 16], [3, 3, 16, 32], 'same'],
  [[2, 7, 7, 32], [3, 3, 32, 48], 'valid'],
  [[2, 9, 9, 5], [3, 3, 5, 7], 'same'],
  [
    [1, 6, 7, 3],
    [2, 3, 3, 6],
    [
      [0, 0],
      [1, 0],
      [0, 2],
      [0, 0],
    ],
  ],
];

/** Conv, fused conv (bias + ReLU), and the gradients of a loss through the conv, as plain numbers. */
function outputs(x: tf.Tensor4D, f: tf.Tensor4D, b: tf.Tensor1D, pad: Pad): Float32Array[] {
  const conv = tf.conv2d(x, f, 1, pad);
  const fused = tf.fused.conv2d({ x, filter: f, strides: 1, pad, bias: b, activation: 'relu' });
  const [dx, df] = tf.grads((x: tf.Tensor, f: tf.Tensor) =>
    tf
      .conv2d(x as tf.Tensor4D, f as tf.Tensor4D, 1, pad)
      .square()
      .sum(),
  )([x, f]);
  return [conv, fused, dx, df].map((t) => t.dataSync() as Float32Array);
}

describe('fast conv kernels for training', () => {
  const inputs = CASES.map(([xs, fs, pad], i) => ({
    x: tf.randomNormal(xs, 0, 1, 'float32', 10 + i) as tf.Tensor4D,
    f: tf.randomNormal(fs, 0, 1, 'float32', 20 + i) as tf.Tensor4D,
    b: tf.randomNormal([fs[3]], 0, 1, 'float32', 30 + i) as tf.Tensor1D,
    pad,
  }));
  let stock: Float32Array[][];

  beforeAll(async () => {
    await tf.setBackend('cpu');
    stock = inputs.map(({ x, f, b, pad }) => outputs(x, f, b, pad));
    registerFastConv2d();
    registerFastConv2dGradient();
  });

  it("compute what tfjs' own kernels compute (conv, fused conv, input and filter gradients)", () => {
    inputs.forEach(({ x, f, b, pad }, i) => {
      const before = { ...fastConvCalls, ...fastGradientCalls };
      const fast = outputs(x, f, b, pad);
      // The fast kernels computed these, not tfjs' own ones they fall back to (the filter gradient's fast
      // path takes 'same' and 'valid' padding only, all the model uses).
      const after = { ...fastConvCalls, ...fastGradientCalls };
      for (const k of Object.keys(after) as (keyof typeof after)[]) {
        const onFastPath = k !== 'backpropFilter' || !Array.isArray(pad);
        expect(after[k] > before[k], `case ${i}: ${k} on the fast path`).toBe(onFastPath);
      }
      fast.forEach((values, k) => {
        expect(values.length).toBe(stock[i][k].length);
        let worst = 0;
        values.forEach((v, j) => {
          worst = Math.max(worst, Math.abs(v - stock[i][k][j]) / (1 + Math.abs(stock[i][k][j])));
        });
        expect(worst, `case ${i}, output ${k}`).toBeLessThan(1e-3);
      });
    });
  });
});
