import { Rational, floorLog2Quotient } from './rational.js';
import { roundQuotient } from './rounding.js';
import { type FloatFormat, type IeeeValue, finite, infinity } from './ieee_value.js';

/**
 * Round an exact rational to the nearest value of `fmt` (IEEE roundTiesToEven), the one rounding
 * every f32(...) and f64(...) step of the reference goes through. Exact domain in, `fmt` out:
 * subnormals keep the fixed quantum 2^(emin-p+1), values at or beyond the overflow threshold become
 * infinity, and a result that rounds to zero keeps the sign of `r` (or `negativeZero` for r = 0).
 */
export function roundToFormat(r: Rational, fmt: FloatFormat, negativeZero = false): IeeeValue {
  return roundQuotientToFormat(r.num, r.den, fmt, negativeZero);
}

/**
 * roundToFormat of num / den (den > 0; the terms need not be reduced, so a quotient is rounded without its gcd).
 * The significand is |num / den| / quantum rounded half to even by roundQuotient, quantum = 2^(exponent - p + 1).
 */
export function roundQuotientToFormat(num: bigint, den: bigint, fmt: FloatFormat, negativeZero = false): IeeeValue {
  if (num === 0n) return finite(Rational.ZERO, negativeZero);
  const negative = num < 0n;
  const absNum = negative ? -num : num;
  const exponent = Math.max(floorLog2Quotient(absNum, den), fmt.emin);
  const shift = fmt.precision - 1 - exponent; // quantum = 2^-shift
  const significand = shift >= 0 ? roundQuotient(absNum << BigInt(shift), den, 'half_even') : roundQuotient(absNum, den << BigInt(-shift), 'half_even');
  if (significand === 0n) return finite(Rational.ZERO, negative);
  // significand * 2^-shift >= 2^(emax + 1) overflows: significand >= 2^(emax + 1 + shift)
  const overflowBits = fmt.emax + 1 + shift;
  if (overflowBits <= 0 || significand >= 1n << BigInt(overflowBits)) return infinity(negative);
  const signed = negative ? -significand : significand;
  return finite(shift >= 0 ? Rational.of(signed, 1n << BigInt(shift)) : Rational.fromInt(signed << BigInt(-shift)));
}

/** True when the rational is exactly a finite value of `fmt`. */
export function isRepresentable(r: Rational, fmt: FloatFormat): boolean {
  const v = roundToFormat(r, fmt);
  return v.kind === 'finite' && v.value.eq(r);
}
