import fc from 'fast-check';
import { validScale } from './scale.js';
import { anyFloat32 } from './float32.js';

/**
 * Parameters of the per_channel_affine_float_qparams ops (float32 scales and zero points). Zero scales are
 * valid there (the kernels then use 1 as the reciprocal); zero points are any finite float32, often
 * integral (so constructed ties stay exact), often fractional as observers make them.
 */
export const validFloatQparamsScale: fc.Arbitrary<number> = fc.oneof(
  { weight: 12, arbitrary: validScale.map(Math.fround) },
  { weight: 1, arbitrary: fc.constantFrom(0, -0) },
);

export const anyFloatQparamsScale: fc.Arbitrary<number> = fc.oneof(
  { weight: 12, arbitrary: validFloatQparamsScale },
  { weight: 1, arbitrary: fc.constantFrom(-1, -1e-30, NaN, Infinity, -Infinity) },
);

export const validFloatZeroPoint: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.integer({ min: -300, max: 300 }) },
  { weight: 3, arbitrary: fc.double({ min: -300, max: 300, noNaN: true }).map(Math.fround) },
  { weight: 1, arbitrary: anyFloat32.filter(Number.isFinite) },
);

export const anyFloatZeroPoint: fc.Arbitrary<number> = fc.oneof(
  { weight: 12, arbitrary: validFloatZeroPoint },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, -Infinity) },
);
