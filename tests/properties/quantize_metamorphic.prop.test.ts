import { describe, it } from 'vitest';
import { sharedQparamsQuantizeCase } from '../arbitraries/shared_qparams_quantize_case.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { outcomeOf } from '../support/agreement.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { CoverageTally } from '../support/coverage_tally.js';
import { checkProperty } from '../support/property.js';
import { PROPERTY_RUNS } from '../support/run_budget.js';
import { expectSameValues } from '../support/value_equality.js';

/*
 * Not checked: "dequantize(quantize(x)) lies within scale / 2 of x". It is false in torch's arithmetic, not
 * only up to a tolerance: quantize multiplies by the float32 reciprocal, so x just below a midpoint can
 * round up (the FBGEMM example x = 0.273939937, scale = 0.00214854861 gives 128 where x / scale = 127.4999...),
 * and the float32 product of the dequantize rounds again. Any bound would need tolerance widening.
 */
describe.each(IMPLEMENTATIONS)('%s quantize: metamorphic relations', (side, ops) => {
  const name = `${side}: quantize_per_channel with one shared scale and zero point equals quantize_per_tensor`;
  it(name, () => {
    const tally = new CoverageTally();
    checkProperty(name, sharedQparamsQuantizeCase, ({ x, layout, scale, zeroPoint, dtype }) => {
      const channels = layout.shape[layout.axis]!;
      const perTensor = outcomeOf(side, () => ops.quantizePerTensor(x, { scale, zeroPoint, dtype }));
      const perChannel = outcomeOf(side, () =>
        ops.quantizePerChannel(x, f64Tensor([channels], new Array<number>(channels).fill(scale)), intTensor('int64', [channels], new Array<number>(channels).fill(zeroPoint)), {
          axis: layout.axis,
          dtype,
        }),
      );
      // integers: value equality is exact equality here
      expectSameValues(perTensor, perChannel, (q) => ({ q: q.data }));
      tally.record(perTensor);
      if (perTensor.kind === 'output') tally.recordQuantized(perTensor.value);
    }, PROPERTY_RUNS);
    tally.expectNonVacuous({ minOutputShare: 0.7, minDistinctOutputs: 200, minUnsaturatedShare: 0.3 });
  });
});
