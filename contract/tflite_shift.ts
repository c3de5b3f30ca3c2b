/**
 * Which exponents TFLite's MultiplyByQuantizedMultiplier computes in defined C++ (tensorflow/lite/kernels/internal/
 * common.h / common.cc, ruy/apply_multiplier.cc), given QuantizeMultiplier's exponent e (quantization_util.cc, built
 * without TFLITE_SINGLE_ROUNDING, as LiteRT.js 2.5.3 is: it does not clamp e to 30):
 *   - single rounding (ruy's and common.cc's): total_shift = 31 - e and round = 1 << (total_shift - 1); e >= 31 makes
 *     that a negative shift count, undefined behaviour;
 *   - double rounding: x * (1 << left_shift), left_shift = max(e, 0); e >= 32 shifts an int by >= its width,
 *     undefined behaviour.
 * What such a build then computes depends on the target's shift instructions (wasm and x86 take the count mod 64 /
 * mod 32, which LiteRT.js 2.5.3 was measured to do for e in 31..64; ARM saturates the count), and a
 * TFLITE_SINGLE_ROUNDING build clamps e to 30 instead, so these exponents have no single answer: both tflite schemes
 * refuse them with unsupported_by_scheme. The rule is about shift counts only: double rounding's x * 2^e at e <= 31
 * also overflows int32 for most x (signed overflow, undefined too), which the scheme computes as the wrap LiteRT.js
 * was measured to give (x = 2 at e = 31: 0). requantize@1 takes TFLite's shift argument itself and keeps its documented
 * range [-31, 30] (contract/requantize.ts).
 */
import { QconformError } from './errors.js';

/** The largest exponent each tflite scheme computes in defined C++. */
function tfliteMaxExponent(singleRounding: boolean): number {
  return singleRounding ? 30 : 31;
}

/** Throws unsupported_by_scheme when QuantizeMultiplier's exponent e is one the scheme's MultiplyByQuantizedMultiplier shifts by undefined C++. */
export function assertTfliteExponent(e: number, singleRounding: boolean, effectiveScale: number): void {
  if (e <= tfliteMaxExponent(singleRounding)) return;
  const why = singleRounding
    ? `QuantizeMultiplier's exponent ${e} >= 31 gives MultiplyByQuantizedMultiplier (single rounding) a shift count 30 - e < 0, undefined C++ (LiteRT.js: count mod 64; a TFLITE_SINGLE_ROUNDING build clamps e to 30)`
    : `QuantizeMultiplier's exponent ${e} >= 32 gives MultiplyByQuantizedMultiplier (double rounding) 1 << ${e} on an int, undefined C++ (LiteRT.js: count mod 32)`;
  throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: TFLite effective scale', effectiveScale, `${why}; exponents up to ${tfliteMaxExponent(singleRounding)} are computed`);
}
