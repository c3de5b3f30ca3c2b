import { Rational, bitLength, floorLog2 } from './rational.js';
import { BINARY32, BINARY64, type FloatFormat, type IeeeValue, DEFAULT_NAN, finite, infinity, nan, quieted } from './ieee_value.js';
import { roundQuotientToFormat, roundToFormat } from './round_to_format.js';

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

/** IEEE 754 negate (C unary minus; xorps with the sign mask): flips the sign bit only, no rounding, a NaN keeps its payload. Exact domain. */
export function ieeeNeg(a: IeeeValue): IeeeValue {
  if (a.kind === 'nan') return nan(!a.negative, a.fraction); // negation flips the sign bit only (xorps)
  if (a.kind === 'infinity') return infinity(!a.negative);
  return finite(a.value.neg(), !a.negative);
}

/** a - b: a + (-b), except that a NaN b propagates with its own sign (subss does not negate its operand). */
export function ieeeSub(a: IeeeValue, b: IeeeValue, fmt: FloatFormat): IeeeValue {
  if (a.kind === 'nan') return quieted(a);
  if (b.kind === 'nan') return quieted(b);
  return ieeeAdd(a, ieeeNeg(b), fmt);
}

/** IEEE 754 multiplication in `fmt` (mulss / mulsd, C `*`): the exact product rounded once by roundToFormat; 0 * inf is invalid (DEFAULT_NAN); the sign is the XOR of the operands'. */
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

/** IEEE 754 division in `fmt` (divss / divsd, C `/`): the exact quotient rounded once; x / 0 is a signed infinity, 0 / 0 and inf / inf invalid (DEFAULT_NAN). */
export function ieeeDiv(a: IeeeValue, b: IeeeValue, fmt: FloatFormat): IeeeValue {
  if (a.kind === 'nan') return quieted(a); // x86: the first NaN operand propagates, quieted
  if (b.kind === 'nan') return quieted(b);
  const negative = a.negative !== b.negative;
  if (a.kind === 'infinity') return b.kind === 'infinity' ? DEFAULT_NAN : infinity(negative);
  if (b.kind === 'infinity') return finite(Rational.ZERO, negative);
  if (b.value.isZero()) return a.value.isZero() ? DEFAULT_NAN : infinity(negative);
  const [num, den] = a.value.quotientTerms(b.value);
  return roundQuotientToFormat(num, den, fmt, negative);
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

/** floor(sqrt(n)) for n >= 0 (Newton's iteration on bigints, from above). */
function integerSqrt(n: bigint): bigint {
  if (n < 2n) return n;
  let x = 1n << BigInt(Math.ceil(bitLength(n) / 2));
  for (;;) {
    const next = (x + n / x) >> 1n;
    if (next >= x) return x;
    x = next;
  }
}

/**
 * IEEE 754 squareRoot in `fmt` with roundTiesToEven (sqrtss / sqrtsd): sqrt(+-0) = +-0, sqrt(+inf) = +inf, a NaN
 * propagates quieted, a negative operand is invalid (DEFAULT_NAN). The root of the exact rational x is found as the
 * integer root r = floor(sqrt(x 4^k)) with k chosen so that r has at least p + 2 bits; when x 4^k is not a perfect
 * square the root lies strictly between r and r + 1, where no rounding boundary of `fmt` falls (they are integers at
 * that scale), so (r + 1/2) / 2^k rounds as the root does.
 */
export function ieeeSqrt(a: IeeeValue, fmt: FloatFormat): IeeeValue {
  if (a.kind === 'nan') return quieted(a);
  if (a.kind === 'infinity') return a.negative ? DEFAULT_NAN : a;
  if (a.value.isZero()) return a;
  if (a.value.sign() < 0) return DEFAULT_NAN;
  const k = fmt.precision + 3 - Math.floor(floorLog2(a.value) / 2);
  const scaled = a.value.mul(Rational.pow2(2 * k));
  const n = scaled.floor();
  const r = integerSqrt(n);
  const exact = scaled.isInteger() && r * r === n;
  const root = exact ? Rational.of(r).div(Rational.pow2(k)) : Rational.of(2n * r + 1n).div(Rational.pow2(k + 1));
  return roundToFormat(root, fmt);
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
/** float32 a - b (subss), one rounding. */
export const f32Sub = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeSub(a, b, BINARY32);
/** float32 a * b (mulss), one rounding. */
export const f32Mul = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeMul(a, b, BINARY32);
/** float32 a / b (divss), one rounding. */
export const f32Div = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeDiv(a, b, BINARY32);
/** float32 square root (sqrtss; also float(sqrt(double(x))), whose double rounding is innocuous). */
export const f32Sqrt = (a: IeeeValue): IeeeValue => ieeeSqrt(a, BINARY32);
/** (float)x of a double (cvtsd2ss): one rounding to nearest even; NaN keeps its top fraction bits. */
export const toF32 = (a: IeeeValue): IeeeValue => convertFormat(a, BINARY32);
/** (float)n of an integer (cvtsi2ss, cvtdq2ps): one rounding to nearest even, exact below 2^24. */
export const intToF32 = (n: bigint): IeeeValue => fromInteger(n, BINARY32);
/** float32 fused multiply-add (_mm256_fmadd_ps): a * b + c rounded once. */
export const f32Fma = (a: IeeeValue, b: IeeeValue, c: IeeeValue): IeeeValue => ieeeFma(a, b, c, BINARY32);

/** float64 shorthands: one C++ `double` (or Python float) operation each. */
export const f64Add = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeAdd(a, b, BINARY64);
/** double a * b (mulsd; Python float *), one rounding. */
export const f64Mul = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeMul(a, b, BINARY64);
/** double a - b (subsd; Python float -), one rounding. */
export const f64Sub = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeSub(a, b, BINARY64);
/** double a / b (divsd; Python float /), one rounding. */
export const f64Div = (a: IeeeValue, b: IeeeValue): IeeeValue => ieeeDiv(a, b, BINARY64);
/** (double)n of an integer (cvtsi2sd; Python float(int)): one rounding to nearest even, exact below 2^53. */
export const intToF64 = (n: bigint): IeeeValue => fromInteger(n, BINARY64);
/**
 * (float)(1.0 / s) of a double s: one double division, then one rounding to float32 (two roundings, not the
 * float32 1.0f / (float)s). torch's reciprocal scales for ideep / oneDNN (qconv.cpp, qlinear_dynamic.cpp) and the
 * decomposed quantize's `1.0 / scale` take this form.
 */
export const f32OfF64Reciprocal = (s: IeeeValue): IeeeValue => toF32(f64Div(finite(Rational.ONE), s));
