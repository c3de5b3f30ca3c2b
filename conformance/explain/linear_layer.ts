/**
 * A quantized linear layer as `qconform explain` analyses it: quantized_linear@1 is exactly quantized_conv2d@1
 * with 1x1 kernels over the rows of x (contract/linear.ts: torch 1.13 qnnpack and onednn run the same int32
 * sum, QuantizeBias and requantization for both), and ONNX QLinearMatMul is ORT's QLinearConv epilogue
 * (MlasRequantizeOutput with f32(f32(a_scale * b_scale) / y_scale), reference/onnx/qlinear_matmul.ts) on the
 * same int32 sum. So a linear layer is a ConvLayer with `linear: true`: x [N, F] is the conv input
 * [N, F, 1, 1], the weight [OC, F] is [OC, F, 1, 1], and the output [N, OC, 1, 1] is [N, OC]; every per-layer
 * analysis of a conv (layer_analysis.ts, fake_quant.ts, requant_summary.ts) runs on it unchanged.
 */
import type { F32Tensor, IntTensor } from '../../contract/tensor.js';
import type { ConvLayer } from './model_types.js';

/** The fields a linear layer has; the conv geometry is the 1x1 one. */
export type LinearFields = Omit<ConvLayer, 'kind' | 'linear' | 'weightShape' | 'stride' | 'padding' | 'dilation' | 'groups'> & {
  /** [OC, F], row-major (torch's Linear weight; an ONNX MatMul's B transposed) */
  readonly weightShape: readonly [number, number];
};

export function linearAsConv(f: LinearFields): ConvLayer {
  const [oc, features] = f.weightShape;
  return { ...f, kind: 'conv2d', linear: true, weightShape: [oc, features, 1, 1], stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 };
}

/** [OC, F] weights stored as [F, OC] (an ONNX MatMul's constant B, a Gemm's B without transB), transposed. */
export function transposedWeight(values: ArrayLike<number>, features: number, oc: number): Int32Array {
  const out = new Int32Array(oc * features);
  for (let k = 0; k < features; k++) for (let c = 0; c < oc; c++) out[c * features + k] = values[k * oc + c]!;
  return out;
}

/** x [N, F] as the conv input [N, F, 1, 1] (the same data: row n's features are the channels of pixel n). */
export function rowsAsConvInput<T extends IntTensor | F32Tensor>(x: T): T {
  return { ...x, shape: [x.shape[0]!, x.shape[1]!, 1, 1] };
}

/** The conv output [N, OC, 1, 1] as the linear's [N, OC]. */
export function convOutputAsRows<T extends IntTensor | F32Tensor>(y: T): T {
  return { ...y, shape: [y.shape[0]!, y.shape[1]!] };
}
