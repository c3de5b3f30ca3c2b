/**
 * Exact fixed-point primitives of the integer requantization schemes (requantization-schemes.md §1-§4).
 * Exact integer domain: every rounding goes through roundRational, with the direction the C code has.
 */
import { Rational } from '../exact/rational.js';
import { roundRational } from '../exact/rounding.js';

/** RHU(v, n) = floor((v + 2^(n-1)) / 2^n): round half toward +inf (SQRDMULH, SRSHL, `(x + (1 << (n-1))) >> n`); n = 0 is v. */
export function roundShiftHalfUp(v: bigint, n: number): bigint {
  return n === 0 ? v : roundRational(Rational.of(v, 1n << BigInt(n)), 'half_toward_pos_inf');
}

/** RHAZ(v, n): round half away from zero (gemmlowp RoundingDivideByPOT, CMSIS arm_nn_divide_by_power_of_two); n = 0 is v. */
export function roundShiftHalfAway(v: bigint, n: number): bigint {
  return n === 0 ? v : roundRational(Rational.of(v, 1n << BigInt(n)), 'half_away_from_zero');
}

/**
 * gemmlowp SaturatingRoundingDoublingHighMul(a, b) = RHU(a * b, 31), except INT32_MIN * INT32_MIN which
 * saturates to INT32_MAX (fixedpoint/fixedpoint.h). a, b int32.
 */
export function saturatingRoundingDoublingHighMul(a: bigint, b: bigint): bigint {
  const INT32_MIN = -(1n << 31n);
  if (a === INT32_MIN && b === INT32_MIN) return (1n << 31n) - 1n;
  return roundShiftHalfUp(a * b, 31);
}
