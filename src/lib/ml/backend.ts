/** Which tfjs backend runs the model. For now: tfjs' own default; a measured choice comes later. */
import * as tf from '@tensorflow/tfjs';

/** The backends the app knows. */
export type BackendName = 'webgpu' | 'webgl' | 'wasm' | 'cpu';

/** Waits for tfjs' default backend and returns its name. */
export async function initDefaultBackend(): Promise<string> {
  await tf.ready();
  return tf.getBackend();
}
