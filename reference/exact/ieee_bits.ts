import { Rational, floorLog2 } from './rational.js';
import { float32BitsOf, float64BitsOf, float64FromBits } from '../../contract/float_bits.js';
import { BINARY32, BINARY64, type FloatFormat, type IeeeValue, finite, infinity, nan } from './ieee_value.js';

/**
 * The only doors between JavaScript numbers and the exact world: IEEE bit patterns are decomposed into
 * sign, exponent and significand, and composed back. No arithmetic on JS numbers happens here.
 */

/** Decode the bit pattern of `fmt` (as an unsigned bigint) into an exact value. */
export function decodeBits(bits: bigint, fmt: FloatFormat): IeeeValue {
  const fractionBits = BigInt(fmt.precision - 1);
  const expMask = (1n << BigInt(fmt.exponentBits)) - 1n;
  const negative = (bits >> (fractionBits + BigInt(fmt.exponentBits))) & 1n ? true : false;
  const biasedExp = (bits >> fractionBits) & expMask;
  const fraction = bits & ((1n << fractionBits) - 1n);
  if (biasedExp === expMask) return fraction === 0n ? infinity(negative) : nan(negative, fraction << BigInt(53 - fmt.precision));
  const bias = BigInt(fmt.emax);
  const significand = biasedExp === 0n ? fraction : fraction | (1n << fractionBits);
  const exponent = Number((biasedExp === 0n ? 1n : biasedExp) - bias - fractionBits);
  const magnitude = Rational.fromInt(significand).mul(Rational.pow2(exponent));
  return finite(negative ? magnitude.neg() : magnitude, negative);
}

/** Encode a value that is exactly representable in `fmt` as its bit pattern (a NaN keeps sign and top fraction bits). */
export function encodeBits(v: IeeeValue, fmt: FloatFormat): bigint {
  const fractionBits = BigInt(fmt.precision - 1);
  const expAll = (1n << BigInt(fmt.exponentBits)) - 1n;
  const signShift = fractionBits + BigInt(fmt.exponentBits);
  const sign = v.negative ? 1n << signShift : 0n;
  if (v.kind === 'nan') return sign | (expAll << fractionBits) | (v.fraction >> BigInt(53 - fmt.precision));
  if (v.kind === 'infinity') return sign | (expAll << fractionBits);
  const mag = v.value.abs();
  if (mag.isZero()) return sign;
  const e = Math.max(floorLog2(mag), fmt.emin);
  const scaled = mag.div(Rational.pow2(e - (fmt.precision - 1)));
  if (!scaled.isInteger() || e > fmt.emax) {
    throw new RangeError(`encodeBits: ${mag} is not a finite ${fmt.name} value`);
  }
  const significand = scaled.num;
  const subnormal = significand < 1n << fractionBits;
  const biasedExp = subnormal ? 0n : BigInt(e + fmt.emax);
  return sign | (biasedExp << fractionBits) | (significand & ((1n << fractionBits) - 1n));
}

/** Exact value of a float32 held in a JS number. The caller guarantees it is a float32 value. */
export function fromFloat32(x: number): IeeeValue {
  return decodeBits(BigInt(float32BitsOf(x)), BINARY32);
}

/** Exact value of a JS number (a binary64). */
export function fromFloat64(x: number): IeeeValue {
  return decodeBits(float64BitsOf(x), BINARY64);
}

/** The JS number holding a value that is exactly representable in binary64 (every binary32 value is). */
export function toNumber(v: IeeeValue): number {
  return float64FromBits(encodeBits(v, BINARY64));
}
