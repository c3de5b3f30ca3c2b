/**
 * Bit patterns of JS numbers as IEEE binary32/binary64 (and binary16): the one place that reinterprets floats as bits.
 * Used by the wire format, the exact reference (which decomposes bits into rationals) and generators.
 */
const scratch = new DataView(new ArrayBuffer(8));

/** The binary32 bit pattern of a JS number holding a float32 value (Math.fround(x) === x, or NaN). */
export function float32BitsOf(x: number): number {
  scratch.setFloat32(0, x);
  return scratch.getUint32(0);
}

export function float32FromBits(bits: number): number {
  scratch.setUint32(0, bits >>> 0);
  return scratch.getFloat32(0);
}

export function float64BitsOf(x: number): bigint {
  scratch.setFloat64(0, x);
  return scratch.getBigUint64(0);
}

export function float64FromBits(bits: bigint): number {
  scratch.setBigUint64(0, bits);
  return scratch.getFloat64(0);
}

/** FLT_MIN, the smallest normal float32 (2^-126). */
export const FLT_MIN = 2 ** -126;

/**
 * C's `f > 0.0f && isnormal(f)` on f = (float)x, the nearest-even float32 of a float64 x (Math.fround): false for a
 * float32 0, subnormal, +-inf or NaN, and for any negative value.
 */
export function isPositiveNormalFloat32(x: number): boolean {
  const f = Math.fround(x);
  return f >= FLT_MIN && f !== Number.POSITIVE_INFINITY;
}

/**
 * The binary32 bit pattern of (float)x for a float64 x, as x86's cvtsd2ss gives it: the nearest even float32 for a
 * number (through Math.fround), and for a NaN its sign and the top 23 bits of its fraction with the quiet bit set
 * (JS engines may not carry a NaN's bits through Math.fround or float32 storage, so they are taken from x's bits).
 */
export function float32BitsOfFloat64(x: number): number {
  if (!Number.isNaN(x)) return float32BitsOf(Math.fround(x));
  const bits = float64BitsOf(x);
  return ((Number(bits >> 63n) << 31) | 0x7fc00000 | Number((bits >> 29n) & 0x7fffffn)) >>> 0;
}

/** The exact JS number of a binary16 bit pattern (every float16 value is a float32 and a float64 value). */
export function float16FromBits(bits: number): number {
  const sign = bits & 0x8000 ? -1 : 1;
  const exponent = (bits >> 10) & 0x1f;
  const fraction = bits & 0x3ff;
  if (exponent === 0x1f) return fraction ? Number.NaN : sign * Number.POSITIVE_INFINITY;
  return sign * (exponent === 0 ? fraction * 2 ** -24 : (fraction + 1024) * 2 ** (exponent - 25));
}

/**
 * The binary16 bit pattern of a float32 value, rounded to nearest even: onnxruntime's MLFloat16(float)
 * (include/onnxruntime/core/session/onnxruntime_float16.h, Float16Impl::ToUint16Impl, the float_to_half_fast3_rtne
 * bit algorithm) step for step: |x| >= 2^16 is infinity (a NaN the quiet 0x7e00, sign kept); below 2^-14 (half
 * subnormals) the float32 sum |x| + 0.5 rounds at the half quantum 2^-24 (here Math.fround of the double sum, which is
 * exact: |x| < 2^-14 has its lowest bit at 2^-49 or above whenever it reaches 2^-26, and rounds down otherwise); else
 * the integer rounding bias 0xfff plus the odd bit on the float32 bits, shifted right by 13 (an overflow carries into
 * the exponent and becomes 0x7c00, infinity).
 */
export function float16BitsOf(x: number): number {
  const u = float32BitsOf(x);
  const sign = (u >>> 16) & 0x8000;
  const a = u & 0x7fffffff;
  if (a >= 0x47800000) return sign | (a > 0x7f800000 ? 0x7e00 : 0x7c00);
  if (a < 113 << 23) return sign | (float32BitsOf(Math.fround(float32FromBits(a) + 0.5)) - 0x3f000000);
  return sign | ((((a + 0xc8000fff + ((a >>> 13) & 1)) >>> 0) >>> 13) & 0xffff);
}
