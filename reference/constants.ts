import { Rational } from './exact/rational.js';
import { finite } from './exact/ieee_value.js';

/** Exact constants used by several reference ops (all exactly representable in float32). */
export const ONE_F32 = finite(Rational.ONE);
export const ZERO_F32 = finite(Rational.ZERO);
export const MINUS_ONE_F32 = finite(Rational.fromInt(-1));
export const HALF_F32 = finite(Rational.of(1n, 2n));
