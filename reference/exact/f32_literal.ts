/** C float literals as the compiler rounds them: the exact decimal (or hexadecimal) value, one rounding to float32. */
import { BINARY32, type IeeeValue } from './ieee_value.js';
import { Rational } from './rational.js';
import { roundToFormat } from './round_to_format.js';

/** The float32 a C compiler makes of the literal `digits`e`exp10`f: one rounding of the exact decimal. */
export function f32Literal(digits: bigint, exp10: number): IeeeValue {
  const r = exp10 >= 0 ? Rational.of(digits * 10n ** BigInt(exp10)) : Rational.of(digits, 10n ** BigInt(-exp10));
  return roundToFormat(r, BINARY32);
}

/** The float32 of the hexadecimal literal `significand` * 2^`exp2` (e.g. 0x1.694000p-10 is 0x1694000 * 2^-34). */
export function f32HexLiteral(significand: bigint, exp2: number): IeeeValue {
  return roundToFormat(Rational.fromInt(significand).mul(Rational.pow2(exp2)), BINARY32);
}
