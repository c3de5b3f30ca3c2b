import type { QuantDtype } from '../contract/dtypes.js';
import { checkDecomposedQuantizePerTensor } from '../contract/op_checks.js';
import { checkDecomposedQuantizePerChannel } from '../contract/decomposed_checks.js';
import { type F32Tensor, type IntTensor, channelLayout, channelOf, intTensor } from '../contract/tensor.js';
import { f32Add, f32Div, f32Mul, f32OfF64Reciprocal, nearbyint } from './float32.js';

/**
 * One element of the quantized_decomposed quantize ops, fast twin of reference decomposedQuantizeElement: float32
 * x * inv, half-even, + (float)zero_point, clamp to [quant_min, quant_max] in float, NaN -> 0.
 */
export function decomposedQuantizeElement(v: number, inv: number, zpF: number, quantMin: number, quantMax: number): number {
  const t = f32Add(nearbyint(f32Mul(v, inv)), zpF);
  return t !== t ? 0 : t < quantMin ? quantMin : t > quantMax ? quantMax : t;
}

/**
 * decomposed_quantize_per_tensor@1, fast twin of reference/ops/decomposed_quantize.ts (torch 2.6
 * quantized_decomposed.quantize_per_tensor): inv = (float)(1.0 / scale) (a double division, rounded once).
 */
export function decomposedQuantizePerTensor(x: F32Tensor, a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number; dtype: QuantDtype }): IntTensor {
  const dtype = checkDecomposedQuantizePerTensor(x, a);
  const inv = f32OfF64Reciprocal(a.scale);
  const zp = Math.fround(a.zeroPoint);
  const out = new Int32Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = decomposedQuantizeElement(x.data[i]!, inv, zp, a.quantMin, a.quantMax);
  return intTensor(dtype, x.shape, out);
}

/**
 * decomposed_quantize_per_channel@1, fast twin of the reference's (quantized_decomposed.quantize_per_channel): inv_c =
 * f32(1 / s_c), a float32 division of float32 values, which fround(1 / s_c) rounds correctly (binary64 double rounding
 * is exact for one division of float32 operands).
 */
export function decomposedQuantizePerChannel(x: F32Tensor, scales: F32Tensor, zeroPoints: IntTensor, a: { axis: number; quantMin: number; quantMax: number; dtype: QuantDtype }): IntTensor {
  const { dtype, axis } = checkDecomposedQuantizePerChannel(x, scales, zeroPoints, a);
  const layout = channelLayout(x.shape, axis);
  const inv = Array.from(scales.data, (s) => f32Div(1, s));
  const zps = Array.from(zeroPoints.data, Math.fround);
  const out = new Int32Array(x.data.length);
  for (let i = 0; i < out.length; i++) {
    const c = channelOf(i, layout);
    out[i] = decomposedQuantizeElement(x.data[i]!, inv[c]!, zps[c]!, a.quantMin, a.quantMax);
  }
  return intTensor(dtype, x.shape, out);
}
