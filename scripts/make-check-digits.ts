/**
 * Writes model/check-digits.bin: 10 held-out MNIST digits per class (never trained on) with the CPU backend's
 * probabilities for them, which every backend is checked against (src/lib/ml/correctness.ts). Run after
 * retraining: `npm run make-check-digits`.
 */
import * as tf from '@tensorflow/tfjs';
import { readFileSync, writeFileSync } from 'node:fs';
import { encodeReference, parseReference } from '../src/lib/ml/correctness.ts';
import { HELD_OUT_PER_CLASS, PIXELS, SIDE, loadHeldOut } from './mnist-data.ts';

const PER_CLASS = 10;
const OUT = 'model/check-digits.bin';

async function main(): Promise<void> {
  await tf.setBackend('cpu');
  const held = loadHeldOut();
  const count = PER_CLASS * 10;
  const inputs = new Float32Array(count * PIXELS);
  const labels = new Uint8Array(count);
  for (let digit = 0, row = 0; digit < 10; digit++) {
    for (let k = 0; k < PER_CLASS; k++, row++) {
      const at = (digit * HELD_OUT_PER_CLASS + k) * PIXELS;
      // Quantised to bytes, as stored: the backends and the reference see the same inputs.
      inputs.set(
        held.images.subarray(at, at + PIXELS).map((v) => Math.round(v * 255) / 255),
        row * PIXELS,
      );
      labels[row] = digit;
    }
  }
  const json = JSON.parse(readFileSync('model/model.json', 'utf8'));
  const shard = readFileSync(`model/${json.weightsManifest[0].paths[0]}`);
  const model = await tf.loadLayersModel(
    tf.io.fromMemory({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength),
    }),
  );
  const expected = tf.tidy(
    () =>
      (
        model.predict(tf.tensor4d(inputs, [count, SIDE, SIDE, 1])) as tf.Tensor
      ).dataSync() as Float32Array,
  );
  const file = encodeReference({ inputs, labels, expected }, SIDE);
  writeFileSync(OUT, file);
  const back = parseReference(
    file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength) as ArrayBuffer,
  );
  console.log(
    `${OUT}: ${count} digits, ${file.byteLength} bytes, round trip ${back.labels.length === count ? 'ok' : 'BROKEN'}`,
  );
}

main().catch((err) => {
  console.error(err);
  process.exit(1);
});
