/**
 * The slice of TensorFlow.js the app uses: tfjs-core and the layers API. No backend comes with it — each is
 * loaded on demand (backends.ts) — and neither tfjs-data nor the converter, which the app does not need.
 * Everything in the app imports TensorFlow.js from here.
 */
export * from '@tensorflow/tfjs-core';
export { loadLayersModel, LayersModel } from '@tensorflow/tfjs-layers';
