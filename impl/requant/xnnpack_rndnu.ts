/** xnnpack-rndnu@1, fast twin of reference/requant/xnnpack_rndnu.ts (xnn_qu8_requantize_rndnu). */
import { float32BitsOf } from '../../contract/float_bits.js';
import { clampInt } from '../float32.js';
import { mulShiftHalfUp } from './fixed_point.js';
import { int32Add } from './int32_add.js';
import { type ChannelQuantF, type Int32Policy, type RequantImpl, int32Bias } from './types.js';
import { xnnpackScale } from './xnnpack_scale.js';

export interface RndnuParamsF {
  readonly multiplier: number;
  readonly shift: number;
  readonly bias: number;
  readonly lo: number;
  readonly hi: number;
  readonly zeroPoint: number;
}

/** From the float32 bits: m24 = (bits & 0x7FFFFF) | 0x800000, shift = 127 + 23 - (bits >> 23), on a scale in [2^-32, 256) (contract/xnnpack_scale.ts). */
function prepare(c: ChannelQuantF): RndnuParamsF {
  const bits = float32BitsOf(xnnpackScale(c, 'xnnpack-rndnu@1'));
  const shift = 127 + 23 - (bits >>> 23);
  return { multiplier: (bits & 0x7fffff) | 0x800000, shift, bias: int32Bias(c), lo: c.outMin - c.yZeroPoint, hi: c.outMax - c.yZeroPoint, zeroPoint: c.yZeroPoint };
}

function requantize(acc: number, p: RndnuParamsF, policy: Int32Policy): number {
  return clampInt(mulShiftHalfUp(int32Add(acc, p.bias, policy), p.multiplier, p.shift), p.lo, p.hi) + p.zeroPoint;
}

export const requant__xnnpack_rndnu: RequantImpl<RndnuParamsF> = { prepare, requantize };
