import { describe } from 'vitest';
import { perChannelFakeQuantizeCase, perTensorFakeQuantizeCase } from '../arbitraries/fake_quantize_cases.js';
import { itAgrees } from '../support/agreement_property.js';
import { perChannelTies, perTensorTies } from '../support/float32_steps.js';

/** Outputs are floats: no saturation count, but they must vary and the inputs must hit exact ties. */
const FAKE_QUANTIZE_BOUNDS = { minOutputShare: 0.5, minDistinctOutputs: 300, minTieCases: 30 };

describe('fake_quantize: reference and impl agree bit for bit', () => {
  itAgrees({
    name: 'fake_quantize_per_tensor_affine agrees',
    cases: perTensorFakeQuantizeCase,
    run: (ops, c) => ops.fakeQuantizePerTensorAffine(c.x, c),
    bounds: FAKE_QUANTIZE_BOUNDS,
    tallyCase: (tally, c) => {
      tally.recordTies(perTensorTies(c.x, c.scale));
    },
  });

  itAgrees({
    name: 'fake_quantize_per_channel_affine agrees',
    cases: perChannelFakeQuantizeCase,
    run: (ops, c) => ops.fakeQuantizePerChannelAffine(c.x, c.scales, c.zeroPoints, c),
    bounds: FAKE_QUANTIZE_BOUNDS,
    tallyCase: (tally, c, outcome) => {
      if (outcome.kind !== 'output') return;
      tally.recordTies(perChannelTies(c.x, c.scales.data, c.axis));
    },
  });
});
