import { describe, expect, it } from 'vitest';
import { quantizedMulCase } from '../arbitraries/quantized_mul_case.js';
import { itAgrees } from '../support/agreement_property.js';
import { checkProperty } from '../support/property.js';
import { impl } from '../../impl/index.js';

describe('quantized_mul: reference and impl agree bit for bit', () => {
  itAgrees({
    name: 'quantized_mul agrees',
    cases: quantizedMulCase,
    run: (ops, c) => ops.quantizedMul(c.a, c.b, c.attrs),
    bounds: { minOutputShare: 0.9, minDistinctOutputs: 200 },
  });

  it('the generated cases part the forms: some outputs change when the capability (the loop step, the DEFAULT vector form) does (non-vacuity)', () => {
    let parted = 0;
    checkProperty('quantized_mul forms part', quantizedMulCase, (c) => {
      const run = (cpuCapability: 'default' | 'avx2' | 'avx512') => {
        try {
          return Array.from(impl.quantizedMul(c.a, c.b, { ...c.attrs, cpuCapability }).data);
        } catch {
          return null;
        }
      };
      const [avx2, avx512] = [run('avx2'), run('avx512')];
      if (avx2 && avx512 && avx2.some((v, i) => v !== avx512[i])) parted++;
    });
    expect(parted).toBeGreaterThan(5);
  });
});
