import fc from 'fast-check';

/**
 * Integer zero points inside [lo, hi]: mostly within 300 of zero (where inputs stay exact), sometimes
 * anywhere and at the ends. Invalid ranges fall back to small integers.
 */
export function zeroPointIn(lo: number, hi: number): fc.Arbitrary<number> {
  if (!(Number.isSafeInteger(lo) && Number.isSafeInteger(hi) && lo <= hi)) return fc.integer({ min: -5, max: 5 });
  const [nearLo, nearHi] = [Math.max(lo, -300), Math.min(hi, 300)];
  const near = nearLo <= nearHi ? fc.integer({ min: nearLo, max: nearHi }) : fc.integer({ min: lo, max: hi });
  return fc.oneof(
    { weight: 6, arbitrary: near },
    { weight: 1, arbitrary: fc.integer({ min: lo, max: hi }) },
    { weight: 1, arbitrary: fc.constantFrom(lo, hi) },
  );
}

/** Like zeroPointIn, plus the rejected: one past either end and a non-integer. */
export function anyZeroPointIn(lo: number, hi: number): fc.Arbitrary<number> {
  return fc.oneof({ weight: 15, arbitrary: zeroPointIn(lo, hi) }, { weight: 1, arbitrary: fc.constantFrom(lo - 1, hi + 1, 0.5) });
}
