/**
 * ATen's Vectorized<quint8 | qint8> dequantize and quantize on AVX2 / AVX512 (aten/src/ATen/cpu/vec/vec256/vec256_qint.h,
 * vec512/vec512_qint.h), torch 1.13.1, exact: the vector forms of quantized::add (reference/ops/quantized_add.ts) and
 * quantized::cat's NHWC kernel (reference/ops/quantized_cat.ts). Every float step is one float32 operation rounded
 * once on rationals (reference/exact); the integer steps are bigint.
 */
import { f32Fma, f32Mul, intToF32, toF32 } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { minps } from '../exact/ieee_compare.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { clampInt, cvtps2dq, wrapInt32 } from '../exact/x86_conversions.js';

/** 2^31 - 128, the largest float32 below 2^31: QuantizeAvx2 / QuantizeAvx512's int32_float_max_val. */
const INT32_FLOAT_MAX = intToF32(2n ** 31n - 128n);

/** One input's float32 scale, zero point and the vector form's premultiplied f32(s * -f32(z)). */
export interface VectorDequantizeParams {
  readonly scale: IeeeValue;
  readonly zeroPoint: bigint;
  readonly premul: IeeeValue;
}

/** An input's (q_scale, q_zero_point) as the vector form uses them: s = f32(q_scale), premul = f32(s * -f32(z)). */
export function vectorDequantizeParams(scale: number, zeroPoint: number): VectorDequantizeParams {
  const s = toF32(fromFloat64(scale));
  return { scale: s, zeroPoint: BigInt(zeroPoint), premul: f32Mul(s, intToF32(BigInt(-zeroPoint))) };
}

/** Vectorized<T>::dequantize: fma(s, f32(q), f32(s * -z)), one rounding (float32). */
export function vectorDequantize(q: bigint, p: VectorDequantizeParams): IeeeValue {
  return f32Fma(p.scale, intToF32(q), p.premul);
}

/**
 * Vectorized<T>::quantize (QuantizeAvx2 / QuantizeAvx512) of a float32 c with the caller's float32 reciprocal:
 * minps(f32(c * inv), 2^31 - 128) (a NaN product gives 2^31 - 128), cvtps2dq (half to even; out of range gives
 * INT32_MIN), the zero point added in int32 (wrapping), the saturating packs (a clamp to [lo, hi], the dtype's range).
 */
export function vectorQuantize(c: IeeeValue, inverseScale: IeeeValue, zeroPoint: bigint, lo: bigint, hi: bigint): bigint {
  const t = minps(f32Mul(c, inverseScale), INT32_FLOAT_MAX);
  return clampInt(wrapInt32(cvtps2dq(t) + zeroPoint), lo, hi);
}
