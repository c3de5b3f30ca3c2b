/**
 * Float32 and x86 integer-conversion primitives of the fast path, on plain JS numbers.
 *
 * Why Math.fround gives C++ `float` arithmetic: for +, -, *, / on two float32 operands, computing
 * in binary64 and rounding once to binary32 equals the correctly rounded binary32 result, because
 * binary64 carries 53 >= 2*24 + 2 significand bits (Figueroa, "When is double rounding
 * innocuous?", 1995). Products of two float32 values are even exact in binary64 (48 bits). Both
 * roundings are round-to-nearest-even, so `Math.fround(a op b)` is the x86 SSE `float` op.
 *
 * Never Math.round here: it rounds ties toward +inf, while std::nearbyint, lrintf, cvtps2dq and
 * torch.round round ties to even.
 */

const TWO_POW_52 = 2 ** 52;
export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;
/** INT64_MIN, exactly representable as a double: the x86 "integer indefinite" value of 64-bit conversions. */
export const INT64_MIN = -(2 ** 63);
const TWO_POW_63 = 2 ** 63;
/** The binary32 bits of the NaN x86 SSE/AVX give an invalid operation (0 * inf, inf - inf): the negative quiet 0xffc00000. */
export const X86_DEFAULT_NAN_F32 = 0xffc00000;
/** FLT_MIN, the smallest normal float32 (2^-126): contract/float_bits.ts's, one constant. */
export { FLT_MIN } from '../contract/float_bits.js';

/** C++ `float` addition: f32(a + b). */
export function f32Add(a: number, b: number): number {
  return Math.fround(a + b);
}

/** C++ `float` subtraction: f32(a - b). */
export function f32Sub(a: number, b: number): number {
  return Math.fround(a - b);
}

/** C++ `float` multiplication: f32(a * b). */
export function f32Mul(a: number, b: number): number {
  return Math.fround(a * b);
}

/** C++ `float` division: f32(a / b). */
export function f32Div(a: number, b: number): number {
  return Math.fround(a / b);
}

/**
 * `(float)(1.0 / s)`: the reciprocal of a double s as a double division, then rounded to float32 (one function for
 * the oneDNN scale inversions in torch's quantized kernels and the decomposed quantize's inv = 1 / scale). Not
 * f32Div(1, fround(s)) (`1.0f / (float)s`), which rounds s first.
 */
export function f32OfF64Reciprocal(s: number): number {
  return Math.fround(1 / s);
}

/**
 * C++ `float` square root (sqrtss, or float(sqrt(double(x)))): f32(sqrt(a)). Math.sqrt is correctly rounded in
 * binary64, and a second rounding to binary32 is innocuous for sqrt as for +, -, *, / (53 >= 2*24 + 2).
 */
export function f32Sqrt(a: number): number {
  return Math.fround(Math.sqrt(a));
}

/**
 * float32 fused multiply-add (_mm256_fmadd_ps) on float32 operands: a * b + c rounded once to float32. The product
 * of two float32 values is exact in binary64; the binary64 sum s may be rounded, and its error e is recovered
 * exactly (Knuth's TwoSum). Rounding s to float32 then equals rounding the exact sum, except when s falls exactly
 * on a float32 midpoint while e != 0: then the exact sum lies on e's side of the midpoint, which decides.
 */
export function f32Fma(a: number, b: number, c: number): number {
  const p = a * b;
  const s = p + c;
  const r = Math.fround(s);
  if (!Number.isFinite(s) || r === s) return r;
  const bp = s - c;
  const e = p - bp + (c - (s - bp));
  if (e === 0) return r;
  const other = nextFloat32(r, s > r);
  if (s !== (r + other) / 2) return r;
  return e > 0 ? Math.max(r, other) : Math.min(r, other);
}

const F32_BOX = new Float32Array(1);
const F32_BITS = new Int32Array(F32_BOX.buffer);

/** The float32 next to the float32 `x`, upward or downward (x finite). */
function nextFloat32(x: number, up: boolean): number {
  if (x === 0) return up ? 2 ** -149 : -(2 ** -149);
  F32_BOX[0] = x;
  F32_BITS[0] = (F32_BITS[0] as number) + ((x > 0) === up ? 1 : -1);
  return F32_BOX[0] as number;
}

/**
 * std::nearbyint / torch.round in the default rounding mode: round half to even, staying a float.
 * NaN and infinities pass through; a value that rounds to zero keeps its sign (nearbyint(-0.3) = -0).
 *
 * Derivation: for 0 <= a < 2^52, a + 2^52 lies in [2^52, 2^53) where the binary64 ulp is 1, so the
 * addition rounds a to an integer with ties to even (2^52 is even), and subtracting 2^52 is exact.
 * Values with |v| >= 2^52 are already integers.
 */
export function nearbyint(v: number): number {
  const a = Math.abs(v);
  if (!(a < TWO_POW_52)) return v; // NaN, infinities, integers
  if (v === 0) return v; // keeps -0
  const r = a + TWO_POW_52 - TWO_POW_52;
  return v < 0 ? -r : r;
}

/**
 * cvtps2dq / _mm_cvtps_epi32 on a float: round half to
 * even, then NaN or a result outside [-2^31, 2^31) gives INT32_MIN, the x86 integer indefinite.
 */
export function cvt32(v: number): number {
  const r = nearbyint(v);
  if (!(r >= INT32_MIN && r <= INT32_MAX)) return INT32_MIN;
  return r | 0; // in range: only turns -0 into 0
}

/**
 * lrintf to a 64-bit long on x86-64 Linux (cvtss2si r64): half-even; NaN or |r| >= 2^63 -> INT64_MIN.
 * The result is returned as a double (every rounded float32 below 2^63 is exact).
 */
export function lrintfToInt64(v: number): number {
  const r = nearbyint(v);
  return Math.abs(r) < TWO_POW_63 ? r : INT64_MIN;
}

/**
 * `int q = lrintf(v)`: lrintfToInt64, which the assignment to int truncates to its low 32 bits. So
 * NaN and infinities give 0 and 3e9 gives 3e9 - 2^32 (checked against torch 1.13.1 here).
 */
export function lrintfToInt(v: number): number {
  return wrapInt32(lrintfToInt64(v));
}

/**
 * static_cast<int64_t>(float) (cvttss2si r64): truncation toward zero; NaN or |t| >= 2^63 gives
 * INT64_MIN. The result is returned as a double; every truncated float32 value is exactly
 * representable, so no precision is lost.
 */
export function trunc64(t: number): number {
  if (!(Math.abs(t) < TWO_POW_63)) return INT64_MIN;
  return Math.trunc(t) + 0; // + 0 turns -0 into 0
}

/**
 * static_cast<int32_t>(float) (cvttss2si r32 / cvttps2dq), as tensor.to(torch.int32) on x86:
 * truncation toward zero; NaN or a truncated value outside int32 gives INT32_MIN.
 */
export function trunc32(t: number): number {
  if (!(t > INT32_MIN - 1 && t < INT32_MAX + 1)) return INT32_MIN;
  return Math.trunc(t) | 0;
}

/** Two's complement wrap of an integer-valued double to int32 (its low 32 bits), as C++ int arithmetic and int64 -> int32 casts on x86. */
export function wrapInt32(n: number): number {
  return n | 0;
}

/** Clamp an integer to [lo, hi] (std::max then std::min, as torch's quantize kernels write it). */
export function clampInt(n: number, lo: number, hi: number): number {
  return n < lo ? lo : n > hi ? hi : n;
}
