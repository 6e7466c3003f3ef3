/** Writes a trained model in tfjs layers format plus metrics.json, with a SHA-256 of the weights. */
import * as tf from '@tensorflow/tfjs';
import { createHash } from 'node:crypto';
import { mkdir, writeFile } from 'node:fs/promises';
import { join } from 'node:path';

/** File name of the single weight shard. */
export const SHARD_NAME = 'group1-shard1of1.bin';

/** Saves `model` to `dir` and records `metrics` (plus the weights hash) next to it. */
export async function saveModel(
  model: tf.LayersModel,
  dir: string,
  metrics: object,
): Promise<void> {
  await mkdir(dir, { recursive: true });
  await model.save(
    tf.io.withSaveHandler(async (artifacts) => {
      const weights = new Uint8Array(artifacts.weightData as ArrayBuffer);
      const weightsSha256 = createHash('sha256').update(weights).digest('hex');
      const modelJson = {
        format: 'layers-model',
        generatedBy: `TensorFlow.js tfjs-layers v${tf.version.tfjs}`,
        convertedBy: null,
        modelTopology: artifacts.modelTopology,
        weightsManifest: [{ paths: [SHARD_NAME], weights: artifacts.weightSpecs }],
        userDefinedMetadata: {
          weightsSha256,
          weightBytes: weights.byteLength,
          input: 'float32 [N,28,28,1], 0 = background, 1 = ink',
        },
      };
      await writeFile(join(dir, 'model.json'), JSON.stringify(modelJson));
      await writeFile(join(dir, SHARD_NAME), weights);
      await writeFile(
        join(dir, 'metrics.json'),
        JSON.stringify({ ...metrics, weightsSha256, weightBytes: weights.byteLength }, null, 2) +
          '\n',
      );
      console.log(
        `saved ${dir}/model.json and ${SHARD_NAME} (${weights.byteLength} bytes, sha256 ${weightsSha256.slice(0, 12)}…)`,
      );
      return {
        modelArtifactsInfo: {
          dateSaved: new Date(),
          modelTopologyType: 'JSON',
          weightDataBytes: weights.byteLength,
        },
      };
    }),
  );
}
