import { describe, expect, it } from 'vitest';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import type { HistogramObserverResult, HistogramObserverV1Attrs, QuantOps } from '../../contract/ops.js';
import { type F32Tensor, f32Tensor } from '../../contract/tensor.js';
import { float32BitsOf } from '../../contract/float_bits.js';
import { histogramCases } from '../arbitraries/histogram_case.js';
import { type Outcome, expectSameResult, outcomeOf } from '../support/agreement.js';
import { CoverageTally } from '../support/coverage_tally.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { checkProperty } from '../support/property.js';
import fc from 'fast-check';

/**
 * HistogramObserver, both semantics versions: the exact reference and the fast impl agree bit for bit
 * (histogram, min/max, qparams, typed errors), the search is not vacuous, and scaling the data by a power
 * of two scales the observer's min/max by it. Fewer runs than the other ops' properties: the exact
 * reference observes and searches on bigint rationals (~10-30 ms a case).
 */
const RUNS = 300;

type Run = (ops: QuantOps, batches: readonly F32Tensor[], attrs: HistogramObserverV1Attrs) => HistogramObserverResult;
const VERSIONS: ReadonlyArray<readonly [name: string, run: Run]> = [
  ['histogram_observer@1 (torch 1.13.1)', (ops, b, a) => ops.histogramObserver(b, a)],
  ['histogram_observer@2 (torch 2.x, from source)', (ops, b, a) => ops.histogramObserverV2(b, { ...a })],
];

const sameQparams = (a: { scale: F32Tensor; zeroPoint: { data: ArrayLike<number> } }, b: typeof a) =>
  float32BitsOf(a.scale.data[0]!) === float32BitsOf(b.scale.data[0]!) && a.zeroPoint.data[0] === b.zeroPoint.data[0];

describe('HistogramObserver: reference ≡ impl', () => {
  for (const [version, run] of VERSIONS) {
    const name = `${version}: reference and impl agree bit for bit`;
    it(name, () => {
      const tally = new CoverageTally();
      let comparable = 0;
      let moved = 0;
      checkProperty(name, histogramCases({ poisoned: true }), ({ batches, attrs }) => {
        const outcome = expectSameResult(() => run(reference, batches, attrs), () => run(impl, batches, attrs));
        tally.record(outcome);
        if (outcome.kind !== 'output' || attrs.bins < 8) return;
        // non-vacuity: with 8 or more bins the search (and, in 1.13, the relaxed max) moves the range away from
        // MinMaxObserver's in most cases (with 1 bin it cannot move at all)
        const minMax = outcomeOf('impl', () => impl.minMaxObserver(batches, attrs));
        if (minMax.kind !== 'output') return; // MinMaxObserver refuses symmetric + reduce_range + quint8
        comparable++;
        if (!sameQparams(outcome.value, minMax.value)) moved++;
      }, RUNS);
      tally.expectNonVacuous({ minOutputShare: 0.8, minDistinctOutputs: 500 });
      expect(tally.summary(), 'typed errors compared too').toMatch(/nan_observed/);
      expect(comparable).toBeGreaterThan(RUNS / 3);
      expect(moved / comparable, `${moved} of ${comparable} cases left MinMaxObserver's qparams`).toBeGreaterThan(0.5);
    });
  }
});

const scaledBy = (batches: readonly F32Tensor[], factor: number) => batches.map((b) => f32Tensor(b.shape, Array.from(b.data, (v) => v * factor)));
const isConstant = (b: F32Tensor) => b.data.every((v) => v === b.data[0]);

describe.each(IMPLEMENTATIONS)('HistogramObserver metamorphic relations [%s]', (side, ops) => {
  for (const [version, run] of VERSIONS) {
    const name = `${side} ${version}: scaling the data by 2^k scales min_val and max_val by 2^k`;
    it(name, () => {
      let outputs = 0;
      const arb = fc.record({ c: histogramCases({ poisoned: false }), k: fc.integer({ min: -12, max: 12 }).filter((k) => k !== 0) });
      checkProperty(name, arb, ({ c, k }) => {
        const factor = 2 ** k; // the data stay far from float32 overflow and subnormals, so scaling is exact
        const original: Outcome<HistogramObserverResult> = outcomeOf(side, () => run(ops, c.batches, c.attrs));
        const scaled: Outcome<HistogramObserverResult> = outcomeOf(side, () => run(ops, scaledBy(c.batches, factor), c.attrs));
        if (original.kind === 'error' || scaled.kind === 'error') {
          // the refusals (a merge too large, ...) depend on ratios of ranges only
          expect(scaled.kind === 'error' ? scaled.code : 'outputs').toBe(original.kind === 'error' ? original.code : 'outputs');
          return;
        }
        outputs++;
        for (const field of ['minVal', 'maxVal'] as const) {
          const [o, s] = [original.value[field].data[0]!, scaled.value[field].data[0]!];
          expect(Object.is(s, o * factor), `${field}: ${o} * 2^${k} = ${o * factor}, scaled run gave ${s}`).toBe(true);
        }
        // torch 2.x bins the float range (no int() truncation): unless the first batch is constant (histc then
        // widens its range by +-1, which does not scale), the histogram does not change at all
        const first = c.batches.find((b) => b.data.length > 0);
        if (version.includes('@2') && first && !isConstant(first)) {
          expect(Array.from(scaled.value.histogram.data)).toEqual(Array.from(original.value.histogram.data));
        }
      }, side === 'reference' ? RUNS / 3 : RUNS);
      expect(outputs).toBeGreaterThan((side === 'reference' ? RUNS / 3 : RUNS) * 0.8);
    });
  }
});
