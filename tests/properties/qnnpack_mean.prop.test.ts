import { describe, expect, it } from 'vitest';
import { qnnpackMeanCase } from '../arbitraries/qnnpack_mean_case.js';
import { itAgrees } from '../support/agreement_property.js';
import { checkProperty } from '../support/property.js';
import { impl } from '../../impl/index.js';

describe('qnnpack_mean: reference and impl agree bit for bit', () => {
  itAgrees({
    name: 'qnnpack_mean agrees',
    cases: qnnpackMeanCase,
    run: (ops, c) => ops.qnnpackMean(c.x, c.attrs),
    bounds: { minOutputShare: 0.85, minDistinctOutputs: 200 },
  });

  it("the generated cases part QNNPACK's mean from ATen's: some outputs differ from quantized_mean@1's on the same tensor (non-vacuity)", () => {
    let parted = 0;
    checkProperty('qnnpack_mean parts from ATen', qnnpackMeanCase, (c) => {
      let mine: ArrayLike<number>;
      try {
        mine = impl.qnnpackMean(c.x, c.attrs).data;
      } catch {
        return;
      }
      const aten = impl.quantizedMean(c.x, { ...c.attrs, memoryFormat: 'contiguous', cpuCapability: 'default', threads: 1 }).data;
      if (Array.from(mine).some((v, i) => v !== aten[i])) parted++;
    });
    expect(parted).toBeGreaterThan(10);
  });
});
