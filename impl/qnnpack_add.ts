/**
 * qnnpack_add@1, fast twin of reference/ops/qnnpack_add.ts (torch 1.13.1 quantized::add / add_relu on the qnnpack engine
 * for quint8, contract/qnnpack_add.ts): the float32 parameters on doubles rounded to float32, every element's int32
 * arithmetic exact in doubles (|acc| < 2^31).
 */
import type { QnnpackAddAttrs } from '../contract/qnnpack_add.js';
import { QNNPACK_ADD, checkIntegerAdd } from '../contract/integer_add_checks.js';
import { qnnpackAddScalarLoopStart, qnnpackAddShiftOperands } from '../contract/qnnpack_add_shift.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import { integerAddMultipliers } from './integer_add_multipliers.js';
import { shiftHalfAway } from './requant/fixed_point.js';

/** acc / 2^count floored plus the remainder test of the x86 shifts (contract/qnnpack_add_shift.ts), for shift >= 32. */
function wideShifted(acc: number, shift: number, scalarLoop: boolean): number {
  const { count, mask, threshold } = qnnpackAddShiftOperands(shift, scalarLoop);
  const remainder = (acc & mask) - (acc < 0 ? 1 : 0);
  return Math.floor(acc / 2 ** count) + (remainder > threshold ? 1 : 0);
}

export function qnnpackAdd(a: IntTensor, b: IntTensor, attrs: QnnpackAddAttrs): IntTensor {
  const g = checkIntegerAdd(QNNPACK_ADD, a, b, attrs);
  // QNNPACK's multipliers: shift = 21 - e
  const { aMultiplier: ma, bMultiplier: mb, shift } = integerAddMultipliers(attrs, 21);
  const scalarFrom = qnnpackAddScalarLoopStart(a.data.length);
  const { aZeroPoint: za, bZeroPoint: zb, zeroPoint: z } = attrs;
  const { outMin, outMax } = g;
  const y = new Int32Array(a.data.length);
  for (let i = 0; i < y.length; i++) {
    const acc = ma * ((a.data[i] as number) - za) + mb * ((b.data[i] as number) - zb);
    const q = shift < 32 ? shiftHalfAway(acc, shift) : wideShifted(acc, shift, i >= scalarFrom);
    const v = q + z;
    y[i] = v < outMin ? outMin : v > outMax ? outMax : v;
  }
  return intTensor('quint8', a.shape, y);
}
