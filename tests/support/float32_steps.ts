import { float32BitsOf, float32FromBits } from '../../contract/float_bits.js';
import { type F32Tensor, channelLayout, channelOf } from '../../contract/tensor.js';

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

/** How many elements of x are exact ties of x * f32(1 / scale), what a per-tensor quantize rounds. */
export function perTensorTies(x: F32Tensor, scale: number): number {
  const inverse = float32Reciprocal(scale);
  return countTies(x.data, (v) => float32Product(v, inverse));
}

/** How many elements of x are exact ties of x * f32(1 / scale of its channel along `axis`), what a per-channel quantize rounds. */
export function perChannelTies(x: F32Tensor, scales: ArrayLike<number>, axis: number): number {
  const layout = channelLayout(x.shape, axis);
  return countTies(x.data, (v, i) => float32Product(v, float32Reciprocal(scales[channelOf(i, layout)]!)));
}
