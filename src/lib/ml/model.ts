/** Loading the digit model and running one prediction; tfjs only, no DOM. */
import * as tf from './tf.ts';
import { INPUT_SIDE } from './preprocess.ts';

/** Number of classes the model tells apart (digits 0–9). */
export const NUM_CLASSES = 10;

/** Probabilities (10 numbers summing to 1) for one 28×28 input; allocates nothing it does not free. */
export async function predictDigit(model: tf.LayersModel, input: Float32Array): Promise<Float32Array> {
  const probs = tf.tidy(() => model.predict(tf.tensor4d(input, [1, INPUT_SIDE, INPUT_SIDE, 1])) as tf.Tensor);
  try {
    return (await probs.data()) as Float32Array;
  } finally {
    probs.dispose();
  }
}

/** One ranked class. */
export interface Ranked {
  digit: number;
  probability: number;
}

/** The classes sorted by probability, highest first. */
export function rank(probs: ArrayLike<number>): Ranked[] {
  return Array.from(probs, (probability, digit) => ({ digit, probability })).sort(
    (a, b) => b.probability - a.probability,
  );
}
