/**
 * Fast twin of reference/ops/integer_add_multipliers.ts: the integer multipliers of the qnnpack engine's adds
 * (QNNPACK's, 21 bits; XNNPACK's, 20 bits), the float32 ratios on doubles rounded to float32.
 */
import type { BinaryQparams } from '../contract/quantized_add.js';
import { f32Div, lrintfToInt } from './float32.js';

/** The unbiased exponent of a positive normal float32 x: floor(log2 x). */
function exponentOf(x: number): number {
  let e = Math.floor(Math.log2(x));
  // Math.log2 may round across a power of two: settle e so that 2^e <= x < 2^(e + 1)
  if (2 ** e > x) e--;
  else if (2 ** (e + 1) <= x) e++;
  return e;
}

/** lrintf(r 2^shift) for r_a, r_b and shift = bits - the exponent of the larger ratio. */
export function integerAddMultipliers(attrs: BinaryQparams, bits: number): { readonly aMultiplier: number; readonly bMultiplier: number; readonly shift: number } {
  const s = Math.fround(attrs.scale);
  const ra = f32Div(Math.fround(attrs.aScale), s);
  const rb = f32Div(Math.fround(attrs.bScale), s);
  const shift = bits - exponentOf(Math.max(ra, rb));
  // the product is exact (a power of two), the conversion rounds half to even
  return { aMultiplier: lrintfToInt(ra * 2 ** shift), bMultiplier: lrintfToInt(rb * 2 ** shift), shift };
}
