import fc from 'fast-check';
import type { QuantDtype, QScheme } from '../../contract/dtypes.js';
import type { HistogramObserverV1Attrs, SumLaneWidth } from '../../contract/ops.js';
import { type F32Tensor, f32Tensor } from '../../contract/tensor.js';

/**
 * HistogramObserver inputs for property tests: 1-3 batches of 1-60 float32 values built from small integers
 * (so counterexamples shrink to readable data; each a sum of three, so batches are bell-shaped), each batch with its own scale (drifting ranges exercise the
 * histogram merges), sometimes a far outlier; a per_tensor configuration with small bin counts, upsample
 * rates from 1 to 128 and both declared lane widths.
 */
export interface HistogramCase {
  readonly batches: readonly F32Tensor[];
  readonly attrs: HistogramObserverV1Attrs;
}

const batchValues = fc.record({
  // a sum of three uniform integers: a bell with tails, the shape the search clips
  units: fc.array(fc.tuple(fc.integer({ min: -333, max: 333 }), fc.integer({ min: -333, max: 333 }), fc.integer({ min: -333, max: 333 })).map(([a, b, c]) => a + b + c), { minLength: 1, maxLength: 60 }),
  scale: fc.constantFrom(1, 1, 1, 0.5, 2, 10, 0.1, 3.7),
  outlier: fc.oneof({ arbitrary: fc.constant(null), weight: 5 }, { arbitrary: fc.integer({ min: -50_000, max: 50_000 }), weight: 1 }),
});

/**
 * `poisoned`: now and then a value torch refuses or that breaks its range arithmetic (NaN, +-inf, beyond
 * 2^63, near float32's maximum) is appended to the last batch, so typed errors are compared too.
 */
export function histogramCases(opts: { poisoned: boolean }): fc.Arbitrary<HistogramCase> {
  const poisonValue = fc.constantFrom(NaN, Infinity, -Infinity, 1e19, -3e38, 3e38);
  const poison = opts.poisoned ? fc.oneof({ arbitrary: fc.constant(null), weight: 9 }, { arbitrary: poisonValue, weight: 1 }) : fc.constant(null);
  return fc
  .record({
    poison,
    batches: fc.array(batchValues, { minLength: 1, maxLength: 3 }),
    baseScale: fc.constantFrom(0.01, 0.1, 1, 1.7, 30),
    offset: fc.constantFrom(0, 0, 0, 0.3, 2.2, -1.6, 5),
    dtype: fc.constantFrom<QuantDtype>('quint8', 'quint8', 'qint8', 'qint8', 'qint32'),
    qscheme: fc.constantFrom<QScheme>('per_tensor_affine', 'per_tensor_symmetric'),
    reduceRange: fc.boolean(),
    bins: fc.constantFrom(1, 2, 4, 8, 8, 15, 16, 16, 31, 32, 64),
    upsampleRate: fc.constantFrom(1, 2, 4, 16, 128, 128),
    sumLaneWidth: fc.constantFrom<SumLaneWidth>(8, 8, 16),
  })
  .map(({ poison, batches, baseScale, offset, dtype, qscheme, reduceRange, bins, upsampleRate, sumLaneWidth }) => ({
    batches: batches.map(({ units, scale, outlier }, i) => {
      const values = units.map((u) => Math.fround((u / 100) * baseScale * scale + offset));
      if (outlier !== null) values.push(Math.fround((outlier / 100) * baseScale));
      if (poison !== null && i === batches.length - 1) values.push(Math.fround(poison));
      return f32Tensor([values.length], values);
    }),
    attrs: { dtype, qscheme, reduceRange, quantMin: null, quantMax: null, eps: 2 ** -23, bins, upsampleRate, sumLaneWidth },
  }));
}
