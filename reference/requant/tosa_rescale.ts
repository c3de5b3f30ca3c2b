/**
 * TOSA RESCALE arithmetic shared by tosa-single-round@1 and tosa-double-round@1.
 * Sources (requantization-schemes.md §12): arm/tosa-specification pseudocode/library/scale_helpers.tosac
 * apply_scale_32, pseudocode/operators/RESCALE.tosac; multiplier and shift from LLVM
 * mlir/lib/Dialect/Tosa/Utils/QuantUtils.cpp computeMultiplierAndShiftTosaScale32.
 */
import { QconformError } from '../../contract/errors.js';
import { exactValue } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';
import { roundRational } from '../exact/rounding.js';
import { int32Add } from './int32_add.js';
import { addZeroPointAndClamp } from './output.js';
import { frexp, tfliteEffectiveScale } from './tflite_multiplier.js';
import { type ChannelQuant, type Int32Policy, int32Bias } from './types.js';

export interface TosaParams {
  readonly multiplier: bigint;
  /** right shift in [2, 62] */
  readonly shift: number;
  readonly bias: bigint;
  readonly c: ChannelQuant;
}

/**
 * computeMultiplierAndShiftTosaScale32(double): frexp, std::round(mantissa * 2^31) (half away), 2^31 ->
 * 2^30 with the exponent + 1, shift = 31 - exponent; shift > 62: multiplier >>= min(31, shift - 62), shift = 62.
 * RESCALE REQUIREs 2 <= shift: larger scales are refused.
 */
export function prepareTosa(c: ChannelQuant): TosaParams {
  const { q, e } = frexp(exactValue(tfliteEffectiveScale(c)));
  let multiplier = roundRational(q.mul(Rational.pow2(31)), 'half_away_from_zero');
  let exponent = e;
  if (multiplier === 1n << 31n) {
    multiplier /= 2n;
    exponent += 1;
  }
  let shift = 31 - exponent;
  if (shift > 62) {
    multiplier >>= BigInt(Math.min(31, shift - 62));
    shift = 62;
  }
  if (shift < 2) throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: TOSA rescale shift', shift, 'apply_scale_32 REQUIREs 2 <= shift <= 62 (scale < 2^29)');
  return { multiplier, shift, bias: int32Bias(c), c };
}

/**
 * apply_scale_32(value, multiplier, shift, double_round): REQUIRE value in [-2^(shift-1), 2^(shift-1));
 * round = 2^(shift-1), and with double_round and shift > 31 it moves by +-2^30 (toward the value's sign);
 * result = (value * multiplier + round) >> shift (arithmetic, exact in int64). Then + output_zp and clip.
 */
export function rescaleTosa(acc: bigint, p: TosaParams, policy: Int32Policy, doubleRound: boolean): bigint {
  const value = int32Add(acc, p.bias, policy);
  const half = 1n << BigInt(p.shift - 1);
  if (value < -half || value >= half) throw new QconformError('requant_precondition', 'quantized_conv2d: TOSA apply_scale_32 value', value, `shift ${p.shift} takes values in [-2^${p.shift - 1}, 2^${p.shift - 1})`);
  let round = half;
  if (doubleRound && p.shift > 31) round += value >= 0n ? 1n << 30n : -(1n << 30n);
  const result = Rational.of(value * p.multiplier + round, 1n << BigInt(p.shift)).floor();
  return addZeroPointAndClamp(result, p.c);
}
