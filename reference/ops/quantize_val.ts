import { type QuantDtype, DTYPE_RANGE } from '../../spec/dtypes.js';
import { ONE_F32 } from '../constants.js';
import { f32Add, f32Div, f32Mul, intToF32, toF32 } from '../exact/float_arith.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { clampInt, nearbyint, truncToInt64 } from '../exact/x86_conversions.js';

/** Parameters of quantize_val prepared once per scale: the float32 reciprocal torch multiplies by. */
export interface QuantizeValParams {
  readonly inverseScale: IeeeValue;
  readonly zeroPoint: bigint;
  readonly dtype: QuantDtype;
}

/**
 * inv = f32(1.0f / (float)scale): the scale (a double) is rounded to float32 first, then a float32 division.
 * quint4x2 goes through quantize_tensor_per_tensor_affine_sub_byte_cpu, whose inverse is guarded:
 * (float)scale == 0 gives inv = 1 (its lrintf(nearbyint(x * inv) + zp) equals quantize_val's steps otherwise).
 */
export function prepareQuantizeVal(scale: IeeeValue, zeroPoint: bigint, dtype: QuantDtype): QuantizeValParams {
  const scaleF32 = toF32(scale);
  const guarded = dtype === 'quint4x2' && scaleF32.kind === 'finite' && scaleF32.value.isZero();
  return { inverseScale: guarded ? ONE_F32 : f32Div(ONE_F32, scaleF32), zeroPoint, dtype };
}

/**
 * at::native::quantize_val<T> (aten/src/ATen/native/quantized/AffineQuantizerBase.cpp, non-FBGEMM branch),
 * the element step of quantize_per_tensor, quantize_per_channel and QuantizeBias:
 *   v = f32(x * inv)           float32 product (a reciprocal multiply, never x / scale)
 *   r = nearbyint(v)           half_even, stays float
 *   t = f32((float)zp + r)     the zero point is added in FLOAT
 *   q = (int64_t)t             truncating; NaN, +-inf, |t| >= 2^63 give INT64_MIN (cvttss2si)
 *   clamp q to the DTYPE range (never to a qconfig's quant_min/quant_max)
 */
export function quantizeVal(x: IeeeValue, p: QuantizeValParams): bigint {
  const v = f32Mul(x, p.inverseScale);
  const t = f32Add(intToF32(p.zeroPoint), nearbyint(v));
  const { min, max } = DTYPE_RANGE[p.dtype];
  return clampInt(truncToInt64(t), BigInt(min), BigInt(max));
}
