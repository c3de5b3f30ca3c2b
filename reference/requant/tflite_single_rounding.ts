/**
 * tflite-single-rounding@1: TFLite built with TFLITE_SINGLE_ROUNDING=1, and ruy (TFLite's optimized int8
 * conv/FC path). Sources (requantization-schemes.md §4c): tensorflow/lite/kernels/internal/common.cc
 * MultiplyByQuantizedMultiplier (single rounding branch), ruy/apply_multiplier.cc.
 */
import { wrapInt32 } from '../exact/x86_conversions.js';
import { roundShiftHalfUp } from './fixed_point.js';
import { int32Add } from './int32_add.js';
import { tfliteOutputStage } from './output.js';
import { type TfliteParams, prepareTflite } from './tflite_double_rounding.js';
import type { Int32Policy, RequantRef } from './types.js';

/**
 * MBQM_S(x, m, e) = (int32_t)RHU(x * m, 31 - e): one rounding, half up, of the exact 64-bit product
 * (the int64 shift is exact); the cast to int32 keeps the low 32 bits (only a DCHECK guards it).
 * Also requantize@1's arithmetic.
 */
export function multiplyByQuantizedMultiplierSingleRounding(x: bigint, m: bigint, e: number): bigint {
  return wrapInt32(roundShiftHalfUp(x * m, 31 - e));
}

/** acc += bias (int32); MBQM_S; then acc += output_offset (int32, wraps) and the clamp (ruy's StandardCpp kernel, ruy/kernel.h: output.ts tfliteOutputStage). Exact integers. */
function requantize(acc: bigint, p: TfliteParams, policy: Int32Policy): bigint {
  return tfliteOutputStage(multiplyByQuantizedMultiplierSingleRounding(int32Add(acc, p.bias, policy), p.m, p.e), p.c);
}

export const tfliteSingleRounding: RequantRef<TfliteParams> = { prepare: (c) => prepareTflite(c, true), requantize };
