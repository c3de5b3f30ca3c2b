import fc from 'fast-check';

/** A permutation of 0..n-1. */
export function permutation(n: number): fc.Arbitrary<number[]> {
  const indices = Array.from({ length: n }, (_, i) => i);
  return fc.shuffledSubarray(indices, { minLength: n, maxLength: n });
}
