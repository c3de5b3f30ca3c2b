import type { QuantDtype } from '../contract/dtypes.js';
import { checkDecomposedQuantizePerTensor } from '../contract/op_checks.js';
import { checkDecomposedQuantizePerChannel } from '../contract/decomposed_checks.js';
import { type F32Tensor, type IntTensor, intTensor, numel } from '../contract/tensor.js';
import { broadcastChannel, broadcastSource } from '../contract/decomposed_channel_broadcast.js';
import { f32Add, f32Div, f32Mul, f32OfF64Reciprocal, nearbyint } from './float32.js';

/** The clamp bounds of the quantized_decomposed quantize ops: (float)quant_min and (float)quant_max, once per call. */
function clampBounds(a: { quantMin: number; quantMax: number }): { lo: number; hi: number } {
  return { lo: Math.fround(a.quantMin), hi: Math.fround(a.quantMax) };
}

/**
 * One element of the quantized_decomposed quantize ops, fast twin of reference decomposedQuantizeElement: float32
 * x * inv, half-even, + (float)zero_point, clamp to [lo, hi] = [(float)quant_min, (float)quant_max] (hi wins when
 * lo > hi), then the low byte of its int32 truncation as uint8 / int8 (NaN -> 0; a quant_max below the dtype wraps).
 * `c & 0xff` and `(c << 24) >> 24` take that low byte through ToInt32, which is the truncation wherever it matters: a
 * float32 of magnitude >= 2^31 is a multiple of 256, low byte 0 both ways.
 */
function decomposedQuantizeElement(v: number, inv: number, zpF: number, lo: number, hi: number, dtype: 'quint8' | 'qint8'): number {
  const t = f32Add(nearbyint(f32Mul(v, inv)), zpF);
  const c = t !== t ? 0 : t > lo ? (t < hi ? t : hi) : lo < hi ? lo : hi;
  return dtype === 'quint8' ? c & 0xff : (c << 24) >> 24;
}

/**
 * decomposed_quantize_per_tensor@1, fast twin of reference/ops/decomposed_quantize.ts (torch 2.6
 * quantized_decomposed.quantize_per_tensor): inv = (float)(1.0 / scale) (a double division, rounded once).
 */
export function decomposedQuantizePerTensor(x: F32Tensor, a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number; dtype: QuantDtype }): IntTensor {
  const dtype = checkDecomposedQuantizePerTensor(x, a);
  const inv = f32OfF64Reciprocal(a.scale);
  const zp = Math.fround(a.zeroPoint);
  const { lo, hi } = clampBounds(a);
  const out = new Int32Array(x.data.length);
  for (let i = 0; i < out.length; i++) out[i] = decomposedQuantizeElement(x.data[i]!, inv, zp, lo, hi, dtype);
  return intTensor(dtype, x.shape, out);
}

/**
 * decomposed_quantize_per_channel@1, fast twin of the reference's (quantized_decomposed.quantize_per_channel): inv_c =
 * f32(1 / s_c), a float32 division of float32 values, which fround(1 / s_c) rounds correctly (binary64 double rounding
 * is exact for one division of float32 operands); a negative axis and the parameters' broadcast as the contract lays them out.
 */
export function decomposedQuantizePerChannel(x: F32Tensor, scales: F32Tensor, zeroPoints: IntTensor, a: { axis: number; quantMin: number; quantMax: number; dtype: QuantDtype }): IntTensor {
  const { dtype, layout } = checkDecomposedQuantizePerChannel(x, scales, zeroPoints, a);
  const inv = Array.from(scales.data, (s) => f32Div(1, s));
  const zps = Array.from(zeroPoints.data, Math.fround);
  const { lo, hi } = clampBounds(a);
  const out = new Int32Array(numel(layout.shape));
  for (let i = 0; i < out.length; i++) {
    const c = broadcastChannel(i, layout);
    out[i] = decomposedQuantizeElement(x.data[broadcastSource(i, layout)]!, inv[c]!, zps[c]!, lo, hi, dtype);
  }
  return intTensor(dtype, layout.shape, out);
}
