import { Rational, floorLog2 } from './rational.js';
import { roundRational } from './rounding.js';
import { type FloatFormat, type IeeeValue, finite, infinity } from './ieee_value.js';

/**
 * Round an exact rational to the nearest value of `fmt` (IEEE roundTiesToEven), the one rounding
 * every f32(...) and f64(...) step of the reference goes through. Exact domain in, `fmt` out:
 * subnormals keep the fixed quantum 2^(emin-p+1), values at or beyond the overflow threshold become
 * infinity, and a result that rounds to zero keeps the sign of `r` (or `negativeZero` for r = 0).
 */
export function roundToFormat(r: Rational, fmt: FloatFormat, negativeZero = false): IeeeValue {
  if (r.isZero()) return finite(Rational.ZERO, negativeZero);
  const negative = r.sign() < 0;
  const exponent = Math.max(floorLog2(r), fmt.emin);
  const quantum = Rational.pow2(exponent - (fmt.precision - 1));
  const significand = roundRational(r.abs().div(quantum), 'half_even');
  if (significand === 0n) return finite(Rational.ZERO, negative);
  const magnitude = Rational.fromInt(significand).mul(quantum);
  if (magnitude.cmp(Rational.pow2(fmt.emax + 1)) >= 0) return infinity(negative);
  return finite(negative ? magnitude.neg() : magnitude);
}

/** True when the rational is exactly a finite value of `fmt`. */
export function isRepresentable(r: Rational, fmt: FloatFormat): boolean {
  const v = roundToFormat(r, fmt);
  return v.kind === 'finite' && v.value.eq(r);
}
