/**
 * Trains the digit CNN on MNIST's training digits less the held-out ones (pure tfjs, CPU) and writes
 * model/model.json, the weight shard and model/metrics.json (held-out and MNIST test-set scores).
 * Usage: npm run train [-- --epochs N --seed S] [--no-styles] [--from DIR --lr 0.0005] [--out DIR]
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { loadHeldOut, loadMnistTest, loadTraining, PIXELS } from './mnist-data.ts';
import { warp } from './augment.ts';
import { stylise } from './digit-styles.ts';
import { seededRandom, shuffledIndices } from './random.ts';
import { registerFastConv2d } from './fast-conv.ts';
import { registerFastConv2dGradient } from './fast-conv-grad.ts';
import { registerFastMaxPoolGradient } from './fast-maxpool-grad.ts';
import { buildDigitCnn } from './digit-cnn.ts';
import { evaluate } from './evaluate.ts';
import { saveModel } from './save-model.ts';

const { values } = parseArgs({
  options: {
    epochs: { type: 'string', default: '6' },
    seed: { type: 'string', default: '11' },
    out: { type: 'string', default: 'model' },
    limit: { type: 'string' },
    lr: { type: 'string', default: '0.003' },
    /** Fine-tune the model in this directory instead of starting from random weights. */
    from: { type: 'string' },
    /** Add flagged and based 1s and crossed 7s (digit-styles.ts); --no-styles turns it off. */
    styles: { type: 'boolean', default: true },
  },
  allowNegative: true,
});
const EPOCHS = Number(values.epochs);
const SEED = Number(values.seed);
const BATCH = 64;
/** Digits augmented and fitted at a time; the learning rate steps once per chunk. */
const CHUNK = 8000;
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
  registerFastConv2d();
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
  const chunkImages = new Float32Array(CHUNK * PIXELS);
  const chunksPerEpoch = Math.ceil(n / CHUNK);
  const steps = EPOCHS * chunksPerEpoch;
  for (let epoch = 0; epoch < EPOCHS; epoch++) {
    const t0 = performance.now();
    const order = shuffledIndices(train.count, random).subarray(0, n);
    let loss = 0;
    let acc = 0;
    let lr = LR_START;
    for (let chunk = 0; chunk < chunksPerEpoch; chunk++) {
      // Cosine decay from LR_START to LR_END over every chunk of every epoch.
      const step = epoch * chunksPerEpoch + chunk;
      lr = LR_END + 0.5 * (LR_START - LR_END) * (1 + Math.cos((Math.PI * step) / steps));
      (optimizer as unknown as { learningRate: number }).learningRate = lr;
      const part = order.subarray(chunk * CHUNK, Math.min(n, (chunk + 1) * CHUNK));
      const labels = new Int32Array(part.length);
      part.forEach((src, i) => {
        // Some 1s get a flag or a base serif and some 7s a cross bar (unless --no-styles); every digit a warp.
        const label = train.labels[src];
        const styled =
          values.styles &&
          stylise(train.images.subarray(src * PIXELS, (src + 1) * PIXELS), label, random);
        if (styled) warp(styled, 0, chunkImages, i, random);
        else warp(train.images, src, chunkImages, i, random);
        labels[i] = label;
      });
      const xs = tf.tensor4d(chunkImages.subarray(0, part.length * PIXELS), [
        part.length,
        28,
        28,
        1,
      ]);
      const ys = tf.tidy(() => tf.oneHot(tf.tensor1d(labels, 'int32'), 10));
      const history = await model.fit(xs, ys, {
        epochs: 1,
        batchSize: BATCH,
        shuffle: false,
        verbose: 0,
      });
      tf.dispose([xs, ys]);
      loss += (Number(history.history.loss[0]) * part.length) / n;
      acc += (Number(history.history.acc[0]) * part.length) / n;
    }
    console.log(
      `epoch ${epoch + 1}/${EPOCHS} lr→${lr.toFixed(5)} loss=${loss.toFixed(4)} acc=${acc.toFixed(4)} ` +
        `${((performance.now() - t0) / 1000).toFixed(0)}s (monitor only) held-out=` +
        `${(evaluate(model, heldOut).accuracy * 100).toFixed(2)}%`,
    );
  }
  const trainingSeconds = (performance.now() - started) / 1000;
  const result = evaluate(model, heldOut);
  const mnistTest = evaluate(model, loadMnistTest());
  console.log(
    `held-out accuracy: ${(result.accuracy * 100).toFixed(2)} %, MNIST test set: ` +
      `${(mnistTest.accuracy * 100).toFixed(2)} %, training time ${trainingSeconds.toFixed(0)} s`,
  );
  await saveModel(model, values.out!, {
    ...result,
    mnistTest: { accuracy: mnistTest.accuracy, perClassAccuracy: mnistTest.perClassAccuracy },
    styles: values.styles,
    learningRate: LR_START,
    from: values.from ?? null,
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
