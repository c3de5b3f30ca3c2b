import fc from 'fast-check';
import { float32FromBits } from '../../contract/float_bits.js';

/**
 * Scales the ops accept (finite doubles > 0): powers of two (exact reciprocals), float32 values over
 * ~12 decades, doubles that are not float32 values (torch rounds them), and extremes whose float32
 * rounding is subnormal, zero or infinite.
 */
export const validScale: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -20, max: 8 }).map((e) => 2 ** e) },
  { weight: 5, arbitrary: fc.double({ min: -14, max: 3, noNaN: true }).map((e) => Math.fround(Math.exp(e))) },
  { weight: 2, arbitrary: fc.double({ min: 1e-4, max: 2, noNaN: true }) },
  { weight: 1, arbitrary: fc.constantFrom(0.1, 1 / 3, float32FromBits(1), 1e-40, 1e-50, 3e38, 1e39) },
);

/** Scales the contract rejects: zero, negative, NaN and infinite. */
export const invalidScale = fc.constantFrom(0, -0, -1, -1e-30, NaN, Infinity, -Infinity);

export const anyScale: fc.Arbitrary<number> = fc.oneof({ weight: 14, arbitrary: validScale }, { weight: 1, arbitrary: invalidScale });

/** Float32 scales (per-channel fake-quantize takes a float32 tensor). */
export const anyFloat32Scale: fc.Arbitrary<number> = anyScale.map(Math.fround);
