import { describe, expect, it } from 'vitest';
import { quantizedCatCase } from '../arbitraries/quantized_cat_case.js';
import { itAgrees } from '../support/agreement_property.js';
import { checkProperty } from '../support/property.js';
import { impl } from '../../impl/index.js';

describe('quantized_cat: reference and impl agree bit for bit', () => {
  itAgrees({
    name: 'quantized_cat agrees',
    cases: quantizedCatCase,
    run: (ops, c) => ops.quantizedCat(c.inputs, c.attrs),
    bounds: { minOutputShare: 0.99, minDistinctOutputs: 200 },
  });

  it("the generated cases part the vector and scalar forms: some outputs change under the DEFAULT capability (non-vacuity)", () => {
    let parted = 0;
    checkProperty('quantized_cat forms part', quantizedCatCase, (c) => {
      if (c.attrs.cpuCapability === 'default') return;
      const mine = impl.quantizedCat(c.inputs, c.attrs).data;
      const scalar = impl.quantizedCat(c.inputs, { ...c.attrs, cpuCapability: 'default' }).data;
      if (mine.some((v, i) => v !== scalar[i])) parted++;
    });
    expect(parted).toBeGreaterThan(5);
  });
});
