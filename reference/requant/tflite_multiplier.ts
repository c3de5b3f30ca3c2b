/**
 * How TFLite (and the TOSA / CMSIS-NN flows fed by TFLite models) turn scales into an integer multiplier.
 * Source: tensorflow/lite/kernels/kernel_util.cc PopulateConvolutionQuantizationParams and
 * kernels/internal/quantization_util.cc QuantizeMultiplier (tflite-micro 90b983c2).
 */
import { f64Div, f64Mul, toF32 } from '../exact/float_arith.js';
import { type IeeeValue, exactValue } from '../exact/ieee_value.js';
import { Rational, floorLog2 } from '../exact/rational.js';
import { roundRational } from '../exact/rounding.js';
import { assertEffectiveScaleFinite } from '../../contract/effective_scale_finite.js';
import { assertTfliteExponent } from '../../contract/tflite_shift.js';
import { toNumber } from '../exact/ieee_bits.js';
import type { ChannelQuant } from './types.js';

/**
 * effective_scale = (double)input_scale * (double)filter_scale[c] / (double)output_scale. TFLite tensors
 * hold float32 scales, so each scale is first rounded to float32; the product is a double (exact: two
 * 24-bit significands), the quotient one double rounding.
 */
export function tfliteEffectiveScale(c: ChannelQuant): IeeeValue {
  return f64Div(f64Mul(toF32(c.xScale), toF32(c.wScale)), toF32(c.yScale));
}

/** frexp: d = q * 2^e with q in [0.5, 1), for d > 0, exactly. */
export function frexp(d: Rational): { q: Rational; e: number } {
  const e = floorLog2(d) + 1;
  return { q: d.div(Rational.pow2(e)), e };
}

/**
 * The 31-bit mantissa of d >= 0: frexp(d) = q * 2^e, m = std::round(q * 2^31) (half away from zero, on the exact
 * product), and m = 2^31 renormalized to 2^30 with e + 1; d = 0 gives m = 0, e = 0 (std::frexp(0) is 0 with exponent
 * 0). The first steps of TFLite's QuantizeMultiplier and of LLVM's computeMultiplierAndShiftTosaScale32
 * (tosa_rescale.ts), which differ only in what follows. Exact rationals.
 */
export function roundedMantissa31(d: Rational): { m: bigint; e: number } {
  if (d.isZero()) return { m: 0n, e: 0 };
  const f = frexp(d);
  const m = roundRational(f.q.mul(Rational.pow2(31)), 'half_away_from_zero');
  return m === 1n << 31n ? { m: m / 2n, e: f.e + 1 } : { m, e: f.e };
}

export interface QuantizedMultiplier {
  /** int32 mantissa in [2^30, 2^31) (or 0) */
  readonly m: bigint;
  /** exponent, "positive = left": real ~= m * 2^(e - 31) */
  readonly e: number;
}

/**
 * QuantizeMultiplier(double d): q_fixed = TfLiteRound(q * 2^31) (std::round: half away from zero, on the
 * exact double product), 2^31 -> 2^30 with e + 1; e < -31 flushes to (0, 0). Built without TFLITE_SINGLE_ROUNDING
 * (LiteRT.js 2.5.3), e is not clamped; an e that the scheme's MultiplyByQuantizedMultiplier would shift by in undefined
 * C++ (single rounding: e >= 31, double rounding: e >= 32) is refused (contract/tflite_shift.ts). Exact rationals.
 */
export function quantizeMultiplier(d: IeeeValue, singleRounding: boolean): QuantizedMultiplier {
  // +inf and NaN (a scale whose float32 is +inf or 0) have no multiplier in TFLite (contract/effective_scale_finite.ts)
  assertEffectiveScaleFinite('tflite', toNumber(d));
  const value = exactValue(d);
  if (value.isZero()) return { m: 0n, e: 0 };
  const { m, e } = roundedMantissa31(value);
  if (e < -31) return { m: 0n, e: 0 };
  assertTfliteExponent(e, singleRounding, toNumber(d));
  return { m, e };
}
