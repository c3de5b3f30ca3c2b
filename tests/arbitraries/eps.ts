import fc from 'fast-check';

/** The default eps torch.finfo(torch.float32).eps. */
export const DEFAULT_EPS = 2 ** -23;

/**
 * Observer eps values (f64, stored as float32): mostly the default; also 0, small and large ones,
 * a subnormal, one that rounds to 0 in float32, one that is not a float32 value, and nonsense (-1, NaN, inf).
 */
export const eps: fc.Arbitrary<number> = fc.oneof(
  { weight: 6, arbitrary: fc.constant(DEFAULT_EPS) },
  { weight: 3, arbitrary: fc.constantFrom(0, 1e-10, 1e-5, 1e-3, 0.5, 1e-45, 1e-50, DEFAULT_EPS * (1 + 2 ** -40)) },
  { weight: 1, arbitrary: fc.constantFrom(-1, NaN, Infinity) },
);
