import { describe, expect, it } from 'vitest';
import { quantizedHardActivationCase } from '../arbitraries/quantized_hard_activation_case.js';
import { itAgrees } from '../support/agreement_property.js';
import { checkProperty } from '../support/property.js';
import { impl } from '../../impl/index.js';

for (const fn of ['hardswish', 'hardsigmoid'] as const) {
  const op = fn === 'hardswish' ? 'quantizedHardswish' : 'quantizedHardsigmoid';
  describe(`quantized_${fn}: reference and impl agree bit for bit`, () => {
    itAgrees({
      name: `quantized_${fn} agrees`,
      cases: quantizedHardActivationCase(fn),
      run: (ops, c) => ops[op](c.x, c.attrs),
      bounds: { minOutputShare: 0.99, minDistinctOutputs: 200 },
    });

    it('the generated cases part the two forms: on avx2 and avx512 some outputs differ from the all-scalar DEFAULT (non-vacuity)', () => {
      let parted = 0;
      checkProperty(`quantized_${fn} forms part`, quantizedHardActivationCase(fn), (c) => {
        if (c.attrs.cpuCapability === 'default') return;
        const vector = impl[op](c.x, c.attrs).data;
        const scalar = impl[op](c.x, { ...c.attrs, cpuCapability: 'default' }).data;
        if (vector.some((v, i) => v !== scalar[i])) parted++;
      });
      expect(parted).toBeGreaterThan(15);
    });
  });
}
