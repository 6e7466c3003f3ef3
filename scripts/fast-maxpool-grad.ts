/**
 * A faster MaxPoolGrad for tfjs' CPU backend, for the 2×2 stride-2 'valid' pooling the digit CNN uses:
 * the gradient goes to the first input in each window that equals the pooled maximum. Other
 * configurations fall through to the stock kernel.
 */
import * as tf from '@tensorflow/tfjs';

type TensorInfo = { dataId: object; shape: number[]; dtype: string };
interface CpuBackend {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo;
}

/** Replaces the CPU backend's MaxPoolGrad kernel; call once before training. */
export function registerFastMaxPoolGradient(): void {
  const original = tf.getKernel(tf.MaxPoolGrad, 'cpu');
  if (!original) throw new Error('tfjs CPU kernels not registered');
  tf.registerKernel({
    kernelName: tf.MaxPoolGrad,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const { filterSize, strides, pad } = args.attrs as unknown as tf.MaxPoolGradAttrs;
      const two = (v: number | [number, number]) =>
        typeof v === 'number' ? v === 2 : v[0] === 2 && v[1] === 2;
      if (!two(filterSize) || !two(strides) || pad !== 'valid') return original.kernelFunc(args);
      const backend = args.backend as unknown as CpuBackend;
      const { dy, input, output } = args.inputs as unknown as Record<string, TensorInfo>;
      const x = backend.data.get(input.dataId).values;
      const y = backend.data.get(output.dataId).values;
      const g = backend.data.get(dy.dataId).values;
      const [n, h, w, c] = input.shape;
      const [, ho, wo] = output.shape;
      const dx = new Float32Array(n * h * w * c);
      for (let b = 0; b < n; b++) {
        for (let i = 0; i < ho; i++) {
          for (let j = 0; j < wo; j++) {
            const o = ((b * ho + i) * wo + j) * c;
            for (let k = 0; k < c; k++) {
              const m = y[o + k];
              let idx = -1;
              for (let di = 0; di < 2 && idx < 0; di++) {
                for (let dj = 0; dj < 2; dj++) {
                  const p = ((b * h + 2 * i + di) * w + 2 * j + dj) * c + k;
                  if (x[p] === m) {
                    idx = p;
                    break;
                  }
                }
              }
              if (idx >= 0) dx[idx] += g[o + k];
            }
          }
        }
      }
      return backend.makeTensorInfo(input.shape, 'float32', dx) as never;
    },
  });
}
