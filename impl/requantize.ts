/** requantize@1 (contract/requantize.ts), fast twin of reference/requantize.ts: one pass over an Int32Array (TFLite MBQM and its wrapping zero-point add, or TOSA apply_scale_32 and an exact one). */
import { type RequantizeArgs, checkRequantize, isTosaRequantize } from '../contract/requantize.js';
import { tosaRightShift } from '../contract/tosa_rescale.js';
import type { IntTensor } from '../contract/tensor.js';
import { clampInt } from './float32.js';
import { addZeroPointInt32AndClamp } from './requant/output.js';
import { mbqmDoubleRounding } from './requant/tflite_double_rounding.js';
import { mbqmSingleRounding } from './requant/tflite_single_rounding.js';
import { applyScale32 } from './requant/tosa_rescale.js';

export function requantize(a: RequantizeArgs): IntTensor {
  const scheme = checkRequantize(a);
  const { multiplier: m, shift, zeroPoint, outputMin, outputMax } = a;
  const doubleRounding = scheme === 'tflite-double-rounding@1' || scheme === 'tosa-double-round@1';
  const tosa = isTosaRequantize(scheme);
  const tosaShift = tosaRightShift(shift);
  const left = Math.max(shift, 0);
  const right = Math.max(-shift, 0);
  const totalShift = 31 - shift;
  const y = new Int32Array(a.acc.data.length);
  for (let i = 0; i < y.length; i++) {
    const x = a.acc.data[i] as number;
    if (tosa) y[i] = clampInt(applyScale32('requantize', x, m, tosaShift, doubleRounding) + zeroPoint, outputMin, outputMax);
    else y[i] = addZeroPointInt32AndClamp(doubleRounding ? mbqmDoubleRounding(x, m, left, right) : mbqmSingleRounding(x, m, totalShift), zeroPoint, outputMin, outputMax);
  }
  return { dtype: 'int32', shape: [...a.acc.shape], data: y };
}
