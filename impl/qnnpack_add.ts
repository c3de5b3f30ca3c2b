/**
 * qnnpack_add@1, fast twin of reference/ops/qnnpack_add.ts (torch 1.13.1 quantized::add / add_relu on the qnnpack engine
 * for quint8, contract/qnnpack_add.ts): the float32 parameters on doubles rounded to float32, every element's int32
 * arithmetic exact in doubles (|acc| < 2^31).
 */
import type { QnnpackAddAttrs } from '../contract/qnnpack_add.js';
import { checkQnnpackAdd } from '../contract/qnnpack_add_checks.js';
import { qnnpackAddScalarLoopStart, qnnpackAddShiftOperands } from '../contract/qnnpack_add_shift.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import { f32Div, lrintfToInt } from './float32.js';
import { shiftHalfAway } from './requant/fixed_point.js';

/** The unbiased exponent of a positive normal float32 x: floor(log2 x). */
function exponentOf(x: number): number {
  let e = Math.floor(Math.log2(x));
  // Math.log2 may round across a power of two: settle e so that 2^e <= x < 2^(e + 1)
  if (2 ** e > x) e--;
  else if (2 ** (e + 1) <= x) e++;
  return e;
}

/** acc / 2^count floored plus the remainder test of the x86 shifts (contract/qnnpack_add_shift.ts), for shift >= 32. */
function wideShifted(acc: number, shift: number, scalarLoop: boolean): number {
  const { count, mask, threshold } = qnnpackAddShiftOperands(shift, scalarLoop);
  const remainder = (acc & mask) - (acc < 0 ? 1 : 0);
  return Math.floor(acc / 2 ** count) + (remainder > threshold ? 1 : 0);
}

export function qnnpackAdd(a: IntTensor, b: IntTensor, attrs: QnnpackAddAttrs): IntTensor {
  const g = checkQnnpackAdd(a, b, attrs);
  const s = Math.fround(attrs.scale);
  const ra = f32Div(Math.fround(attrs.aScale), s);
  const rb = f32Div(Math.fround(attrs.bScale), s);
  const shift = 21 - exponentOf(Math.max(ra, rb));
  // lrintf(r * 2^shift): the product is exact (a power of two), the conversion rounds half to even
  const ma = lrintfToInt(ra * 2 ** shift);
  const mb = lrintfToInt(rb * 2 ** shift);
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
