import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  TOLERANCE,
  compareWithReference,
  encodeReference,
  parseReference,
  type Reference,
} from '../../src/lib/ml/correctness.ts';
import { ModelSet } from '../../src/lib/ml/models.ts';

const file = readFileSync('model/check-digits.bin');
const reference = parseReference(
  file.buffer.slice(file.byteOffset, file.byteOffset + file.byteLength),
);

describe('held-out check digits', () => {
  it('the shipped file holds 10 held-out digits per class with the CPU backend’s probabilities', () => {
    expect(reference.labels).toHaveLength(100);
    for (let d = 0; d < 10; d++) expect(reference.labels.filter((l) => l === d)).toHaveLength(10);
    expect(reference.inputs).toHaveLength(100 * 784);
    for (let i = 0; i < 100; i++) {
      const sum = reference.expected.subarray(i * 10, i * 10 + 10).reduce((a, b) => a + b, 0);
      expect(sum).toBeCloseTo(1, 4);
    }
  });

  it('the committed model on the CPU backend reproduces them: trusted, and right on nearly all', async () => {
    const json = JSON.parse(readFileSync('model/model.json', 'utf8'));
    const shard = readFileSync(`model/${json.weightsManifest[0].paths[0]}`);
    const models = new ModelSet({
      modelTopology: json.modelTopology,
      weightSpecs: json.weightsManifest[0].weights,
      weightData: shard.buffer.slice(shard.byteOffset, shard.byteOffset + shard.byteLength),
    });
    await models.prepare('cpu');
    const probs = await models.predictBatch('cpu', reference.inputs, 100);
    const c = compareWithReference(probs, reference);
    expect(c).toMatchObject({ digits: 100, agreement: 1, trusted: true });
    expect(c.maxDelta).toBeLessThan(1e-5);
    expect(c.accuracy).toBeGreaterThanOrEqual(0.97);
  });

  it('tells small float differences from wrong results', () => {
    const noisy = reference.expected.map((p, i) => p + (i % 2 ? 1e-3 : -1e-3));
    expect(compareWithReference(noisy, reference).trusted).toBe(true);
    const halfFloatish = reference.expected.map((p) => Math.round(p * 16) / 16); // ±0.03
    expect(compareWithReference(halfFloatish, reference)).toMatchObject({ trusted: false });
    expect(compareWithReference(halfFloatish, reference).maxDelta).toBeGreaterThan(
      TOLERANCE.maxDelta,
    );
    const shifted = new Float32Array(reference.expected.length);
    shifted.set(reference.expected.subarray(100)); // every digit gets the answer for the next class
    const c = compareWithReference(shifted, reference);
    expect(c.trusted).toBe(false);
    expect(c.agreement).toBeLessThan(0.2);
    const nan = reference.expected.slice();
    nan[5] = NaN;
    expect(compareWithReference(nan, reference)).toMatchObject({
      trusted: false,
      maxDelta: Infinity,
    });
  });

  it('round-trips a file, and refuses what is not one', () => {
    const small: Reference = {
      inputs: Float32Array.from([0, 1, 128 / 255, 1, 0, 0, 1, 1]),
      labels: Uint8Array.from([4, 2]),
      expected: Float32Array.from({ length: 20 }, (_, i) => i / 100),
    };
    const bytes = encodeReference(small, 2);
    const back = parseReference(bytes.buffer.slice(0) as ArrayBuffer);
    expect(back.labels).toEqual(small.labels);
    expect(back.inputs).toEqual(Float32Array.from(small.inputs, (v) => Math.round(v * 255) / 255));
    expect(back.expected).toEqual(small.expected);
    expect(() => parseReference(new ArrayBuffer(8))).toThrow(/not a check-digits file/);
    expect(() => parseReference(bytes.buffer.slice(0, bytes.length - 4) as ArrayBuffer)).toThrow(
      /expected/,
    );
  });
});
