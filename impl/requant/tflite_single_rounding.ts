/** tflite-single-rounding@1, fast twin of reference/requant/tflite_single_rounding.ts (TFLITE_SINGLE_ROUNDING, ruy). */
import { mulShiftHalfUp } from './fixed_point.js';
import { int32Add } from './int32_add.js';
import { tfliteOutputStage } from './output.js';
import { type TfliteParamsF, prepareTflite } from './tflite_double_rounding.js';
import type { Int32Policy, RequantImpl } from './types.js';

/**
 * (int32_t)RHU(x m, 31 - e) (before + zp and the clamp); the cast keeps the low 32 bits. With a shift >= 16 the result
 * is below 2^47, exact in a double, and `| 0` is that cast; smaller shifts (multipliers above 2^15) can
 * reach 2^61 and go through BigInt.
 */
export function mbqmSingleRounding(x: number, m: number, s: number): number {
  return s >= 16 ? mulShiftHalfUp(x, m, s) | 0 : Number(BigInt.asIntN(32, (BigInt(x) * BigInt(m) + (1n << BigInt(s - 1))) >> BigInt(s)));
}

/** MBQM_S(acc + bias), then + zp (int32, wraps) and the clamp (tfliteOutputStage). */
function requantize(acc: number, p: TfliteParamsF, policy: Int32Policy): number {
  return tfliteOutputStage(mbqmSingleRounding(int32Add(acc, p.bias, policy), p.m, p.totalShift), p.c);
}

export const requant__tflite_single_rounding: RequantImpl<TfliteParamsF> = { prepare: (c) => prepareTflite(c, true), requantize };
