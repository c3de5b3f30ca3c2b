/**
 * xnnpack-rndnu@1: XNNPACK "rndnu" (round to nearest, ties up), the qu8 ARM NEON default; the same values
 * as FBGEMM RequantizeFixedPoint. Sources (requantization-schemes.md §8a): src/xnnpack/requantization.h
 * xnn_qu8_requantize_rndnu, src/microparams-init.c xnn_init_qu8_conv_minmax_rndnu_*_params.
 */
import { exactValue } from '../exact/ieee_value.js';
import { floorLog2 } from '../exact/rational.js';
import { Rational } from '../exact/rational.js';
import { clampInt } from '../exact/x86_conversions.js';
import { roundShiftHalfUp } from './fixed_point.js';
import { int32Add } from './int32_add.js';
import { type ChannelQuant, type Int32Policy, type RequantRef, int32Bias } from './types.js';
import { xnnpackScale } from './xnnpack_scale.js';

export interface RndnuParams {
  /** the float32 scale's 24-bit significand (hidden bit included) */
  readonly multiplier: bigint;
  /** 127 + 23 - biased exponent, in [16, 55]; scale = multiplier * 2^-shift exactly */
  readonly shift: number;
  readonly bias: bigint;
  readonly c: ChannelQuant;
}

/** m24 = (bits & 0x7FFFFF) | 0x800000, shift = 127 + 23 - (bits >> 23), on a scale in [2^-32, 256) (contract/xnnpack_scale.ts). */
function prepare(c: ChannelQuant): RndnuParams {
  const scale = exactValue(xnnpackScale(c, 'xnnpack-rndnu@1'));
  const e = floorLog2(scale);
  const shift = 23 - e;
  return { multiplier: scale.mul(Rational.pow2(shift)).floor(), shift, bias: int32Bias(c), c };
}

/** acc = bias + sum (int32); out = clamp(RHU(acc * m24, shift), qmin - zp, qmax - zp) + zp (int64 product, exact). */
function requantize(acc: bigint, p: RndnuParams, policy: Int32Policy): bigint {
  const x = int32Add(acc, p.bias, policy);
  const zp = p.c.yZeroPoint;
  return clampInt(roundShiftHalfUp(x * p.multiplier, p.shift), p.c.outMin - zp, p.c.outMax - zp) + zp;
}

export const xnnpackRndnu: RequantRef<RndnuParams> = { prepare, requantize };
