/** cmsis-nn@1, fast twin of reference/requant/cmsis_nn.ts (arm_nn_requantize, default C double rounding, no saturation). */
import { mulShiftHalfUp, shiftHalfAway, shiftLeftWrap } from './fixed_point.js';
import { int32Add } from './int32_add.js';
import { addZeroPointAndClamp } from './output.js';
import { type TfliteParamsF, prepareTflite } from './tflite_double_rounding.js';
import type { Int32Policy, RequantImpl } from './types.js';

/** divide_by_power_of_two((int32)RHU(wrap32(x << left) m, 31), right) + out_offset, clamped. */
function requantize(acc: number, p: TfliteParamsF, policy: Int32Policy): number {
  const x = int32Add(acc, p.bias, policy);
  const high = mulShiftHalfUp(shiftLeftWrap(x, p.left), p.m, 31) | 0;
  return addZeroPointAndClamp(shiftHalfAway(high, p.right), p.c);
}

export const requant__cmsis_nn: RequantImpl<TfliteParamsF> = { prepare: (c) => prepareTflite(c, false), requantize };
