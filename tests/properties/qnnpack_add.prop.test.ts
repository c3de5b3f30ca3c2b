import { describe, expect, it } from 'vitest';
import { qnnpackAddCase } from '../arbitraries/integer_add_case.js';
import { itAgrees } from '../support/agreement_property.js';
import { checkProperty } from '../support/property.js';
import { qnnpackAddScalarLoopStart } from '../../contract/qnnpack_add_shift.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';

describe('qnnpack_add: reference and impl agree bit for bit', () => {
  itAgrees({
    name: 'qnnpack_add agrees',
    cases: qnnpackAddCase,
    run: (ops, c) => ops.qnnpackAdd(c.a, c.b, c.attrs),
    bounds: { minOutputShare: 0.8, minDistinctOutputs: 200 },
  });

  it('the generated cases part the code paths: with a shift of 32 or more, the same values on the scalar loop answer otherwise than on the SSE2 body (non-vacuity)', () => {
    let parted = 0;
    checkProperty('qnnpack_add paths part', qnnpackAddCase, (c) => {
      const n = c.a.data.length;
      if (n >= 8) return;
      let y: ArrayLike<number>;
      try {
        y = impl.qnnpackAdd(c.a, c.b, c.attrs).data;
      } catch {
        return;
      }
      // the same elements repeated to 8: the SSE2 body computes them
      const wide = (t: typeof c.a) => intTensor('quint8', [8 * n], Array.from({ length: 8 * n }, (_, i) => t.data[i % n] as number));
      const body = impl.qnnpackAdd(wide(c.a), wide(c.b), c.attrs).data;
      expect(qnnpackAddScalarLoopStart(8 * n)).toBe(8 * n);
      if (Array.from(y).some((v, i) => v !== body[i])) parted++;
    });
    expect(parted).toBeGreaterThan(3);
  });
});
