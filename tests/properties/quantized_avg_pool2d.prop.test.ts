import { describe, expect, it } from 'vitest';
import { quantizedAvgPool2dCase } from '../arbitraries/quantized_avg_pool2d_case.js';
import { itAgrees } from '../support/agreement_property.js';
import { checkProperty } from '../support/property.js';
import { impl } from '../../impl/index.js';

describe('quantized_avg_pool2d: reference and impl agree bit for bit', () => {
  itAgrees({
    name: 'quantized_avg_pool2d agrees',
    cases: quantizedAvgPool2dCase,
    run: (ops, c) => ops.quantizedAvgPool2d(c.x, c.attrs),
    bounds: { minOutputShare: 0.99, minDistinctOutputs: 200 },
  });

  it("the generated cases part torch's two kernels: some 4-D inputs pool otherwise in the other layout (non-vacuity)", () => {
    let parted = 0;
    checkProperty('quantized_avg_pool2d kernels part', quantizedAvgPool2dCase, (c) => {
      if (c.x.shape.length !== 4 || c.x.shape[1] === 1 || c.x.shape[2]! * c.x.shape[3]! === 1) return;
      const other = c.attrs.memoryFormat === 'channels_last' ? 'contiguous' : 'channels_last';
      const mine = impl.quantizedAvgPool2d(c.x, c.attrs).data;
      const theirs = impl.quantizedAvgPool2d(c.x, { ...c.attrs, memoryFormat: other }).data;
      if (mine.some((v, i) => v !== theirs[i])) parted++;
    });
    expect(parted).toBeGreaterThan(10);
  });

  it("the generated cases part torch 1.13's op from 2.6's: some avx512 pools store QuantizeAvx512's repeated elements under @1 only (non-vacuity)", () => {
    let parted = 0;
    checkProperty('quantized_avg_pool2d versions part', quantizedAvgPool2dCase, (c) => {
      const v1 = impl.quantizedAvgPool2d(c.x, { ...c.attrs, semantics: 1 }).data;
      const v2 = impl.quantizedAvgPool2d(c.x, { ...c.attrs, semantics: 2 }).data;
      if (v1.some((v, i) => v !== v2[i])) parted++;
    });
    expect(parted).toBeGreaterThan(3);
  });
});
