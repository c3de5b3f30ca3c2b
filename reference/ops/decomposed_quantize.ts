import type { QuantDtype } from '../../contract/dtypes.js';
import { checkDecomposedQuantizePerTensor } from '../../contract/op_checks.js';
import { checkDecomposedQuantizePerChannel } from '../../contract/decomposed_checks.js';
import { type F32Tensor, type IntTensor, intTensor, numel } from '../../contract/tensor.js';
import { broadcastChannel, broadcastSource } from '../../contract/decomposed_channel_broadcast.js';
import { f32Add, f32Div, f32Mul, f32OfF64Reciprocal, intToF32, toF32 } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { type IeeeValue } from '../exact/ieee_value.js';
import { nearbyint, truncToInt32 } from '../exact/x86_conversions.js';
import { clampFloat } from '../requant/float_clamp.js';
import { exactElementsF32 } from '../values.js';
import { ONE_F64 as F64_ONE } from '../constants.js';

const F32_ONE = toF32(F64_ONE);

/**
 * One element of the quantized_decomposed quantize ops, every step float32 (`inv` is the float32 reciprocal the op
 * formed): c = clamp(f32(nearbyint(f32(x * inv)) + f32(zero_point)), f32(quant_min), f32(quant_max)), then
 * `.to(dtype)`: truncated to int32 (cvttss2si; NaN and out of range give INT32_MIN) and its low byte taken as uint8 /
 * int8. torch.clamp is min(max(t, quant_min), quant_max), so quant_min > quant_max gives quant_max for every non-NaN
 * value, and a quant_max below the dtype's minimum (which _quant_min_max_bounds_check allows) wraps: measured on
 * torch 2.6, uint8 quant_max -5 -> 251, -300 -> 212, -2^31 - 5 -> 0; int8 -200 -> 56, -129 -> 127; NaN -> 0, on the
 * scalar and vectorized paths alike.
 */
export function decomposedQuantizeElement(v: IeeeValue, inv: IeeeValue, zeroPoint: bigint, quantMin: number, quantMax: number, dtype: 'quint8' | 'qint8'): number {
  const t = f32Add(nearbyint(f32Mul(v, inv)), intToF32(zeroPoint));
  const c = t.kind === 'nan' ? t : clampFloat(t, intToF32(BigInt(quantMin)), intToF32(BigInt(quantMax)));
  const n = truncToInt32(c);
  return Number(dtype === 'quint8' ? BigInt.asUintN(8, n) : BigInt.asIntN(8, n));
}

/**
 * torch.ops.quantized_decomposed.quantize_per_tensor of torch 2.6 (torch/ao/quantization/fx/_decomposed.py; its
 * .tensor form takes scale.item() and zero_point.item() and calls it), the PT2E / ExecuTorch quantize:
 *   inv = 1.0 / scale               a Python float division (float64)
 *   v = f32(x * (float)inv)         the Python scalar meets a float32 tensor: rounded to float32, float32 product
 *   r = torch.round(v)              half-even, stays float32
 *   t = f32(r + (float)zero_point)  float32 addition
 *   c = clamp(t, quant_min, quant_max)  in float32; NaN stays NaN
 *   q = c.to(dtype)                 an integral float to uint8 / int8; NaN converts to 0 (x86: cvttss2si gives
 *                                   INT32_MIN, whose low byte is 0; measured on torch 2.6)
 * It differs from quantize_per_tensor@1 in the reciprocal (float64 1/scale rounded, not 1.0f / (float)scale), the
 * clamp (the quant range, not the dtype's) and NaN (0, not the clamped INT64_MIN).
 */
export function decomposedQuantizePerTensor(x: F32Tensor, a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number; dtype: QuantDtype }): IntTensor {
  const dtype = checkDecomposedQuantizePerTensor(x, a);
  const inv = f32OfF64Reciprocal(fromFloat64(a.scale));
  const zp = BigInt(a.zeroPoint);
  return intTensor(dtype, x.shape, exactElementsF32(x).map((v) => decomposedQuantizeElement(v, inv, zp, a.quantMin, a.quantMax, dtype)));
}

/**
 * torch.ops.quantized_decomposed.quantize_per_channel of torch 2.6 (torch/ao/quantization/fx/_decomposed.py), with the
 * float32 scales and int32 / int64 zero points PT2E's observers give it:
 *   inv = 1.0 / scales                   a float32 tensor division (the Python 1.0 meets float32 scales): f32(1 / s_c)
 *   t = round(x * inv) + zero_points     float32 product, half-even, the integer zero point converted to float32 and added
 *   clamp(t, quant_min, quant_max).to(dtype)   as decomposedQuantizeElement
 * So each channel is decomposed_quantize_per_tensor@1's element with f32(1 / s_c) for the float64 reciprocal; for a
 * float32 scale both reciprocals are the same float (binary64 has more than 2 * 24 + 2 bits: the double rounding is exact).
 * The axis may be negative (from the end) and the parameters broadcast against the input's axis dimension
 * (contract/decomposed_channel_broadcast.ts): the output takes the broadcast shape. Indexing is integer arithmetic.
 */
export function decomposedQuantizePerChannel(x: F32Tensor, scales: F32Tensor, zeroPoints: IntTensor, a: { axis: number; quantMin: number; quantMax: number; dtype: QuantDtype }): IntTensor {
  const { dtype, layout } = checkDecomposedQuantizePerChannel(x, scales, zeroPoints, a);
  const xs = exactElementsF32(x);
  const inv = exactElementsF32(scales).map((s) => f32Div(F32_ONE, s));
  const zps = Array.from(zeroPoints.data, BigInt);
  return intTensor(dtype, layout.shape, Array.from({ length: numel(layout.shape) }, (_, i) => {
    const c = broadcastChannel(i, layout);
    return decomposedQuantizeElement(xs[broadcastSource(i, layout)]!, inv[c]!, zps[c]!, a.quantMin, a.quantMax, dtype);
  }));
}
