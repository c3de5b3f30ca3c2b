/**
 * tflite-double-rounding@1: TFLite's default build (and gemmlowp's output stage).
 * Sources (requantization-schemes.md §3-§5): tensorflow/lite/kernels/internal/common.h
 * MultiplyByQuantizedMultiplier (double rounding), reference/integer_ops/conv.h ConvPerChannel,
 * quantization_util.cc QuantizeMultiplier, gemmlowp fixedpoint.h SRDHM + RoundingDivideByPOT.
 */
import { wrapInt32 } from '../exact/x86_conversions.js';
import { roundShiftHalfAway, saturatingRoundingDoublingHighMul } from './fixed_point.js';
import { int32Add } from './int32_add.js';
import { tfliteOutputStage } from './output.js';
import { type QuantizedMultiplier, quantizeMultiplier, tfliteEffectiveScale } from './tflite_multiplier.js';
import { type ChannelQuant, type Int32Policy, type RequantRef, int32Bias } from './types.js';

export interface TfliteParams extends QuantizedMultiplier {
  readonly bias: bigint;
  readonly c: ChannelQuant;
}

/** QuantizeMultiplier(effective_scale) without TFLITE_SINGLE_ROUNDING; the bias is the int32 tensor as given. */
export function prepareTflite(c: ChannelQuant, singleRounding: boolean): TfliteParams {
  return { ...quantizeMultiplier(tfliteEffectiveScale(c), singleRounding), bias: int32Bias(c), c };
}

/**
 * MBQM_D(x, m, e) = RDBPOT(SRDHM(x * 2^max(e,0), m), max(-e,0)): the left shift is an int32 multiply that
 * wraps, SRDHM rounds half up at bit 31, RDBPOT rounds half away from zero. Also requantize@1's arithmetic.
 */
export function multiplyByQuantizedMultiplierDoubleRounding(x: bigint, m: bigint, e: number): bigint {
  const shifted = wrapInt32(x << BigInt(Math.max(e, 0)));
  return roundShiftHalfAway(saturatingRoundingDoublingHighMul(shifted, m), Math.max(-e, 0));
}

/** acc += bias (int32); MBQM_D; then acc += output_offset (int32, wraps) and the clamp to [act_min, act_max] (optimized/integer_ops/depthwise_conv.h: output.ts tfliteOutputStage). Exact integers. */
function requantize(acc: bigint, p: TfliteParams, policy: Int32Policy): bigint {
  return tfliteOutputStage(multiplyByQuantizedMultiplierDoubleRounding(int32Add(acc, p.bias, policy), p.m, p.e), p.c);
}

export const tfliteDoubleRounding: RequantRef<TfliteParams> = { prepare: (c) => prepareTflite(c, false), requantize };
