/**
 * TFLite's QuantizeMultiplier and effective scale on doubles, fast twin of
 * reference/requant/tflite_multiplier.ts (tensorflow/lite/kernels/internal/quantization_util.cc, kernel_util.cc).
 */
import { assertEffectiveScaleFinite } from '../../contract/effective_scale_finite.js';
import { assertTfliteExponent } from '../../contract/tflite_shift.js';
import type { ChannelQuantF } from './types.js';

/** (double)f32(xs) * (double)f32(ws) / (double)f32(ys): the product is exact in double, the quotient rounds once. */
export function tfliteEffectiveScale(c: Pick<ChannelQuantF, 'xScale' | 'wScale' | 'yScale'>): number {
  return (Math.fround(c.xScale) * Math.fround(c.wScale)) / Math.fround(c.yScale);
}

/** frexp for d > 0: d = q 2^e, q in [0.5, 1); q is exact (a power-of-two scaling). */
export function frexp(d: number): { q: number; e: number } {
  let e = Math.floor(Math.log2(d)) + 1;
  while (d / 2 ** e >= 1) e++;
  while (d / 2 ** e < 0.5) e--;
  return { q: d / 2 ** e, e };
}

/** q_fixed = std::round(q 2^31) (half away; q 2^31 < 2^31 is exact and positive, so floor(v + 1/2) is exact). */
function roundMantissa31(q: number): number {
  return Math.floor(q * 2 ** 31 + 0.5);
}

/**
 * frexp(d), q_fixed = round(q 2^31) half away, and the renormalization of q_fixed = 2^31 to (2^30, e + 1): d ~= m 2^(e - 31)
 * with m in [2^30, 2^31). The one copy shared by QuantizeMultiplier and TOSA's computeMultiplierAndShiftTosaScale32
 * (fast twin of reference roundedMantissa31); d >= 0 and finite, d = 0 giving m = 0, e = 0 (std::frexp(0)).
 */
export function roundedMantissa31(d: number): { m: number; e: number } {
  if (d === 0) return { m: 0, e: 0 };
  const f = frexp(d);
  const m = roundMantissa31(f.q);
  return m === 2 ** 31 ? { m: m / 2, e: f.e + 1 } : { m, e: f.e };
}

/** QuantizeMultiplier(d): (m, e) with d ~= m 2^(e - 31); 2^31 -> 2^30, e + 1; e < -31 -> (0, 0); an e shifted by in undefined C++ is refused (contract/tflite_shift.ts). */
export function quantizeMultiplier(d: number, singleRounding: boolean): { m: number; e: number } {
  if (d === 0) return { m: 0, e: 0 };
  assertEffectiveScaleFinite('tflite', d);
  const { m, e } = roundedMantissa31(d);
  if (e < -31) return { m: 0, e: 0 };
  assertTfliteExponent(e, singleRounding, d);
  return { m, e };
}
