/**
 * The effective scale the tflite schemes, cmsis-nn@1 and the tosa schemes turn into an integer multiplier,
 * (double)f32(x_scale) * (double)f32(w_scale) / (double)f32(y_scale) (reference/requant/tflite_multiplier.ts
 * tfliteEffectiveScale), is +inf or NaN when a scale's float32 is +inf (a wire scale of 2^128 - 2^103 or more) or 0 (one of
 * 2^-150 or less): x_scale 1e39 gives +inf, so does y_scale 1e-50; both together give NaN. Neither library defines a multiplier for it:
 *   - TFLite's QuantizeMultiplier (tensorflow/lite/kernels/internal/quantization_util.cc; TFLM's copy for CMSIS-NN):
 *     q = std::frexp(d, shift), then static_cast<int64_t>(TfLiteRound(q * (1ll << 31))), a conversion of +inf or NaN to
 *     an integer, undefined C++, before TFLITE_CHECK(q_fixed <= (1ll << 31));
 *   - MLIR's computeMultiplierAndShiftTosaScale32 (mlir/lib/Dialect/Tosa/Utils/QuantUtils.cpp, LLVM 19):
 *     shiftedM = std::round(frexp(d) * 2^31) is +inf or NaN, which fails assert(shiftedM <= (int64_t(1) << 31)) (an
 *     assertions build aborts) before static_cast<int32_t>(shiftedM), undefined C++ too.
 * So these schemes refuse it (unsupported_by_scheme), in reference/ and impl/ alike, where they compute the multiplier.
 * A zero effective scale (x_scale's or w_scale's float32 0) is defined by both and computed: QuantizeMultiplier returns
 * multiplier 0, shift 0; computeMultiplierAndShiftTosaScale32 takes frexp(0) = 0 with exponent 0: multiplier 0, shift 31.
 */
import { QconformError } from './errors.js';

/** Throws unsupported_by_scheme when `effectiveScale` (a double) is not finite: `library` is whose multiplier derivation it would reach. */
export function assertEffectiveScaleFinite(library: 'tflite' | 'tosa', effectiveScale: number): void {
  if (Number.isFinite(effectiveScale)) return;
  const why =
    library === 'tflite'
      ? "QuantizeMultiplier (quantization_util.cc) converts TfLiteRound(frexp(d) * 2^31) to int64_t, undefined C++ for a non-finite d"
      : 'computeMultiplierAndShiftTosaScale32 (MLIR QuantUtils.cpp) asserts round(frexp(d) * 2^31) <= 2^31, false for a non-finite d, then converts it to int32_t, undefined C++';
  const field = library === 'tflite' ? 'TFLite effective scale' : 'TOSA effective scale';
  throw new QconformError('unsupported_by_scheme', `quantized_conv2d: ${field}`, effectiveScale, `(double)f32(x_scale) * f32(w_scale) / f32(y_scale) must be finite (a scale whose float32 is +inf or 0 makes it +inf or NaN): ${why}`);
}
