/**
 * requantize@1 (contract/requantize.ts), exact: each accumulator through the scheme's
 * MultiplyByQuantizedMultiplier of reference/requant/, then the zero point and the clamp, on bigints.
 */
import { type RequantizeArgs, checkRequantize, isTosaRequantize } from '../contract/requantize.js';
import { tosaRightShift } from '../contract/tosa_rescale.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import { clampInt } from './exact/x86_conversions.js';
import { addZeroPointInt32AndClamp } from './requant/output.js';
import { multiplyByQuantizedMultiplierDoubleRounding } from './requant/tflite_double_rounding.js';
import { multiplyByQuantizedMultiplierSingleRounding } from './requant/tflite_single_rounding.js';
import { applyScale32 } from './requant/tosa_rescale.js';

/**
 * requantize@1: y = clamp(MultiplyByQuantizedMultiplier(acc, multiplier, shift) + zero_point, output_min,
 * output_max) per element (TFLite common.h, the scheme's variant; for the tosa schemes TOSA RESCALE's
 * apply_scale_32(acc, multiplier, 31 - shift, double_round) in its place). Integer domain, bigints: under the tflite
 * schemes the zero point is TFLite's `acc += output_offset`, an int32 add that wraps (requant/output.ts
 * addZeroPointInt32AndClamp); under the tosa schemes it is added exactly (apply_scale_32's result is below 2^30 in
 * magnitude and the zero point an 8-bit one's, so TOSA's apply_add_s cannot overflow). The clamp is exact.
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
  const output = isTosaRequantize(scheme) ? (r: bigint) => clampInt(r + zp, lo, hi) : (r: bigint) => addZeroPointInt32AndClamp(r, zp, lo, hi);
  const y = Array.from(a.acc.data, (acc) => Number(output(mbqm(BigInt(acc), m, a.shift))));
  return intTensor('int32', a.acc.shape, y);
}
