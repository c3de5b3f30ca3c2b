import fc from 'fast-check';

/** A [quant_min, quant_max] pair as fake-quantize and FixedQParamsObserver take it. */
export interface QuantRangePair {
  readonly quantMin: number;
  readonly quantMax: number;
}

const pair = ([quantMin, quantMax]: readonly [number, number]): QuantRangePair => ({ quantMin, quantMax });

/**
 * Usual qconfig ranges (full, reduced, 4-bit, qint32, the single level [0, 0]), random valid ranges
 * (including ones that exclude 0, which fake-quantize accepts), and rejected ones (min > max, non-integer, unsafe).
 */
export const quantRangePair: fc.Arbitrary<QuantRangePair> = fc.oneof(
  {
    weight: 4,
    arbitrary: fc
      .constantFrom<[number, number]>([0, 255], [-128, 127], [0, 15], [-8, 7], [0, 127], [-64, 63], [-(2 ** 31), 2 ** 31 - 1], [0, 0])
      .map(pair),
  },
  {
    weight: 3,
    arbitrary: fc.tuple(fc.integer({ min: -300, max: 300 }), fc.integer({ min: -300, max: 300 })).map(([a, b]) => pair([Math.min(a, b), Math.max(a, b)])),
  },
  { weight: 1, arbitrary: fc.constantFrom<[number, number]>([5, 1], [0, -1], [0.5, 10], [0, 2 ** 53]).map(pair) },
);
