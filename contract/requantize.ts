/**
 * `requantize@1`: the requantization step alone, on int32 accumulators, with the integer multiplier and
 * shift given directly (as TFLite stores them per channel after QuantizeMultiplier) instead of derived
 * from scales. It isolates the fixed-point arithmetic of the integer schemes so a library that has no
 * conv of its own (gemmlowp's fixedpoint.h) can be checked against it:
 *
 *   y = clamp(MultiplyByQuantizedMultiplier(acc, multiplier, shift) + zero_point, output_min, output_max)
 *
 * with MultiplyByQuantizedMultiplier the scheme's (tensorflow/lite/kernels/internal/common.h):
 *   - tflite-double-rounding@1: RoundingDivideByPOT(SaturatingRoundingDoublingHighMul(acc * 2^left, m), right),
 *     left = max(shift, 0), right = max(-shift, 0); `acc * 2^left` is an int32 multiply (it wraps);
 *   - tflite-single-rounding@1: (int32_t)round_half_up(acc * m / 2^(31 - shift));
 *   - tosa-double-round@1 / tosa-single-round@1: TOSA RESCALE's apply_scale_32(acc, m, 31 - shift, double_round)
 *     (scale32, input_zp 0; arm/tosa-specification pseudocode/library/scale_helpers.tosac). `shift` keeps its
 *     TFLite meaning in every scheme (the scale is m * 2^(shift - 31)); TOSA's right shift is 31 - shift, so TOSA's
 *     2 <= s <= 62 is shift in [-31, 29]. TOSA's REQUIREs become requant_precondition: each acc in
 *     [-2^(30 - shift), 2^(30 - shift)) (contract/tosa_rescale.ts), and a zero point of an 8-bit output
 *     ([-128, 255]; TOSA takes output_zp = 0 for wider outputs), which also keeps apply_add_s from overflowing.
 * Under the tflite schemes the zero point is TFLite's `acc += output_offset`, an int32 add that wraps before the clamp
 * (as gemmlowp's output stage OutputStageScaleInt32ByFixedPointAndExponent adds it on x86, measured through the gemmlowp
 * backend, and as LiteRT.js 2.5.3's conv kernels do: contract/tflite_output_stage.ts); under the tosa schemes it is
 * added exactly (|apply_scale_32| < 2^30 and an 8-bit zero point: no overflow). reference/requantize.ts and
 * impl/requantize.ts implement it; the per-scheme arithmetic is the conv schemes' own.
 */
import type { RequantScheme } from './conv.js';
import { assertRequantScheme } from './conv_checks.js';
import { QconformError } from './errors.js';
import type { IntTensor } from './tensor.js';
import { assertApplyScale32Value, tosaRightShift } from './tosa_rescale.js';
import { validateShape } from './validate.js';

export const REQUANTIZE_OP_NAMES = ['requantize@1'] as const;
export type RequantizeOpName = (typeof REQUANTIZE_OP_NAMES)[number];

/** The schemes whose requantization is a (multiplier, shift) pair on the accumulator. */
export const REQUANTIZE_SCHEMES = ['tflite-double-rounding@1', 'tflite-single-rounding@1', 'tosa-double-round@1', 'tosa-single-round@1'] as const satisfies readonly RequantScheme[];
export type RequantizeScheme = (typeof REQUANTIZE_SCHEMES)[number];

export interface RequantizeArgs {
  /** int32, any shape */
  readonly acc: IntTensor;
  readonly scheme: string;
  /** Q31 multiplier in [0, 2^31 - 1] (QuantizeMultiplier gives [2^30, 2^31) or 0) */
  readonly multiplier: number;
  /** TFLite's exponent, "positive = left", in [-31, 30] ([-31, 29] for the tosa schemes: TOSA's right shift is 31 - shift) */
  readonly shift: number;
  readonly zeroPoint: number;
  readonly outputMin: number;
  readonly outputMax: number;
}

export interface RequantizeOps {
  /** y: int32, the shape of acc */
  requantize(a: RequantizeArgs): IntTensor;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const WHAT = 'requantize';

function precondition(field: string, value: unknown, detail: string): never {
  throw new QconformError('requant_precondition', `${WHAT}: ${field}`, value, detail);
}

const isInt32 = (v: number) => Number.isSafeInteger(v) && v >= INT32_MIN && v <= INT32_MAX;

/** The contract check shared by reference/ and impl/; returns the scheme. */
export function checkRequantize(a: RequantizeArgs): RequantizeScheme {
  assertRequantScheme(WHAT, a.scheme);
  if (!(REQUANTIZE_SCHEMES as readonly string[]).includes(a.scheme)) {
    throw new QconformError('unsupported_by_scheme', `${WHAT}: scheme`, a.scheme, `requantize@1 takes ${REQUANTIZE_SCHEMES.join(' or ')}`);
  }
  if (a.acc.dtype !== 'int32') throw new QconformError('invalid_dtype', `${WHAT}: acc.dtype`, a.acc.dtype, 'accumulators are int32');
  validateShape(`${WHAT}: acc`, a.acc);
  // TFLite DCHECKs: quantized_multiplier >= 0, shift in [-31, 30] (RoundingDivideByPOT takes exponents <= 31)
  if (!Number.isSafeInteger(a.multiplier) || a.multiplier < 0 || a.multiplier > INT32_MAX) precondition('multiplier', a.multiplier, 'a Q31 multiplier in [0, 2^31 - 1]');
  if (!Number.isSafeInteger(a.shift) || a.shift < -31 || a.shift > 30) precondition('shift', a.shift, 'TFLite shifts lie in [-31, 30]');
  for (const [name, v] of [['zero_point', a.zeroPoint], ['output_min', a.outputMin], ['output_max', a.outputMax]] as const) {
    if (!isInt32(v)) precondition(name, v, 'an int32');
  }
  if (a.outputMin > a.outputMax) precondition('output_min', [a.outputMin, a.outputMax], 'output_min <= output_max');
  if (isTosaRequantize(a.scheme as RequantizeScheme)) checkTosaRequantize(a);
  return a.scheme as RequantizeScheme;
}

export function isTosaRequantize(scheme: RequantizeScheme): scheme is 'tosa-double-round@1' | 'tosa-single-round@1' {
  return scheme === 'tosa-double-round@1' || scheme === 'tosa-single-round@1';
}

/** TOSA RESCALE's REQUIREs (RESCALE.tosac, apply_scale_32): 2 <= 31 - shift <= 62, an 8-bit output zero point, each acc in range. */
function checkTosaRequantize(a: RequantizeArgs): void {
  if (a.shift > 29) precondition('shift', a.shift, "TOSA's right shift 31 - shift lies in [2, 62]: shift in [-31, 29]");
  if (a.zeroPoint < -128 || a.zeroPoint > 255) precondition('zero_point', a.zeroPoint, "TOSA's output_zp is non-zero for 8-bit outputs only: [-128, 255]");
  const s = tosaRightShift(a.shift);
  for (const v of a.acc.data) assertApplyScale32Value(WHAT, v as number, s);
}
