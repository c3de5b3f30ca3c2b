import { describe, expect, it } from 'vitest';
import { xnnpackAddCase } from '../arbitraries/integer_add_case.js';
import { itAgrees } from '../support/agreement_property.js';
import { checkProperty } from '../support/property.js';
import { impl } from '../../impl/index.js';

describe('xnnpack_add: reference and impl agree bit for bit', () => {
  itAgrees({
    name: 'xnnpack_add agrees',
    cases: xnnpackAddCase,
    run: (ops, c) => ops.xnnpackAdd(c.a, c.b, c.attrs),
    bounds: { minOutputShare: 0.8, minDistinctOutputs: 200 },
  });

  it("the generated cases part XNNPACK's add from ATen's qadd_kernel on the same qint8 request (non-vacuity)", () => {
    let parted = 0;
    checkProperty('xnnpack_add parts from qadd_kernel', xnnpackAddCase, (c) => {
      let mine: ArrayLike<number>;
      try {
        mine = impl.xnnpackAdd(c.a, c.b, c.attrs).data;
      } catch {
        return;
      }
      const aten = impl.quantizedAdd(c.a, c.b, { ...c.attrs, cpuCapability: 'default', memoryFormat: 'contiguous', threads: 1 }).data;
      if (Array.from(mine).some((v, i) => v !== aten[i])) parted++;
    });
    // (ties, and the 20-bit multipliers' rounding, part them on about one case in six)
    expect(parted).toBeGreaterThan(8);
  });
});
