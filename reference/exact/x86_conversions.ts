import { Rational } from './rational.js';
import { roundRational, type RoundingMode } from './rounding.js';
import { type IeeeValue, finite } from './ieee_value.js';

/**
 * Float -> integer conversions with the x86-64 behaviour PyTorch's CPU kernels inherit.
 * Exact domain: the rounding is roundRational on the exact value; only the range policy is x86's.
 */

export const INT32_MIN = -(2n ** 31n);
export const INT32_MAX = 2n ** 31n - 1n;
export const INT64_MIN = -(2n ** 63n);
export const INT64_MAX = 2n ** 63n - 1n;

/**
 * A float rounded to an integral value of the same format (std::nearbyint, std::floor, std::ceil, std::trunc;
 * roundss / vroundps): roundRational's `mode` on the exact value, staying a float (NaN and infinities unchanged, a
 * result of zero keeps the input's sign: ceil(-0.5) = -0). The result is an integer, representable in the input's
 * format, so no second rounding is needed. The one round-to-integral of the reference.
 */
export function roundToIntegral(v: IeeeValue, mode: RoundingMode): IeeeValue {
  if (v.kind !== 'finite') return v;
  return finite(Rational.fromInt(roundRational(v.value, mode)), v.negative);
}

/** std::nearbyint / nearbyintf / torch.round on a float in the default rounding mode: round half to even, staying a float. */
export function nearbyint(v: IeeeValue): IeeeValue {
  return roundToIntegral(v, 'half_even');
}

/** Integer conversion of x86: `mode`, then the "integer indefinite" value (the minimum) when out of range or NaN. */
function convertWithIndefinite(v: IeeeValue, mode: RoundingMode, min: bigint, max: bigint): bigint {
  if (v.kind !== 'finite') return min;
  const n = roundRational(v.value, mode);
  return n < min || n > max ? min : n;
}

/** cvtps2dq / _mm_cvtps_epi32 / lrintf to int32 in the default MXCSR mode: half-even; NaN or out of range -> INT32_MIN. */
export function cvtps2dq(v: IeeeValue): bigint {
  return convertWithIndefinite(v, 'half_even', INT32_MIN, INT32_MAX);
}

/** static_cast<int64_t>(float) (cvttss2si r64): truncation; NaN or out of range -> INT64_MIN. */
export function truncToInt64(v: IeeeValue): bigint {
  return convertWithIndefinite(v, 'trunc', INT64_MIN, INT64_MAX);
}

/** static_cast<int32_t>(float) (cvttss2si r32, cvttps2dq), as in tensor.to(torch.int32): truncation; NaN or out of range -> INT32_MIN. */
export function truncToInt32(v: IeeeValue): bigint {
  return convertWithIndefinite(v, 'trunc', INT32_MIN, INT32_MAX);
}

/** Two's complement wrap of an integer to int32, as C++ int32 arithmetic on x86. */
export function wrapInt32(n: bigint): bigint {
  return BigInt.asIntN(32, n);
}

/** Clamp an integer to [lo, hi]. */
export function clampInt(n: bigint, lo: bigint, hi: bigint): bigint {
  return n < lo ? lo : n > hi ? hi : n;
}

/** lrintf to a 64-bit long (cvtss2si r64): half-even; NaN or out of range -> INT64_MIN. */
export function lrintfToInt64(v: IeeeValue): bigint {
  return convertWithIndefinite(v, 'half_even', INT64_MIN, INT64_MAX);
}
