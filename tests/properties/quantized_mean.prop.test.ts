import { describe, expect, it } from 'vitest';
import { type QuantizedMeanCase, quantizedMeanCase } from '../arbitraries/quantized_mean_case.js';
import { isQconformError } from '../../contract/errors.js';
import type { QuantizedMeanAttrs } from '../../contract/quantized_mean.js';
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
    // the outputs under other attributes; null where the contract refuses them (torch raises: a channels_last x of one
    // channel or pixel without keepdim)
    const meanOf = (c: QuantizedMeanCase, attrs: Partial<QuantizedMeanAttrs>) => {
      try {
        return impl.quantizedMean(c.x, { ...c.attrs, ...attrs }).data;
      } catch (e) {
        if (isQconformError(e)) return null;
        throw e;
      }
    };
    checkProperty('quantized_mean parts', quantizedMeanCase(), (c) => {
      const y = meanOf(c, {});
      const differs = (other: ArrayLike<number> | null) => y !== null && other !== null && Array.from(y).some((v, i) => v !== other[i]);
      if (differs(meanOf(c, { memoryFormat: c.attrs.memoryFormat === 'contiguous' ? 'channels_last' : 'contiguous' }))) byPath++;
      if (c.attrs.memoryFormat === 'channels_last' && differs(meanOf(c, { cpuCapability: c.attrs.cpuCapability === 'avx512' ? 'avx2' : 'avx512' }))) byOrder++;
    });
    expect([byPath > 30, byOrder > 5]).toEqual([true, true]);
  });
});
