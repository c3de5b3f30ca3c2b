import { type QuantDtype, DTYPE_RANGE } from '../../contract/dtypes.js';
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
 * `scale == 0 ? 1.0f : 1.0f / scale` of the sub-byte and float-qparams kernels (quantize_tensor_per_tensor_affine_sub_byte_cpu,
 * quantize_val_float_qparams): a float32 division, guarded against a zero float32 scale.
 */
export function guardedInverseScale(scaleF32: IeeeValue): IeeeValue {
  return scaleF32.kind === 'finite' && scaleF32.value.isZero() ? ONE_F32 : f32Div(ONE_F32, scaleF32);
}

/**
 * inv = f32(1.0f / (float)scale): the scale (a double) is rounded to float32 first, then a float32 division.
 * quint4x2 goes through quantize_tensor_per_tensor_affine_sub_byte_cpu, whose inverse is guarded:
 * (float)scale == 0 gives inv = 1 (its lrintf(nearbyint(x * inv) + zp) equals quantize_val's steps otherwise).
 */
export function prepareQuantizeVal(scale: IeeeValue, zeroPoint: bigint, dtype: QuantDtype): QuantizeValParams {
  const scaleF32 = toF32(scale);
  return { inverseScale: dtype === 'quint4x2' ? guardedInverseScale(scaleF32) : f32Div(ONE_F32, scaleF32), zeroPoint, dtype };
}

/**
 * quantize_val before its clamp, also the first step of fake-quantize: q = (int64_t) f32((float)zp + nearbyint(f32(x * inv))).
 * Domains: float32 product, half-even rounding staying float, float32 addition of the zero point, int64 truncation
 * (NaN, +-inf, |t| >= 2^63 give INT64_MIN).
 */
export function quantizeValUnclamped(x: IeeeValue, inverseScale: IeeeValue, zeroPoint: bigint): bigint {
  return truncToInt64(f32Add(intToF32(zeroPoint), nearbyint(f32Mul(x, inverseScale))));
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
  const { min, max } = DTYPE_RANGE[p.dtype];
  return clampInt(quantizeValUnclamped(x, p.inverseScale, p.zeroPoint), BigInt(min), BigInt(max));
}
