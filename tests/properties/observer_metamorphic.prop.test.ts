import fc from 'fast-check';
import { describe, it } from 'vitest';
import { unitAveragingConstant } from '../arbitraries/averaging_constant.js';
import { permutedBatches } from '../arbitraries/permuted_batches.js';
import { PER_TENSOR_QSCHEMES, perTensorConfig, qparamsConfig } from '../arbitraries/qparams_config.js';
import { singleChannelBatches } from '../arbitraries/single_channel_batches.js';
import type { ObserverResult, QuantOps } from '../../contract/ops.js';
import type { F32Tensor } from '../../contract/tensor.js';
import { outcomeOf } from '../support/agreement.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { CoverageTally } from '../support/coverage_tally.js';
import { checkProperty } from '../support/property.js';
import { PROPERTY_RUNS } from '../support/run_budget.js';
import { expectSameValues } from '../support/value_equality.js';

/** The numbers an observer reports: state and qparams (shapes differ between per-tensor and per-channel). */
const observedValues = (r: ObserverResult) => ({ minVal: r.minVal.data, maxVal: r.maxVal.data, scale: r.scale.data, zeroPoint: r.zeroPoint.data });

const wellFormedPerTensorConfig = qparamsConfig(PER_TENSOR_QSCHEMES);
const PER_CHANNEL_TWIN = { per_tensor_affine: 'per_channel_affine', per_tensor_symmetric: 'per_channel_symmetric' } as const;

type ObserverRun = (ops: QuantOps, batches: readonly F32Tensor[], attrs: Parameters<QuantOps['movingAveragePerChannelMinMaxObserver']>[1]) => ObserverResult;

const SINGLE_CHANNEL_TWINS: readonly { name: string; perTensor: ObserverRun; perChannel: ObserverRun }[] = [
  {
    name: 'PerChannelMinMaxObserver on one channel equals MinMaxObserver',
    perTensor: (ops, b, a) => ops.minMaxObserver(b, a),
    perChannel: (ops, b, a) => ops.perChannelMinMaxObserver(b, a),
  },
  {
    name: 'MovingAveragePerChannelMinMaxObserver on one channel equals MovingAverageMinMaxObserver',
    perTensor: (ops, b, a) => ops.movingAverageMinMaxObserver(b, a),
    perChannel: (ops, b, a) => ops.movingAveragePerChannelMinMaxObserver(b, a),
  },
];

describe.each(IMPLEMENTATIONS)('%s observers: metamorphic relations', (side, ops) => {
  /*
   * MinMaxObserver keeps the extremes, so reordering batches or elements cannot change min/max as NUMBERS.
   * Their BITS can change: torch's aminmax folds 8 lanes in a fixed order and each min/max kernel returns
   * one fixed operand on a tie, so whether +0 or -0 survives a tie depends on where the zeros sit. Hence
   * values (===, -0 === +0) and not bits; the qparams follow from the values alone.
   */
  const orderName = `${side}: MinMaxObserver values do not depend on batch or element order`;
  it(orderName, () => {
    const tally = new CoverageTally();
    checkProperty(orderName, fc.record({ observed: permutedBatches, config: perTensorConfig }), ({ observed, config }) => {
      const original = outcomeOf(side, () => ops.minMaxObserver(observed.batches, config));
      expectSameValues(original, outcomeOf(side, () => ops.minMaxObserver(observed.permuted, config)), observedValues);
      tally.record(original);
    }, PROPERTY_RUNS);
    tally.expectNonVacuous({ minOutputShare: 0.5, minDistinctOutputs: 300 });
  });

  for (const twin of SINGLE_CHANNEL_TWINS) {
    const name = `${side}: ${twin.name}`;
    it(name, () => {
      const tally = new CoverageTally();
      /*
       * Averaging constants stay in [0, 1]: outside it a moving average can drive a 0-dim state to exactly
       * (+inf, -inf), which torch treats as "never observed" (the next batch restarts it, calculate_qparams
       * returns defaults) while a [1] state keeps averaging or fails the min <= max assertion.
       */
      const cases = fc.record({ observed: singleChannelBatches, config: wellFormedPerTensorConfig, averagingConstant: unitAveragingConstant });
      checkProperty(name, cases, ({ observed, config, averagingConstant: c }) => {
        const perTensor = outcomeOf(side, () => twin.perTensor(ops, observed.flat, { ...config, averagingConstant: c, chAxis: 0 }));
        tally.record(perTensor);
        const perChannelAttrs = { ...config, qscheme: PER_CHANNEL_TWIN[config.qscheme as keyof typeof PER_CHANNEL_TWIN], averagingConstant: c, chAxis: observed.chAxis };
        expectSameValues(perTensor, outcomeOf(side, () => twin.perChannel(ops, observed.oneChannel, perChannelAttrs)), observedValues);
      }, PROPERTY_RUNS);
      tally.expectNonVacuous({ minOutputShare: 0.4, minDistinctOutputs: 300 });
    });
  }
});
