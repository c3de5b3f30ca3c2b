/**
 * Fast twin of reference/ops/aten_vectorized_quantized.ts: ATen's Vectorized<quint8 | qint8> quantize on AVX2 /
 * AVX512 (QuantizeAvx2 / QuantizeAvx512, torch 1.13.1) on doubles rounded to float32, for quantized::add and
 * quantized::cat's NHWC kernel.
 */
import { clampInt, cvt32, f32Mul, wrapInt32 } from './float32.js';

/** QuantizeAvx2 / QuantizeAvx512's int32_float_max_val, 2^31 - 128. */
const INT32_FLOAT_MAX = 2147483520;

/**
 * minps(f32(c * inv), 2^31 - 128) (a NaN product gives 2^31 - 128), cvtps2dq, + z as an int32 addition (wrapping), the
 * saturating packs (a clamp to [min, max]).
 */
export function vectorQuantize(c: number, inv: number, z: number, min: number, max: number): number {
  const t = f32Mul(c, inv);
  return clampInt(wrapInt32(cvt32(t < INT32_FLOAT_MAX ? t : INT32_FLOAT_MAX) + z), min, max);
}
