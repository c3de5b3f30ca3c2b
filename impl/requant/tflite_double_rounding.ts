/** tflite-double-rounding@1, fast twin of reference/requant/tflite_double_rounding.ts (MultiplyByQuantizedMultiplier, default build). */
import { doublingHighMul, shiftHalfAway, shiftLeftWrap } from './fixed_point.js';
import { int32Add } from './int32_add.js';
import { tfliteOutputStage } from './output.js';
import { quantizeMultiplier, tfliteEffectiveScale } from './tflite_multiplier.js';
import { type ChannelQuantF, type Int32Policy, type RequantImpl, int32Bias } from './types.js';

export interface TfliteParamsF {
  readonly m: number;
  readonly left: number;
  readonly right: number;
  /** 31 - e, the single-rounding shift */
  readonly totalShift: number;
  readonly bias: number;
  readonly c: ChannelQuantF;
}

export function prepareTflite(c: ChannelQuantF, singleRounding: boolean): TfliteParamsF {
  const { m, e } = quantizeMultiplier(tfliteEffectiveScale(c), singleRounding);
  return { m, left: Math.max(e, 0), right: Math.max(-e, 0), totalShift: 31 - e, bias: int32Bias(c), c };
}

/** RDBPOT(SRDHM(wrap32(x << left), m), right), left = max(e, 0), right = max(-e, 0); also requantize@1's arithmetic. */
export function mbqmDoubleRounding(x: number, m: number, left: number, right: number): number {
  return shiftHalfAway(doublingHighMul(shiftLeftWrap(x, left), m), right);
}

/** MBQM_D(acc + bias), then + zp (int32, wraps) and the clamp (tfliteOutputStage). */
function requantize(acc: number, p: TfliteParamsF, policy: Int32Policy): number {
  return tfliteOutputStage(mbqmDoubleRounding(int32Add(acc, p.bias, policy), p.m, p.left, p.right), p.c);
}

export const requant__tflite_double_rounding: RequantImpl<TfliteParamsF> = { prepare: (c) => prepareTflite(c, false), requantize };
