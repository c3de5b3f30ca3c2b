import fc from 'fast-check';

/** quant_min / quant_max as an observer constructor takes them: null means "from the dtype". */
export interface CustomQuantRange {
  readonly quantMin: number | null;
  readonly quantMax: number | null;
}

/**
 * No custom range (most often); custom ranges that are valid for some dtypes and not for others
 * (torch length-checks qint8 and qint32 only); and ranges every dtype rejects (excluding zero, empty,
 * non-integer). A half-given range counts as no custom range in torch.
 */
export const customQuantRange: fc.Arbitrary<CustomQuantRange> = fc.oneof(
  { weight: 5, arbitrary: fc.constant({ quantMin: null, quantMax: null }) },
  {
    weight: 4,
    arbitrary: fc
      .tuple(fc.integer({ min: -300, max: 0 }), fc.integer({ min: 0, max: 300 }))
      .filter(([lo, hi]) => lo < hi)
      .map(([quantMin, quantMax]) => ({ quantMin, quantMax })),
  },
  {
    weight: 2,
    arbitrary: fc.constantFrom<CustomQuantRange>(
      { quantMin: 0, quantMax: 15 },
      { quantMin: -8, quantMax: 7 },
      { quantMin: 0, quantMax: 255 },
      { quantMin: -128, quantMax: 127 },
      { quantMin: -7, quantMax: 7 },
      { quantMin: -(2 ** 31), quantMax: 2 ** 31 - 1 },
      { quantMin: -(2 ** 30), quantMax: 2 ** 30 },
    ),
  },
  {
    weight: 1,
    arbitrary: fc.constantFrom<CustomQuantRange>(
      { quantMin: 1, quantMax: 10 },
      { quantMin: -10, quantMax: -1 },
      { quantMin: 0, quantMax: 0 },
      { quantMin: 0, quantMax: 1.5 },
      { quantMin: null, quantMax: 15 },
      { quantMin: -(2 ** 31), quantMax: 2 ** 31 },
    ),
  },
);
