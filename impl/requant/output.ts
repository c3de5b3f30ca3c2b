import { tfliteInt8KernelShift } from '../../contract/tflite_output_stage.js';
import { clampInt, wrapInt32 } from '../float32.js';
import type { ChannelQuantF } from './types.js';

/** `r + zero_point` then the clamp to [outMin, outMax], the add exact (cmsis-nn@1, the tosa schemes; fast twin of reference/requant/output.ts). */
export function addZeroPointAndClamp(r: number, c: ChannelQuantF): number {
  return clampInt(r + c.yZeroPoint, c.outMin, c.outMax);
}

/** TFLite's `acc += output_offset` as an int32 add that wraps, then the clamp (reference/requant/output.ts); r and the zero point are int32, so the double sum is exact. */
export function addZeroPointInt32AndClamp(r: number, zeroPoint: number, lo: number, hi: number): number {
  return clampInt(wrapInt32(r + zeroPoint), lo, hi);
}

/** The tflite schemes' last step on a conv channel: addZeroPointInt32AndClamp in the output dtype's int8 kernel (contract/tflite_output_stage.ts). */
export function tfliteOutputStage(r: number, c: ChannelQuantF): number {
  const k = tfliteInt8KernelShift(c.outMax);
  return addZeroPointInt32AndClamp(r, c.yZeroPoint - k, c.outMin - k, c.outMax - k) + k;
}

/** int16 saturation (packs_epi32 / adds_epi16). */
export function sat16(v: number): number {
  return clampInt(v, -32768, 32767);
}

/** _mm_min_ps(_mm_max_ps(v, lo), hi): a NaN v gives lo (reference/requant/float_clamp.ts). */
export function clampFloat(v: number, lo: number, hi: number): number {
  const atLeastLo = v > lo ? v : lo;
  return atLeastLo < hi ? atLeastLo : hi;
}
