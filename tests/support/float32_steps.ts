import { float32BitsOf, float32FromBits } from '../../contract/float_bits.js';

/**
 * Float32 stepping and the quantize product, for BUILDING inputs and COUNTING what they hit. These
 * never decide whether an output is right: the properties compare reference and impl for that.
 */

/** The float32 one ulp from x towards +inf (up) or -inf; non-finite x is returned unchanged. */
export function nextFloat32(x: number, up: boolean): number {
  if (!Number.isFinite(x)) return x;
  if (x === 0) return up ? float32FromBits(1) : float32FromBits(0x80000001);
  const bits = float32BitsOf(x);
  return float32FromBits(x > 0 === up ? bits + 1 : bits - 1);
}

/** f32(1 / f32(scale)), the reciprocal quantize_val multiplies by (1/x in double, rounded once: exact for float32). */
export function float32Reciprocal(scale: number): number {
  return Math.fround(1 / Math.fround(scale));
}

/** f32(x * inverse): the product of two float32 values is exact in a double, so one fround is the float32 product. */
export function float32Product(x: number, inverse: number): number {
  return Math.fround(x * inverse);
}

/** v is exactly k + 0.5 for an integer k: the round-half-to-even case. */
export function isHalfway(v: number): boolean {
  return Number.isFinite(v) && v - Math.floor(v) === 0.5;
}

/** How many elements of x make the value the kernel rounds (`roundedOf`, before nearbyint) an exact tie. */
export function countTies(x: Float32Array, roundedOf: (value: number, index: number) => number): number {
  let ties = 0;
  x.forEach((v, i) => {
    if (isHalfway(roundedOf(v, i))) ties++;
  });
  return ties;
}
