import { describe, expect, it } from 'vitest';
import { quantizedMeanCase } from '../arbitraries/quantized_mean_case.js';
import { itAgrees } from '../support/agreement_property.js';
import { checkProperty } from '../support/property.js';
import { impl } from '../../impl/index.js';

describe('quantized_mean: reference and impl agree bit for bit', () => {
  itAgrees({
    name: 'quantized_mean agrees',
    cases: quantizedMeanCase(),
    run: (ops, c) => ops.quantizedMean(c.x, c.attrs),
    bounds: { minOutputShare: 0.99, minDistinctOutputs: 200 },
  });

  it("the generated cases part the paths and the channels' summation orders (non-vacuity)", () => {
    let byPath = 0;
    let byOrder = 0;
    checkProperty('quantized_mean parts', quantizedMeanCase(), (c) => {
      const y = impl.quantizedMean(c.x, c.attrs).data;
      const differs = (other: ArrayLike<number>) => Array.from(y).some((v, i) => v !== other[i]);
      if (differs(impl.quantizedMean(c.x, { ...c.attrs, memoryFormat: c.attrs.memoryFormat === 'contiguous' ? 'channels_last' : 'contiguous' }).data)) byPath++;
      if (c.attrs.memoryFormat === 'channels_last' && differs(impl.quantizedMean(c.x, { ...c.attrs, cpuCapability: c.attrs.cpuCapability === 'avx512' ? 'avx2' : 'avx512' }).data)) byOrder++;
    });
    expect([byPath > 30, byOrder > 5]).toEqual([true, true]);
  });
});
