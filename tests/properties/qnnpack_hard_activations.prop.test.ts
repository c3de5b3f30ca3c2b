import { describe } from 'vitest';
import { qnnpackHardActivationCase } from '../arbitraries/qnnpack_hard_activation_case.js';
import { itAgrees } from '../support/agreement_property.js';

for (const fn of ['hardswish', 'hardsigmoid'] as const) {
  describe(`qnnpack_${fn}: reference and impl agree bit for bit`, () => {
    itAgrees({
      name: `qnnpack_${fn} agrees`,
      cases: qnnpackHardActivationCase(fn),
      run: (ops, c) => (fn === 'hardswish' ? ops.qnnpackHardswish(c.x, c.attrs) : ops.qnnpackHardsigmoid(c.x, c.attrs)),
      bounds: { minOutputShare: 0.9, minDistinctOutputs: 200 },
    });
  });
}
