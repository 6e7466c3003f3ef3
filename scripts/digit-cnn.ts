/** The digit CNN: three small conv layers, two 2×2 poolings and a dense head, about 96k parameters. */
import * as tf from '@tensorflow/tfjs';

/** Builds the untrained model with seeded initialisers. */
export function buildDigitCnn(seed: number): tf.Sequential {
  const init = (offset: number) => tf.initializers.heNormal({ seed: seed + offset });
  const conv = (filters: number, padding: 'same' | 'valid', i: number) =>
    tf.layers.conv2d({
      filters,
      kernelSize: 3,
      padding,
      activation: 'relu',
      kernelInitializer: init(i),
      name: `conv${i}`,
    });
  const model = tf.sequential({ name: 'digit_cnn' });
  model.add(tf.layers.inputLayer({ inputShape: [28, 28, 1], name: 'pixels' }));
  model.add(conv(16, 'same', 1)); // 28×28×16
  model.add(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool1' })); // 14×14×16
  model.add(conv(32, 'same', 2)); // 14×14×32
  model.add(tf.layers.maxPooling2d({ poolSize: 2, name: 'pool2' })); // 7×7×32
  model.add(conv(48, 'valid', 3)); // 5×5×48
  model.add(tf.layers.flatten({ name: 'flatten' }));
  model.add(tf.layers.dropout({ rate: 0.35, seed: seed + 10, name: 'dropout1' }));
  model.add(
    tf.layers.dense({ units: 64, activation: 'relu', kernelInitializer: init(4), name: 'dense1' }),
  );
  model.add(tf.layers.dropout({ rate: 0.2, seed: seed + 11, name: 'dropout2' }));
  model.add(
    tf.layers.dense({
      units: 10,
      activation: 'softmax',
      kernelInitializer: tf.initializers.glorotUniform({ seed: seed + 5 }),
      name: 'probs',
    }),
  );
  return model;
}
