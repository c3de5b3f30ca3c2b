import { describe, expect, it } from 'vitest';
import { qnnpackAvgPool2dCase } from '../arbitraries/qnnpack_avg_pool2d_case.js';
import { itAgrees } from '../support/agreement_property.js';
import { checkProperty } from '../support/property.js';
import { impl } from '../../impl/index.js';

describe('qnnpack_avg_pool2d: reference and impl agree bit for bit', () => {
  itAgrees({
    name: 'qnnpack_avg_pool2d agrees',
    cases: qnnpackAvgPool2dCase,
    run: (ops, c) => ops.qnnpackAvgPool2d(c.x, c.attrs),
    bounds: { minOutputShare: 0.85, minDistinctOutputs: 200 },
  });

  it("the generated cases part QNNPACK's pool from ATen's: some outputs differ from quantized_avg_pool2d@1's on the same window (non-vacuity)", () => {
    let parted = 0;
    checkProperty('qnnpack_avg_pool2d parts from ATen', qnnpackAvgPool2dCase, (c) => {
      let mine: ArrayLike<number>;
      try {
        mine = impl.qnnpackAvgPool2d(c.x, c.attrs).data;
      } catch {
        return;
      }
      const aten = impl.quantizedAvgPool2d(c.x, { ...c.attrs, ceilMode: false, memoryFormat: 'contiguous', cpuCapability: 'default' }).data;
      if (Array.from(mine).some((v, i) => v !== aten[i])) parted++;
    });
    expect(parted).toBeGreaterThan(20);
  });
});
