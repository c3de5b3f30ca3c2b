import { Rational } from './rational.js';
import { BINARY32, BINARY64, type FloatFormat, type IeeeValue, DEFAULT_NAN, finite, infinity, nan, quieted } from './ieee_value.js';
import { roundToFormat } from './round_to_format.js';

/**
 * IEEE 754 +, -, *, / in a given format with roundTiesToEven: each operation is computed exactly on
 * rationals and rounded once by roundToFormat, with the standard's special cases (inf - inf, 0 * inf,
 * x / 0, signed zeros). NaNs follow x86 SSE: a NaN operand propagates (the first one if both are NaN),
 * and an invalid operation yields DEFAULT_NAN (sign bit set). A C++ `float` operation is one call with BINARY32.
 */
export function ieeeAdd(a: IeeeValue, b: IeeeValue, fmt: FloatFormat): IeeeValue {
  if (a.kind === 'nan') return quieted(a); // x86: the first NaN operand propagates, quieted
  if (b.kind === 'nan') return quieted(b);
  if (a.kind === 'infinity' || b.kind === 'infinity') {
    if (a.kind === 'infinity' && b.kind === 'infinity') return a.negative === b.negative ? a : DEFAULT_NAN;
    return a.kind === 'infinity' ? a : b;
  }
  const sum = a.value.add(b.value);
  // an exact zero sum is -0 only when both operands are -0 (roundTiesToEven)
  return roundToFormat(sum, fmt, sum.isZero() && a.negative && b.negative);
}

export function ieeeNeg(a: IeeeValue): IeeeValue {
  if (a.kind === 'nan') return nan(!a.negative, a.fraction); // negation flips the sign bit only (xorps)
  if (a.kind === 'infinity') return infinity(!a.negative);
  return finite(a.value.neg(), !a.negative);
}

export function ieeeSub(a: IeeeValue, b: IeeeValue, fmt: FloatFormat): IeeeValue {
  return ieeeAdd(a, ieeeNeg(b), fmt);
}

export function ieeeMul(a: IeeeValue, b: IeeeValue, fmt: FloatFormat): IeeeValue {
  if (a.kind === 'nan') return quieted(a); // x86: the first NaN operand propagates, quieted
  if (b.kind === 'nan') return quieted(b);
  const negative = a.negative !== b.negative;
  if (a.kind === 'infinity' || b.kind === 'infinity') {
    const other = a.kind === 'infinity' ? b : a;
    if (other.kind === 'finite' && other.value.isZero()) return DEFAULT_NAN;
    return infinity(negative);
  }
  return roundToFormat(a.value.mul(b.value), fmt, negative);
}

export function ieeeDiv(a: IeeeValue, b: IeeeValue, fmt: FloatFormat): IeeeValue {
  if (a.kind === 'nan') return quieted(a); // x86: the first NaN operand propagates, quieted
  if (b.kind === 'nan') return quieted(b);
  const negative = a.negative !== b.negative;
  if (a.kind === 'infinity') return b.kind === 'infinity' ? DEFAULT_NAN : infinity(negative);
  if (b.kind === 'infinity') return finite(Rational.ZERO, negative);
  if (b.value.isZero()) return a.value.isZero() ? DEFAULT_NAN : infinity(negative);
  return roundToFormat(a.value.div(b.value), fmt, negative);
}

/**
 * Fused multiply-add a * b + c with one rounding to `fmt` (vfmadd231ps and kin). NaNs propagate in operand order,
 * quieted; 0 * inf and inf - inf are invalid (DEFAULT_NAN); an exact zero result is -0 only when a * b and c are
 * both -0 (roundTiesToEven's sign rule for an exact zero sum).
 */
export function ieeeFma(a: IeeeValue, b: IeeeValue, c: IeeeValue, fmt: FloatFormat): IeeeValue {
  if (a.kind === 'nan') return quieted(a);
  if (b.kind === 'nan') return quieted(b);
  if (c.kind === 'nan') return quieted(c);
  const negative = a.negative !== b.negative;
  if (a.kind === 'infinity' || b.kind === 'infinity') {
    const other = a.kind === 'infinity' ? b : a;
    if (other.kind === 'finite' && other.value.isZero()) return DEFAULT_NAN;
    if (c.kind === 'infinity' && c.negative !== negative) return DEFAULT_NAN;
    return infinity(negative);
  }
  if (c.kind === 'infinity') return c;
  const product = a.value.mul(b.value);
  const sum = product.add(c.value);
  return roundToFormat(sum, fmt, sum.isZero() && product.isZero() && negative && c.negative);
}

/** Convert a value to `fmt` (e.g. (float)double): one rounding; NaN and infinities carry over. */
export function convertFormat(a: IeeeValue, fmt: FloatFormat): IeeeValue {
  if (a.kind === 'nan') return quieted(nan(a.negative, a.fraction & (((1n << BigInt(fmt.precision - 1)) - 1n) << BigInt(53 - fmt.precision))));
  if (a.kind !== 'finite') return a;
  return roundToFormat(a.value, fmt, a.negative);
}

/** Integer to float conversion ((float)int64_t, cvtepi32_ps): rounds to nearest-even above 2^p. */
export function fromInteger(n: bigint, fmt: FloatFormat): IeeeValue {
  return roundToFormat(Rational.fromInt(n), fmt);
}

/** float32 shorthands: one C++ `float` operation each. */
export const f32Add = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeAdd(a, b, BINARY32);
export const f32Sub = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeSub(a, b, BINARY32);
export const f32Mul = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeMul(a, b, BINARY32);
export const f32Div = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeDiv(a, b, BINARY32);
export const toF32 = (a: IeeeValue): IeeeValue => convertFormat(a, BINARY32);
export const intToF32 = (n: bigint): IeeeValue => fromInteger(n, BINARY32);
/** float32 fused multiply-add (_mm256_fmadd_ps): a * b + c rounded once. */
export const f32Fma = (a: IeeeValue, b: IeeeValue, c: IeeeValue): IeeeValue => ieeeFma(a, b, c, BINARY32);

/** float64 shorthands: one C++ `double` (or Python float) operation each. */
export const f64Add = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeAdd(a, b, BINARY64);
export const f64Mul = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeMul(a, b, BINARY64);
export const f64Sub = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeSub(a, b, BINARY64);
export const f64Div = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeDiv(a, b, BINARY64);
export const intToF64 = (n: bigint): IeeeValue => fromInteger(n, BINARY64);
