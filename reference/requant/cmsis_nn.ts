/**
 * cmsis-nn@1: Arm CMSIS-NN arm_convolve_s8 with the default (C, double rounding) arm_nn_requantize.
 * Sources (requantization-schemes.md §13): Include/arm_nnsupportfunctions.h arm_nn_requantize,
 * arm_nn_doubling_high_mult_no_sat, arm_nn_divide_by_power_of_two; multipliers from TFLM QuantizeMultiplier.
 */
import { wrapInt32 } from '../exact/x86_conversions.js';
import { roundShiftHalfAway, roundShiftHalfUp } from './fixed_point.js';
import { int32Add } from './int32_add.js';
import { addZeroPointAndClamp } from './output.js';
import { type TfliteParams, prepareTflite } from './tflite_double_rounding.js';
import type { Int32Policy, RequantRef } from './types.js';

/**
 * divide_by_power_of_two(doubling_high_mult_no_sat(val * (1 << LEFT_SHIFT(shift)), m), RIGHT_SHIFT(shift)):
 * like TFLite's double rounding, but the high multiply does not saturate (INT32_MIN * INT32_MIN wraps
 * to INT32_MIN through the (int32_t) cast); then + out_offset and the activation clamp. CMSIS-NN writes
 * `sum += out_offset` on int32 (signed overflow in C where the result lies within |out_offset| of +-2^31); qconform
 * cannot run CMSIS-NN, so this unverified scheme keeps the exact add (output.ts addZeroPointAndClamp) where the tflite
 * schemes wrap as LiteRT.js was measured to (output.ts tfliteOutputStage).
 */
function requantize(acc: bigint, p: TfliteParams, policy: Int32Policy): bigint {
  const x = int32Add(acc, p.bias, policy);
  const shifted = wrapInt32(x << BigInt(Math.max(p.e, 0)));
  const high = wrapInt32(roundShiftHalfUp(shifted * p.m, 31));
  return addZeroPointAndClamp(roundShiftHalfAway(high, Math.max(-p.e, 0)), p.c);
}

export const cmsisNn: RequantRef<TfliteParams> = { prepare: (c) => prepareTflite(c, false), requantize };
