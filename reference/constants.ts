import { Rational } from './exact/rational.js';
import { finite } from './exact/ieee_value.js';

/**
 * Exact constants used by several reference ops (all exactly representable in float16, float32 and float64: an
 * IeeeValue carries no format, so each serves as an operand of any width). Import these rather than building another
 * finite(Rational.ZERO) / finite(Rational.ONE).
 */
export const ONE_F32 = finite(Rational.ONE);
export const ZERO_F32 = finite(Rational.ZERO);
export const MINUS_ONE_F32 = finite(Rational.fromInt(-1));
export const HALF_F32 = finite(Rational.of(1n, 2n));
/** 1.0 as a double operand (e.g. the 1.0 / s of torch's reciprocal scales): the same exact value as ONE_F32. */
export const ONE_F64 = ONE_F32;
