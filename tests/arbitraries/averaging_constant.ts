import fc from 'fast-check';

/** averaging_constant of the moving-average observers: the default 0.01, 0, 1, > 1, negative, NaN, inf, non-float32 doubles, any in [0, 1]. */
export const averagingConstant: fc.Arbitrary<number> = fc.oneof(
  { weight: 3, arbitrary: fc.constant(0.01) },
  { weight: 3, arbitrary: fc.constantFrom(0, 1, 2, 1.5, -0.5, -1, 0.1, 1e-8) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity) },
  { weight: 3, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
);

/** Averaging constants in [0, 1], the meaningful range (including both ends). */
export const unitAveragingConstant: fc.Arbitrary<number> = fc.oneof(
  { weight: 1, arbitrary: fc.constantFrom(0.01, 0, 1) },
  { weight: 1, arbitrary: fc.double({ min: 0, max: 1, noNaN: true }) },
);
