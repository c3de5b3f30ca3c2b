/** TOSA RESCALE (apply_scale_32) and its multiplier, fast twin of reference/requant/tosa_rescale.ts. */
import { QconformError } from '../../contract/errors.js';
import { assertEffectiveScaleFinite } from '../../contract/effective_scale_finite.js';
import { assertApplyScale32Value } from '../../contract/tosa_rescale.js';
import { POW2, mulAddShift } from './fixed_point.js';
import { int32Add } from './int32_add.js';
import { addZeroPointAndClamp } from './output.js';
import { roundedMantissa31, tfliteEffectiveScale } from './tflite_multiplier.js';
import { type ChannelQuantF, type Int32Policy, int32Bias } from './types.js';

export interface TosaParamsF {
  readonly multiplier: number;
  readonly shift: number;
  readonly bias: number;
  readonly c: ChannelQuantF;
}

/** computeMultiplierAndShiftTosaScale32 (MLIR): half-away mantissa, shift = 31 - e, capped at 62 by shifting the multiplier; shift < 2 refused; 0 is multiplier 0, shift 31; +inf and NaN refused (contract/effective_scale_finite.ts). */
export function prepareTosa(c: ChannelQuantF): TosaParamsF {
  const scale = tfliteEffectiveScale(c);
  assertEffectiveScaleFinite('tosa', scale);
  const r = roundedMantissa31(scale);
  let multiplier = r.m;
  const e = r.e;
  let shift = 31 - e;
  if (shift > 62) {
    multiplier = Math.floor(multiplier / 2 ** Math.min(31, shift - 62));
    shift = 62;
  }
  if (shift < 2) throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: TOSA rescale shift', shift, 'apply_scale_32 REQUIREs 2 <= shift <= 62 (scale < 2^29)');
  return { multiplier, shift, bias: int32Bias(c), c };
}

/** apply_scale_32 (fast twin): REQUIRE value in [-2^(s-1), 2^(s-1)); (value m + round) >> s with round = 2^(s-1) (+-2^30 for double_round, s > 31). */
export function applyScale32(what: string, value: number, multiplier: number, shift: number, doubleRound: boolean): number {
  assertApplyScale32Value(what, value, shift);
  const half = POW2[shift - 1] as number;
  const round = doubleRound && shift > 31 ? half + (value >= 0 ? 2 ** 30 : -(2 ** 30)) : half;
  return mulAddShift(value, multiplier, round, shift);
}

/** RESCALE of one conv accumulator: int32 bias add, apply_scale_32, + zp, clip. */
export function rescaleTosa(acc: number, p: TosaParamsF, policy: Int32Policy, doubleRound: boolean): number {
  return addZeroPointAndClamp(applyScale32('quantized_conv2d', int32Add(acc, p.bias, policy), p.multiplier, p.shift, doubleRound), p.c);
}
