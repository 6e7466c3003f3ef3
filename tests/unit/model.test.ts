import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { beforeAll, describe, expect, it } from 'vitest';
import { rank } from '../../src/lib/ml/model.ts';
import { ModelSet } from '../../src/lib/ml/models.ts';
import { toModelInput } from '../../src/lib/ml/preprocess.ts';
import { evaluate } from '../../scripts/evaluate.ts';
import {
  byteKey,
  heldOutKeys,
  loadHeldOut,
  loadMnistTest,
  loadMnistTrain,
  loadTraining,
  PIXELS,
} from '../../scripts/mnist-data.ts';
import '@tensorflow/tfjs-backend-wasm';

const modelJson = JSON.parse(readFileSync('model/model.json', 'utf8'));
const shard = readFileSync(`model/${modelJson.weightsManifest[0].paths[0]}`);
const metrics = JSON.parse(readFileSync('model/metrics.json', 'utf8'));

/** The committed model, as the app holds it after reading it over HTTP; predictions go through the app's path. */
const artifacts = {
  modelTopology: modelJson.modelTopology,
  weightSpecs: modelJson.weightsManifest[0].weights,
  weightData: shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength),
};
const models = new ModelSet(artifacts);
const predict = (input: Float32Array) => models.predict('cpu', input);

let model: tf.LayersModel;
const heldOut = loadHeldOut();

beforeAll(async () => {
  await models.prepare('cpu');
  model = models.get('cpu')!;
});

describe('committed model', () => {
  it('has the weights its metadata and metrics.json name (SHA-256)', () => {
    const hash = createHash('sha256').update(shard).digest('hex');
    expect(modelJson.userDefinedMetadata.weightsSha256).toBe(hash);
    expect(metrics.weightsSha256).toBe(hash);
    expect(shard.byteLength).toBeLessThan(1_000_000);
  });

  it('scores at least 99.0 % on the 2,000 held-out MNIST digits', () => {
    expect(heldOut.count).toBe(2000);
    const result = evaluate(model, heldOut);
    console.log(`held-out accuracy ${(result.accuracy * 100).toFixed(2)} %`);
    expect(result.accuracy).toBeGreaterThanOrEqual(0.99);
    expect(result.accuracy).toBeCloseTo(metrics.accuracy, 3);
  });

  it("scores at least 99.0 % on MNIST's own 10,000-digit test set (on WASM, as most phones run it)", async () => {
    const test = loadMnistTest();
    expect(test.count).toBe(10_000);
    const cpu = tf.getBackend();
    await tf.setBackend('wasm');
    try {
      const wasmModels = new ModelSet(artifacts);
      await wasmModels.prepare('wasm');
      const result = evaluate(wasmModels.get('wasm')!, test);
      console.log(`MNIST test-set accuracy ${(result.accuracy * 100).toFixed(2)} %`);
      expect(result.accuracy).toBeGreaterThanOrEqual(0.99);
      expect(result.accuracy).toBeCloseTo(metrics.mnistTest.accuracy, 3);
    } finally {
      await tf.setBackend(cpu);
    }
  });

  it("was never trained on a held-out digit: each is in MNIST's training files once, and taken out", () => {
    const held = heldOutKeys();
    expect(held.size).toBe(2000);
    const all = loadMnistTrain();
    let inFiles = 0;
    for (let i = 0; i < all.count; i++) if (held.has(byteKey(all.images, i))) inFiles++;
    // Every held-out digit was found (none appears twice), so removing them leaves exactly the rest.
    expect(inFiles).toBe(2000);
    expect(loadTraining().count).toBe(all.count - 2000);
  });

  it("still recognizes held-out digits after the app's own preprocessing", async () => {
    let correct = 0;
    const n = 500;
    for (let i = 0; i < n; i++) {
      const k = (i * 4) % heldOut.count;
      const image = heldOut.images.subarray(k * PIXELS, (k + 1) * PIXELS);
      const input = toModelInput({ data: image, width: 28, height: 28, max: 1 })!;
      if (rank(await predict(input))[0].digit === heldOut.labels[k]) correct++;
    }
    expect(correct / n).toBeGreaterThanOrEqual(0.97);
  });

  it('predicts ten probabilities that sum to 1 and frees its tensors', async () => {
    const before = tf.memory().numTensors;
    const probs = await predict(heldOut.images.subarray(0, PIXELS));
    expect(probs).toHaveLength(10);
    expect(probs.reduce((a, b) => a + b, 0)).toBeCloseTo(1, 4);
    expect(probs.every((p) => p >= 0 && p <= 1)).toBe(true);
    expect(tf.memory().numTensors).toBe(before);
  });

  it('a batched prediction gives each input the probabilities it gets alone, and refuses a wrong size', async () => {
    const three = heldOut.images.subarray(0, 3 * PIXELS);
    const before = tf.memory().numTensors;
    const batch = await models.predictBatch('cpu', three, 3);
    expect(batch).toHaveLength(30);
    for (let i = 0; i < 3; i++) {
      const alone = await predict(three.subarray(i * PIXELS, (i + 1) * PIXELS));
      for (let d = 0; d < 10; d++) expect(batch[i * 10 + d]).toBeCloseTo(alone[d], 5);
    }
    expect(tf.memory().numTensors).toBe(before);
    await expect(models.predictBatch('cpu', three, 2)).rejects.toThrow(/expected 2 inputs/);
  });

  it('takes a batch and keeps the [N, 10] output shape', () => {
    const out = tf.tidy(() => (model.predict(tf.zeros([3, 28, 28, 1])) as tf.Tensor).shape);
    expect(out).toEqual([3, 10]);
  });
});
