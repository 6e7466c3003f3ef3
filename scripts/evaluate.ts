/** Held-out evaluation: accuracy, per-class accuracy and the confusion matrix. */
import * as tf from '@tensorflow/tfjs';
import type { DigitSet } from './mnist-data.ts';

/** What evaluate() reports; written to model/metrics.json. */
export interface Evaluation {
  accuracy: number;
  perClassAccuracy: number[];
  /** confusion[actual][predicted] */
  confusion: number[][];
}

/** Predicts every digit of `set` with `model` and scores the predictions. */
export function evaluate(model: tf.LayersModel, set: DigitSet): Evaluation {
  const predicted = tf.tidy(() => {
    const xs = tf.tensor4d(set.images, [set.count, 28, 28, 1]);
    return (model.predict(xs, { batchSize: 256 }) as tf.Tensor).argMax(-1).dataSync();
  });
  const confusion = Array.from({ length: 10 }, () => new Array<number>(10).fill(0));
  let correct = 0;
  for (let i = 0; i < set.count; i++) {
    confusion[set.labels[i]][predicted[i]]++;
    if (set.labels[i] === predicted[i]) correct++;
  }
  const perClassAccuracy = confusion.map(
    (row, digit) => row[digit] / row.reduce((a, b) => a + b, 0),
  );
  return { accuracy: correct / set.count, perClassAccuracy, confusion };
}
