/**
 * A faster Conv2D and FusedConv2D (bias + ReLU or none) forward pass for tfjs' CPU backend, for training in
 * Node: stride 1, no dilation, NHWC, float32. The stock kernel accumulates into the output one product at a
 * time (~90 MMAC/s here); this one gathers each output pixel's patch once and takes four dot products at a
 * time against the filter laid out by output channel, in local accumulators. Other cases fall through to
 * the stock kernels. The input gradient is the same conv with the filter turned; the conv filter gradient (fast-conv-grad.ts) is itself a Conv2D, so it runs here too.
 */
import * as tf from '@tensorflow/tfjs';

type TensorInfo = { dataId: object; shape: number[]; dtype: string };
interface CpuBackend {
  data: { get(id: object): { values: Float32Array } };
  makeTensorInfo(shape: number[], dtype: string, values: Float32Array): TensorInfo;
}
interface ConvAttrs {
  strides: number | [number, number];
  pad: 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
  dataFormat: 'NHWC' | 'NCHW';
  dilations: number | [number, number];
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
  activation?: string;
}

/** y = conv(x, filter) (+ bias, then ReLU when asked), or null when this kernel does not cover the case. */
function convolve(
  backend: CpuBackend,
  x: TensorInfo,
  filter: TensorInfo,
  attrs: ConvAttrs,
  bias?: TensorInfo,
  relu = false,
): TensorInfo | null {
  if (x.dtype !== 'float32' || filter.dtype !== 'float32' || attrs.dataFormat === 'NCHW')
    return null;
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    filter.shape as [number, number, number, number],
    attrs.strides,
    attrs.dilations,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return null;
  if (info.dilationHeight !== 1 || info.dilationWidth !== 1) return null;
  const { batchSize, inHeight, inWidth, inChannels, outHeight, outWidth, outChannels } = info;
  const { filterHeight: kh, filterWidth: kw } = info;
  const top = info.padInfo.top;
  const left = info.padInfo.left;
  const xs = backend.data.get(x.dataId).values;
  const ws = backend.data.get(filter.dataId).values;
  const bs = bias ? backend.data.get(bias.dataId).values : null;
  if (bs && bs.length !== outChannels) return null;

  // Filter [kh, kw, cin, cout] → by output channel: wt[co * k + (r * kw + c) * cin + ci].
  const k = kh * kw * inChannels;
  const wt = new Float32Array(outChannels * k);
  for (let i = 0; i < k; i++)
    for (let co = 0; co < outChannels; co++) wt[co * k + i] = ws[i * outChannels + co];
  const patch = new Float32Array(k);
  const y = new Float32Array(batchSize * outHeight * outWidth * outChannels);
  const rowLength = kw * inChannels;
  let out = 0;
  for (let b = 0; b < batchSize; b++) {
    const xb = b * inHeight * inWidth * inChannels;
    for (let oy = 0; oy < outHeight; oy++) {
      for (let ox = 0; ox < outWidth; ox++) {
        // Gather the patch (zeros outside the image).
        const c0 = ox - left;
        const cFrom = Math.max(0, -c0);
        const cTo = Math.min(kw, inWidth - c0);
        for (let r = 0; r < kh; r++) {
          const iy = oy - top + r;
          const p = r * rowLength;
          if (iy < 0 || iy >= inHeight || cFrom >= cTo) {
            patch.fill(0, p, p + rowLength);
            continue;
          }
          if (cFrom > 0) patch.fill(0, p, p + cFrom * inChannels);
          if (cTo < kw) patch.fill(0, p + cTo * inChannels, p + rowLength);
          const src = xb + (iy * inWidth + c0 + cFrom) * inChannels;
          patch.set(xs.subarray(src, src + (cTo - cFrom) * inChannels), p + cFrom * inChannels);
        }
        let co = 0;
        for (; co + 4 <= outChannels; co += 4) {
          const w0 = co * k;
          const w1 = w0 + k;
          const w2 = w1 + k;
          const w3 = w2 + k;
          let a0 = 0;
          let a1 = 0;
          let a2 = 0;
          let a3 = 0;
          for (let i = 0; i < k; i++) {
            const v = patch[i];
            a0 += v * wt[w0 + i];
            a1 += v * wt[w1 + i];
            a2 += v * wt[w2 + i];
            a3 += v * wt[w3 + i];
          }
          y[out + co] = a0;
          y[out + co + 1] = a1;
          y[out + co + 2] = a2;
          y[out + co + 3] = a3;
        }
        for (; co < outChannels; co++) {
          const w0 = co * k;
          let a = 0;
          for (let i = 0; i < k; i++) a += patch[i] * wt[w0 + i];
          y[out + co] = a;
        }
        if (bs) for (let c = 0; c < outChannels; c++) y[out + c] += bs[c];
        if (relu) for (let c = 0; c < outChannels; c++) if (y[out + c] < 0) y[out + c] = 0;
        out += outChannels;
      }
    }
  }
  return backend.makeTensorInfo(info.outShape, 'float32', y);
}

/**
 * dx of a stride-1 conv as a conv itself: dy convolved with the filter turned 180° with its channels swapped,
 * padded so that the output has the input's size. Null when this kernel does not cover the case.
 */
function inputGradient(
  backend: CpuBackend & { disposeIntermediateTensorInfo(t: TensorInfo): void },
  dy: TensorInfo,
  filter: TensorInfo,
  attrs: ConvAttrs & { inputShape: [number, number, number, number] },
): TensorInfo | null {
  if (dy.dtype !== 'float32' || attrs.dataFormat === 'NCHW') return null;
  const info = tf.backend_util.computeConv2DInfo(
    attrs.inputShape,
    filter.shape as [number, number, number, number],
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
  );
  if (info.strideHeight !== 1 || info.strideWidth !== 1) return null;
  const { filterHeight: kh, filterWidth: kw, inChannels, outChannels } = info;
  const ws = backend.data.get(filter.dataId).values;
  const turned = new Float32Array(ws.length); // [kh, kw, cout, cin]
  for (let r = 0; r < kh; r++)
    for (let c = 0; c < kw; c++)
      for (let ci = 0; ci < inChannels; ci++)
        for (let co = 0; co < outChannels; co++)
          turned[(((kh - 1 - r) * kw + (kw - 1 - c)) * outChannels + co) * inChannels + ci] =
            ws[((r * kw + c) * inChannels + ci) * outChannels + co];
  const top = kh - 1 - info.padInfo.top;
  const left = kw - 1 - info.padInfo.left;
  const bottom = info.inHeight - info.outHeight + kh - 1 - top;
  const right = info.inWidth - info.outWidth + kw - 1 - left;
  if (top < 0 || left < 0 || bottom < 0 || right < 0) return null;
  const flipped = backend.makeTensorInfo([kh, kw, outChannels, inChannels], 'float32', turned);
  const dx = convolve(backend, dy, flipped, {
    strides: 1,
    dilations: 1,
    dataFormat: 'NHWC',
    pad: [
      [0, 0],
      [top, bottom],
      [left, right],
      [0, 0],
    ],
  });
  backend.disposeIntermediateTensorInfo(flipped);
  return dx;
}

/** How often each kernel took the fast path (not tfjs' own kernel), for the tests. */
export const fastConvCalls = { conv: 0, fused: 0, backpropInput: 0 };
let registered = false;

/**
 * Replaces the CPU backend's Conv2D, FusedConv2D and Conv2DBackpropInput kernels; call before training (again
 * does nothing: the stock kernels kept for the cases not covered must stay tfjs' own).
 */
export function registerFastConv2d(): void {
  if (registered) return;
  registered = true;
  const conv = tf.getKernel(tf.Conv2D, 'cpu');
  const fused = tf.getKernel(tf.FusedConv2D, 'cpu');
  const backpropInput = tf.getKernel(tf.Conv2DBackpropInput, 'cpu');
  if (!conv || !fused || !backpropInput) throw new Error('tfjs CPU kernels not registered');
  tf.registerKernel({
    kernelName: tf.Conv2DBackpropInput,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const { dy, filter } = args.inputs as unknown as Record<string, TensorInfo>;
      const backend = args.backend as unknown as Parameters<typeof inputGradient>[0];
      const attrs = args.attrs as unknown as Parameters<typeof inputGradient>[3];
      const dx = inputGradient(backend, dy, filter, attrs);
      if (dx) fastConvCalls.backpropInput++;
      return (dx ?? backpropInput.kernelFunc(args)) as never;
    },
  });
  tf.registerKernel({
    kernelName: tf.Conv2D,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const { x, filter } = args.inputs as unknown as Record<string, TensorInfo>;
      const backend = args.backend as unknown as CpuBackend;
      const y = convolve(backend, x, filter, args.attrs as unknown as ConvAttrs);
      if (y) fastConvCalls.conv++;
      return (y ?? conv.kernelFunc(args)) as never;
    },
  });
  tf.registerKernel({
    kernelName: tf.FusedConv2D,
    backendName: 'cpu',
    kernelFunc: (args) => {
      const { x, filter, bias, preluActivationWeights } = args.inputs as unknown as Record<
        string,
        TensorInfo | undefined
      >;
      const attrs = args.attrs as unknown as ConvAttrs;
      const activation = attrs.activation ?? 'linear';
      const covered =
        !preluActivationWeights &&
        (activation === 'linear' || activation === 'relu') &&
        (!bias || bias.shape.length === 1);
      const result =
        covered &&
        convolve(
          args.backend as unknown as CpuBackend,
          x!,
          filter!,
          attrs,
          bias,
          activation === 'relu',
        );
      if (result) fastConvCalls.fused++;
      return (result || fused.kernelFunc(args)) as never;
    },
  });
}
