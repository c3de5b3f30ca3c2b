/**
 * requantize@1 (spec/requantize.ts), exact: each accumulator through the scheme's
 * MultiplyByQuantizedMultiplier of reference/requant/, then the zero point and the clamp, on bigints.
 */
import { type RequantizeArgs, checkRequantize } from '../spec/requantize.js';
import { type IntTensor, intTensor } from '../spec/tensor.js';
import { multiplyByQuantizedMultiplierDoubleRounding } from './requant/tflite_double_rounding.js';
import { multiplyByQuantizedMultiplierSingleRounding } from './requant/tflite_single_rounding.js';

export function requantize(a: RequantizeArgs): IntTensor {
  const scheme = checkRequantize(a);
  const mbqm = scheme === 'tflite-double-rounding@1' ? multiplyByQuantizedMultiplierDoubleRounding : multiplyByQuantizedMultiplierSingleRounding;
  const m = BigInt(a.multiplier);
  const [zp, lo, hi] = [BigInt(a.zeroPoint), BigInt(a.outputMin), BigInt(a.outputMax)];
  const y = Array.from(a.acc.data, (acc) => {
    const v = mbqm(BigInt(acc), m, a.shift) + zp;
    return Number(v < lo ? lo : v > hi ? hi : v);
  });
  return intTensor('int32', a.acc.shape, y);
}
