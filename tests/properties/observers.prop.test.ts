import fc from 'fast-check';
import { describe } from 'vitest';
import { averagingConstant } from '../arbitraries/averaging_constant.js';
import { fixedQparamsAttrs } from '../arbitraries/fixed_qparams_attrs.js';
import { perChannelBatches } from '../arbitraries/per_channel_batches.js';
import { perTensorBatches } from '../arbitraries/per_tensor_batches.js';
import { anyQuantDtype } from '../arbitraries/quant_dtype.js';
import { perChannelConfig, perTensorConfig } from '../arbitraries/qparams_config.js';
import { itAgrees } from '../support/agreement_property.js';

const OBSERVER_BOUNDS = { minOutputShare: 0.4, minDistinctOutputs: 300 };

const perTensorCase = fc.record({ batches: perTensorBatches, config: perTensorConfig });
const perChannelCase = fc.record({ observed: perChannelBatches, config: perChannelConfig });

describe('observers: reference and impl agree bit for bit', () => {
  itAgrees({
    name: 'min_max_observer agrees',
    cases: perTensorCase,
    run: (ops, c) => ops.minMaxObserver(c.batches, c.config),
    bounds: OBSERVER_BOUNDS,
  });

  itAgrees({
    name: 'moving_average_min_max_observer agrees',
    cases: fc.record({ batches: perTensorBatches, config: perTensorConfig, averagingConstant }),
    run: (ops, c) => ops.movingAverageMinMaxObserver(c.batches, { ...c.config, averagingConstant: c.averagingConstant }),
    bounds: OBSERVER_BOUNDS,
  });

  itAgrees({
    name: 'per_channel_min_max_observer agrees',
    cases: perChannelCase,
    run: (ops, c) => ops.perChannelMinMaxObserver(c.observed.batches, { ...c.config, chAxis: c.observed.chAxis }),
    bounds: OBSERVER_BOUNDS,
  });

  itAgrees({
    name: 'moving_average_per_channel_min_max_observer agrees',
    cases: fc.record({ observed: perChannelBatches, config: perChannelConfig, averagingConstant }),
    run: (ops, c) =>
      ops.movingAveragePerChannelMinMaxObserver(c.observed.batches, { ...c.config, chAxis: c.observed.chAxis, averagingConstant: c.averagingConstant }),
    bounds: OBSERVER_BOUNDS,
  });

  itAgrees({
    name: 'fixed_qparams_observer agrees',
    cases: fc.record({ batches: perTensorBatches, attrs: fixedQparamsAttrs }),
    run: (ops, c) => ops.fixedQparamsObserver(c.batches, c.attrs),
    bounds: { minOutputShare: 0.5, minDistinctOutputs: 100 },
  });

  itAgrees({
    name: 'placeholder_observer agrees',
    cases: fc.record({ batches: perTensorBatches, dtype: anyQuantDtype }),
    run: (ops, c) => ops.placeholderObserver(c.batches, c),
    // torch's PlaceholderObserver never yields qparams: agreement here is on the error code alone
    bounds: { minOutputShare: 0, minDistinctOutputs: 0 },
    numRuns: 100,
  });
});
