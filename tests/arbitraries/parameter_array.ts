import fc from 'fast-check';

/**
 * `count` per-channel parameters: usually all drawn from `valid`, sometimes each from `any` (which may be
 * rejected). Drawing every entry from `any` would make wide tensors almost always invalid.
 */
export function parameterArray<T>(valid: fc.Arbitrary<T>, any: fc.Arbitrary<T>, count: number): fc.Arbitrary<T[]> {
  const exactly = { minLength: count, maxLength: count };
  return fc.oneof({ weight: 6, arbitrary: fc.array(valid, exactly) }, { weight: 1, arbitrary: fc.array(any, exactly) });
}
