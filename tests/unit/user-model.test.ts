import { readFileSync } from 'node:fs';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import {
  MAX_FILES,
  ModelFileError,
  parseUserModel,
  type ModelFile,
} from '../../src/lib/bench/user-model.ts';

/** The committed model's files, as a user would pick them. */
function bundled(): { json: Record<string, unknown>; files: ModelFile[] } {
  const text = readFileSync('model/model.json', 'utf8');
  const json = JSON.parse(text);
  const shard = readFileSync('model/group1-shard1of1.bin');
  return {
    json,
    files: [
      { name: 'model.json', data: new TextEncoder().encode(text).buffer as ArrayBuffer },
      {
        name: 'group1-shard1of1.bin',
        data: shard.buffer.slice(
          shard.byteOffset,
          shard.byteOffset + shard.byteLength,
        ) as ArrayBuffer,
      },
    ],
  };
}

const jsonFile = (value: unknown, name = 'model.json'): ModelFile => ({
  name,
  data: new TextEncoder().encode(typeof value === 'string' ? value : JSON.stringify(value))
    .buffer as ArrayBuffer,
});

function expectError(files: ModelFile[], why: RegExp) {
  expect(() => parseUserModel(files)).toThrow(ModelFileError);
  expect(() => parseUserModel(files)).toThrow(why);
}

describe('user model files', () => {
  it('accepts the bundled model: input shape without batch, weights in manifest order', () => {
    const m = parseUserModel(bundled().files);
    expect(m.inputShape).toEqual([28, 28, 1]);
    expect(m.weightBytes).toBe(384_744);
    expect((m.artifacts.weightData as ArrayBuffer).byteLength).toBe(384_744);
    expect(m.artifacts.weightSpecs?.length).toBeGreaterThan(0);
  });

  it('the checked files load in tfjs and predict a batch', async () => {
    await tf.setBackend('cpu');
    const m = parseUserModel(bundled().files);
    const model = await tf.loadLayersModel(tf.io.fromMemory(m.artifacts));
    const y = tf.tidy(() => model.predict(tf.zeros([2, ...m.inputShape])) as tf.Tensor);
    expect(y.shape).toEqual([2, 10]);
    const sums = (await y.sum(1).data()) as Float32Array;
    expect(Math.abs(sums[0] - 1)).toBeLessThan(1e-5);
    y.dispose();
    model.dispose();
  });

  it('no files, no model.json, two JSON files', () => {
    expectError([], /No files/);
    expectError([bundled().files[1]], /Choose the model.json/);
    expectError([jsonFile({}), jsonFile({}, 'other.json')], /one model at a time/);
  });

  it('not JSON, truncated JSON, not an object', () => {
    expectError([jsonFile('hello')], /not valid JSON/);
    const text = new TextDecoder().decode(bundled().files[0].data);
    expectError([jsonFile(text.slice(0, text.length / 2)), bundled().files[1]], /not valid JSON/);
    expectError([jsonFile('[1,2,3]')], /does not hold a model description/);
  });

  it('a graph model or something without a topology is not a layers model', () => {
    expectError(
      [jsonFile({ format: 'graph-model', modelTopology: { node: [] }, weightsManifest: [] })],
      /graph model/,
    );
    expectError([jsonFile({ weightsManifest: [] })], /no "modelTopology"/);
  });

  it('wrong types in the manifest', () => {
    const { json } = bundled();
    expectError([jsonFile({ ...json, weightsManifest: 'x' })], /no "weightsManifest" list/);
    expectError(
      [jsonFile({ ...json, weightsManifest: [{ paths: 'a.bin' }] })],
      /needs "paths" and "weights"/,
    );
    const bad = structuredClone(json) as {
      weightsManifest: { weights: { shape: unknown; dtype: unknown }[] }[];
    };
    bad.weightsManifest[0].weights[0].shape = [3, 'three'];
    expectError([jsonFile(bad), bundled().files[1]], /not a list of whole numbers/);
    const bad2 = structuredClone(json) as typeof bad;
    bad2.weightsManifest[0].weights[0].dtype = 'float128';
    expectError([jsonFile(bad2), bundled().files[1]], /unknown data type "float128"/);
  });

  it('huge declared shapes are refused before any allocation', () => {
    const huge = structuredClone(bundled().json) as {
      weightsManifest: { weights: { shape: number[] }[] }[];
    };
    huge.weightsManifest[0].weights[0].shape = [100000, 100000];
    expectError([jsonFile(huge), bundled().files[1]], /declares .* MB of weights; the limit/);
  });

  it('missing, extra, empty or wrong-size weight files', () => {
    const [json, shard] = bundled().files;
    expectError([json], /Missing weight file: group1-shard1of1.bin/);
    expectError(
      [json, shard, { name: 'notes.bin', data: new ArrayBuffer(4) }],
      /not named in model.json: notes.bin/,
    );
    expectError(
      [json, { name: shard.name, data: new ArrayBuffer(0) }],
      /is empty: group1-shard1of1.bin/,
    );
    expectError(
      [json, { name: shard.name, data: shard.data.slice(0, 1000) }],
      /hold 1,000 bytes, but model.json declares 384,744/,
    );
  });

  it('weights that are not numbers: NaN or infinity in the shard, a quantization scale that is text', () => {
    const { json, files } = bundled();
    const first = (json as { weightsManifest: { weights: { name: string; shape: number[] }[] }[] })
      .weightsManifest[0].weights;
    const shard = new Float32Array(files[1].data.slice(0));
    const secondAt = first[0].shape.reduce((a, d) => a * d, 1);
    shard[3] = NaN;
    shard[secondAt + 1] = Infinity;
    expectError(
      [files[0], { name: files[1].name, data: shard.buffer }],
      new RegExp(`Weight "${first[0].name}" holds 1 of [\\d,]+ values that are not numbers`),
    );
    shard[3] = 0;
    expectError(
      [files[0], { name: files[1].name, data: shard.buffer }],
      new RegExp(`Weight "${first[1].name}" holds 1 of`),
    );

    const quantized = structuredClone(json) as {
      weightsManifest: { weights: Record<string, unknown>[] }[];
    };
    quantized.weightsManifest[0].weights[0].quantization = { dtype: 'uint8', scale: 'big', min: 0 };
    expectError([jsonFile(quantized), files[1]], /quantization scale that is not a number: "big"/);
  });

  it('thousands of tiny files are refused at once', () => {
    const files = Array.from({ length: 2000 }, (_, i) => ({
      name: `w${i}.bin`,
      data: new ArrayBuffer(1),
    }));
    expectError(files, new RegExp(`2000 files is too many.*at most ${MAX_FILES}`));
  });

  it('input shapes with unknown dimensions other than the batch, or several inputs', () => {
    const dyn = structuredClone(bundled().json) as {
      modelTopology: { config: { layers: { config: Record<string, unknown> }[] } };
    };
    const first = dyn.modelTopology.config.layers[0].config;
    const key = 'batch_input_shape' in first ? 'batch_input_shape' : 'batchInputShape';
    first[key] = [null, null, null, 1];
    expectError([jsonFile(dyn), bundled().files[1]], /only the batch dimension may be unknown/);
    const multi = {
      modelTopology: {
        config: {
          layers: [],
          input_layers: [
            ['a', 0, 0],
            ['b', 0, 0],
          ],
        },
      },
      weightsManifest: [],
    };
    expectError([jsonFile(multi)], /2 inputs/);
  });
});
