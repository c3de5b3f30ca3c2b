import { describe } from 'vitest';
import { qminQmaxRequest } from '../arbitraries/qmin_qmax_request.js';
import { calculateQparamsCase } from '../arbitraries/qparams_case.js';
import { itAgrees } from '../support/agreement_property.js';

describe('qparams: reference and impl agree bit for bit', () => {
  itAgrees({
    name: 'calculate_qmin_qmax agrees',
    cases: qminQmaxRequest,
    run: (ops, c) => ops.calculateQminQmax(c),
    bounds: { minOutputShare: 0.6, minDistinctOutputs: 50 },
  });

  itAgrees({
    name: 'calculate_qparams agrees',
    cases: calculateQparamsCase,
    run: (ops, c) => ops.calculateQparams(c.minVal, c.maxVal, c.config),
    bounds: { minOutputShare: 0.5, minDistinctOutputs: 300 },
  });
});
