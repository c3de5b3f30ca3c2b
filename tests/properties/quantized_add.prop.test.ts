import { describe, expect, it } from 'vitest';
import { quantizedAddCase } from '../arbitraries/quantized_add_case.js';
import { itAgrees } from '../support/agreement_property.js';
import { checkProperty } from '../support/property.js';
import { impl } from '../../impl/index.js';

describe('quantized_add: reference and impl agree bit for bit', () => {
  itAgrees({
    name: 'quantized_add agrees',
    cases: quantizedAddCase,
    run: (ops, c) => ops.quantizedAdd(c.a, c.b, c.attrs),
    bounds: { minOutputShare: 0.99, minDistinctOutputs: 200 },
  });

  it('the generated cases part the two forms: on avx2 and avx512 some outputs differ from the all-scalar DEFAULT (non-vacuity)', () => {
    let parted = 0;
    checkProperty('quantized_add forms part', quantizedAddCase, (c) => {
      if (c.attrs.cpuCapability === 'default') return;
      const vector = impl.quantizedAdd(c.a, c.b, c.attrs).data;
      const scalar = impl.quantizedAdd(c.a, c.b, { ...c.attrs, cpuCapability: 'default' }).data;
      if (vector.some((v, i) => v !== scalar[i])) parted++;
    });
    expect(parted).toBeGreaterThan(20);
  });
});
