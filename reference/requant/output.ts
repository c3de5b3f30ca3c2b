import { tfliteInt8KernelShift } from '../../contract/tflite_output_stage.js';
import { clampInt, wrapInt32 } from '../exact/x86_conversions.js';
import type { ChannelQuant } from './types.js';

/**
 * The last step of the integer schemes that add the zero point exactly (cmsis-nn@1, the tosa schemes): `r +
 * zero_point` on bigints (no int32 wrap; TOSA's r is below 2^30 in magnitude, so its apply_add_s never overflows), then
 * the clamp to [outMin, outMax].
 */
export function addZeroPointAndClamp(r: bigint, c: ChannelQuant): bigint {
  return clampInt(r + c.yZeroPoint, c.outMin, c.outMax);
}

/**
 * TFLite's `acc += output_offset` after MultiplyByQuantizedMultiplier, then the clamp to [act_min, act_max]
 * (tensorflow/lite/kernels/internal/reference/integer_ops/conv.h ConvPerChannel, optimized/integer_ops/depthwise_conv.h;
 * ruy/kernel.h's StandardCpp kernel, `accum += dst->zero_point()`; gemmlowp internal/output.h
 * OutputStageScaleInt32ByFixedPointAndExponent's Add): an int32 add that wraps (two's complement, wrapInt32; LiteRT.js
 * 2.5.3 and gemmlowp's SSE4.1 output stage measured, contract/tflite_output_stage.ts), then the clamp, exact. Integer
 * domain, bigints. Also requantize@1's last step under the tflite schemes.
 */
export function addZeroPointInt32AndClamp(r: bigint, zeroPoint: bigint, lo: bigint, hi: bigint): bigint {
  return clampInt(wrapInt32(r + zeroPoint), lo, hi);
}

/**
 * The tflite schemes' last step on a conv channel: addZeroPointInt32AndClamp in the int8 kernel that computes the
 * output dtype (contract/tflite_output_stage.ts: a quint8 output is the int8 kernel's with zero point and clamp
 * lowered by 128, moved back by + 128 exactly). Integer domain, bigints.
 */
export function tfliteOutputStage(r: bigint, c: ChannelQuant): bigint {
  const k = BigInt(tfliteInt8KernelShift(Number(c.outMax)));
  return addZeroPointInt32AndClamp(r, c.yZeroPoint - k, c.outMin - k, c.outMax - k) + k;
}

/** sat16: _mm_packs_epi32 / _mm_adds_epi16 saturation to int16. */
export function saturateInt16(v: bigint): bigint {
  return clampInt(v, -32768n, 32767n);
}
