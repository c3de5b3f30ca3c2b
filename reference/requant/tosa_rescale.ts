/**
 * TOSA RESCALE arithmetic shared by tosa-single-round@1 and tosa-double-round@1.
 * Sources (requantization-schemes.md §12): arm/tosa-specification pseudocode/library/scale_helpers.tosac
 * apply_scale_32, pseudocode/operators/RESCALE.tosac; multiplier and shift from LLVM
 * mlir/lib/Dialect/Tosa/Utils/QuantUtils.cpp computeMultiplierAndShiftTosaScale32.
 */
import { QconformError } from '../../contract/errors.js';
import { assertEffectiveScaleFinite } from '../../contract/effective_scale_finite.js';
import { assertApplyScale32Value } from '../../contract/tosa_rescale.js';
import { toNumber } from '../exact/ieee_bits.js';
import { exactValue } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';
import { int32Add } from './int32_add.js';
import { addZeroPointAndClamp } from './output.js';
import { roundedMantissa31, tfliteEffectiveScale } from './tflite_multiplier.js';
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
 * RESCALE REQUIREs 2 <= shift: larger scales are refused. A scale of 0 is multiplier 0, shift 31 (frexp(0) = 0, exponent
 * 0); +inf and NaN are refused (contract/effective_scale_finite.ts).
 */
export function prepareTosa(c: ChannelQuant): TosaParams {
  const scale = tfliteEffectiveScale(c);
  assertEffectiveScaleFinite('tosa', toNumber(scale));
  const rounded = roundedMantissa31(exactValue(scale));
  let multiplier = rounded.m;
  let shift = 31 - rounded.e;
  if (shift > 62) {
    multiplier >>= BigInt(Math.min(31, shift - 62));
    shift = 62;
  }
  if (shift < 2) throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: TOSA rescale shift', shift, 'apply_scale_32 REQUIREs 2 <= shift <= 62 (scale < 2^29)');
  return { multiplier, shift, bias: int32Bias(c), c };
}

/**
 * apply_scale_32(value, multiplier, shift, double_round) (scale_helpers.tosac): REQUIRE value in
 * [-2^(shift-1), 2^(shift-1)) (contract/tosa_rescale.ts); round = 2^(shift-1), and with double_round and
 * shift > 31 it moves by +-2^30 (toward the value's sign); result = (value * multiplier + round) >> shift
 * (arithmetic, exact in int64). Integer domain: int32 value, int64 product, exact bigints here.
 */
export function applyScale32(what: string, value: bigint, multiplier: bigint, shift: number, doubleRound: boolean): bigint {
  assertApplyScale32Value(what, Number(value), shift);
  let round = 1n << BigInt(shift - 1);
  if (doubleRound && shift > 31) round += value >= 0n ? 1n << 30n : -(1n << 30n);
  return Rational.of(value * multiplier + round, 1n << BigInt(shift)).floor();
}

/** RESCALE of one conv accumulator: the int32 bias add, apply_scale_32, then + output_zp and clip. */
export function rescaleTosa(acc: bigint, p: TosaParams, policy: Int32Policy, doubleRound: boolean): bigint {
  const value = int32Add(acc, p.bias, policy);
  return addZeroPointAndClamp(applyScale32('quantized_conv2d', value, p.multiplier, p.shift, doubleRound), p.c);
}
