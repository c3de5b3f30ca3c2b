/**
 * xnnpack_add@1, fast twin of reference/ops/xnnpack_add.ts (torch 1.13.1 quantized::add / add_relu on the qnnpack
 * engine for qint8, XNNPACK's qs8 add, contract/xnnpack_add.ts): the float32 parameters on doubles rounded to float32,
 * every element's int32 arithmetic exact in doubles (|acc| < 2^31).
 */
import { XNNPACK_ADD, checkIntegerAdd } from '../contract/integer_add_checks.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import type { XnnpackAddAttrs } from '../contract/xnnpack_add.js';
import { integerAddMultipliers } from './integer_add_multipliers.js';
import { POW2 } from './requant/fixed_point.js';

export function xnnpackAdd(a: IntTensor, b: IntTensor, attrs: XnnpackAddAttrs): IntTensor {
  const g = checkIntegerAdd(XNNPACK_ADD, a, b, attrs);
  // XNNPACK's multipliers: shift = 20 - e
  const { aMultiplier: ma, bMultiplier: mb, shift } = integerAddMultipliers(attrs, 20);
  const rounding = POW2[shift - 1] as number;
  const divisor = POW2[shift] as number;
  const { aZeroPoint: za, bZeroPoint: zb, zeroPoint: z } = attrs;
  const { outMin, outMax } = g;
  const y = new Int32Array(a.data.length);
  for (let i = 0; i < y.length; i++) {
    // (acc + 2^(shift - 1)) >> shift: the arithmetic shift floors, so halves go toward +inf
    const v = Math.floor((ma * ((a.data[i] as number) - za) + mb * ((b.data[i] as number) - zb) + rounding) / divisor) + z;
    y[i] = v < outMin ? outMin : v > outMax ? outMax : v;
  }
  return intTensor('qint8', a.shape, y);
}
