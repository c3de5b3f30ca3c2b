import { describe } from 'vitest';
import { floatQparamsDequantizeCase, perChannelDequantizeCase, perTensorDequantizeCase } from '../arbitraries/dequantize_cases.js';
import { itAgrees } from '../support/agreement_property.js';

const DEQUANTIZE_BOUNDS = { minOutputShare: 0.5, minDistinctOutputs: 300 };

describe('dequantize: reference and impl agree bit for bit', () => {
  itAgrees({
    name: 'dequantize_per_tensor agrees',
    cases: perTensorDequantizeCase,
    run: (ops, c) => ops.dequantizePerTensor(c.q, c),
    bounds: DEQUANTIZE_BOUNDS,
  });

  itAgrees({
    name: 'dequantize_per_channel agrees',
    cases: perChannelDequantizeCase,
    run: (ops, c) => ops.dequantizePerChannel(c.q, c.scales, c.zeroPoints, c),
    bounds: DEQUANTIZE_BOUNDS,
  });

  itAgrees({
    name: 'dequantize_per_channel_float_qparams agrees',
    cases: floatQparamsDequantizeCase,
    run: (ops, c) => ops.dequantizePerChannelFloatQparams(c.q, c.scales, c.zeroPoints, c),
    bounds: DEQUANTIZE_BOUNDS,
  });
});
