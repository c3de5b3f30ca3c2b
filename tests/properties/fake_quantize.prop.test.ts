import { describe } from 'vitest';
import { perChannelFakeQuantizeCase, perTensorFakeQuantizeCase } from '../arbitraries/fake_quantize_cases.js';
import { channelLayout, channelOf } from '../../contract/tensor.js';
import { itAgrees } from '../support/agreement_property.js';
import { countTies, float32Product, float32Reciprocal } from '../support/float32_steps.js';

/** Outputs are floats: no saturation count, but they must vary and the inputs must hit exact ties. */
const FAKE_QUANTIZE_BOUNDS = { minOutputShare: 0.5, minDistinctOutputs: 300, minTieCases: 30 };

describe('fake_quantize: reference and impl agree bit for bit', () => {
  itAgrees({
    name: 'fake_quantize_per_tensor_affine agrees',
    cases: perTensorFakeQuantizeCase,
    run: (ops, c) => ops.fakeQuantizePerTensorAffine(c.x, c),
    bounds: FAKE_QUANTIZE_BOUNDS,
    tallyCase: (tally, c) => {
      const inverse = float32Reciprocal(c.scale);
      tally.recordTies(countTies(c.x.data, (v) => float32Product(v, inverse)));
    },
  });

  itAgrees({
    name: 'fake_quantize_per_channel_affine agrees',
    cases: perChannelFakeQuantizeCase,
    run: (ops, c) => ops.fakeQuantizePerChannelAffine(c.x, c.scales, c.zeroPoints, c),
    bounds: FAKE_QUANTIZE_BOUNDS,
    tallyCase: (tally, c, outcome) => {
      if (outcome.kind !== 'output') return;
      const layout = channelLayout(c.x.shape, c.axis);
      tally.recordTies(countTies(c.x.data, (v, i) => float32Product(v, float32Reciprocal(c.scales.data[channelOf(i, layout)]!))));
    },
  });
});
