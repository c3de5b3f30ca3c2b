/**
 * requantize@1 (contract/requantize.ts), exact: each accumulator through the scheme's
 * MultiplyByQuantizedMultiplier of reference/requant/, then the zero point and the clamp, on bigints.
 */
import { type RequantizeArgs, checkRequantize, isTosaRequantize } from '../contract/requantize.js';
import { tosaRightShift } from '../contract/tosa_rescale.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import { clampInt } from './exact/x86_conversions.js';
import { multiplyByQuantizedMultiplierDoubleRounding } from './requant/tflite_double_rounding.js';
import { multiplyByQuantizedMultiplierSingleRounding } from './requant/tflite_single_rounding.js';
import { applyScale32 } from './requant/tosa_rescale.js';

/**
 * requantize@1: y = clamp(MultiplyByQuantizedMultiplier(acc, multiplier, shift) + zero_point, output_min,
 * output_max) per element (TFLite common.h, the scheme's variant; for the tosa schemes TOSA RESCALE's
 * apply_scale_32(acc, multiplier, 31 - shift, double_round) in its place). Exact integer domain throughout: the
 * zero point is added without wrap, the clamp is on bigints.
 */
export function requantize(a: RequantizeArgs): IntTensor {
  const scheme = checkRequantize(a);
  const m = BigInt(a.multiplier);
  const s = tosaRightShift(a.shift);
  const mbqm: (acc: bigint, m: bigint, shift: number) => bigint = isTosaRequantize(scheme)
    ? (acc) => applyScale32('requantize', acc, m, s, scheme === 'tosa-double-round@1')
    : scheme === 'tflite-double-rounding@1'
      ? multiplyByQuantizedMultiplierDoubleRounding
      : multiplyByQuantizedMultiplierSingleRounding;
  const [zp, lo, hi] = [BigInt(a.zeroPoint), BigInt(a.outputMin), BigInt(a.outputMax)];
  const y = Array.from(a.acc.data, (acc) => Number(clampInt(mbqm(BigInt(acc), m, a.shift) + zp, lo, hi)));
  return intTensor('int32', a.acc.shape, y);
}
