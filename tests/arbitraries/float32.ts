import fc from 'fast-check';
import { float32FromBits } from '../../contract/float_bits.js';

/** Any float32 from its raw bit pattern: NaNs, infinities, signed zeros, subnormals, huge and tiny. */
export const rawFloat32 = fc.integer({ min: 0, max: 0xffffffff }).map(float32FromBits);

/** Finite float32 values only. */
export const finiteFloat32 = rawFloat32.filter((x) => Number.isFinite(x));

/** Any float64 from its raw bit pattern. */
export const rawFloat64 = fc.bigInt({ min: 0n, max: 2n ** 64n - 1n }).map((b) => {
  const v = new DataView(new ArrayBuffer(8));
  v.setBigUint64(0, b);
  return v.getFloat64(0);
});

/** Special float32 values that hit every branch: mixed in by the other arbitraries. */
export const specialFloat32 = fc.constantFrom(
  NaN, Infinity, -Infinity, 0, -0, float32FromBits(1), float32FromBits(0x807fffff), float32FromBits(0x00800000),
  float32FromBits(0x7f7fffff), -float32FromBits(0x7f7fffff), 2 ** 24, 2 ** 24 + 2, 0.5, -0.5, 1.5, 2.5, -2.5, 2 ** 31, 2 ** 63,
);

/** Float32 values of ordinary magnitude around `spread` (normal-ish data). */
export function moderateFloat32(spread: number): fc.Arbitrary<number> {
  return fc.double({ min: -spread, max: spread, noNaN: true }).map(Math.fround);
}

/** The mixture used by the agreement properties: raw bits, specials and moderate values. */
export const anyFloat32 = fc.oneof(
  { weight: 2, arbitrary: rawFloat32 },
  { weight: 1, arbitrary: specialFloat32 },
  { weight: 4, arbitrary: moderateFloat32(300) },
);
