/**
 * An implementation of every op of the contract that runs only the op's contract checks (the checks
 * reference/ and impl/ both run at the top of each op, contract/op_checks.ts, conv_checks.ts,
 * requantize.ts) and computes nothing. Passed to the protocol's own dispatch (evaluateRequest), it
 * tells how far a request gets: refused while its attrs and inputs are decoded (wire format), refused
 * by the contract, or accepted; so a vector case is checked by the same decoders a backend's request
 * goes through, without a second decoder. Observers are checked as their constructors check them
 * (data-dependent refusals such as nan_observed happen while observing, and are not anticipated).
 */
import type { ConvOps } from '../../contract/conv.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import {
  checkCalculateQparams,
  checkDequantizeFloatQparams,
  checkDequantizePerChannel,
  checkDequantizePerTensor,
  checkFakeQuantizePerChannel,
  checkFakeQuantizePerTensor,
  checkFixedQparams,
  checkHistogramObserverConfig,
  checkObserverConfig,
  checkPerChannelBatch,
  checkQuantizeFloatQparams,
  checkQuantizePerChannel,
  checkQuantizePerTensor,
  checkDecomposedQuantizePerTensor,
} from '../../contract/op_checks.js';
import type { PerChannelObserverAttrs, QparamsConfig, QuantOps } from '../../contract/ops.js';
import { calculateQminQmax } from '../../contract/qrange.js';
import { type RequantizeOps, checkRequantize } from '../../contract/requantize.js';
import type { F32Tensor } from '../../contract/tensor.js';

/** How far a request got: `decoded` is set once its attrs and inputs are decoded, `accepted` once the contract checks passed. */
export interface CheckProgress {
  decoded: boolean;
  accepted: boolean;
}

/** Thrown once the contract checks passed, so that nothing is computed. */
export class ContractChecksPassed extends Error {
  override readonly name = 'ContractChecksPassed';
}

export type AllOps = QuantOps & ConvOps & RequantizeOps;

function perTensorObserver(what: string) {
  return (_batches: readonly F32Tensor[], a: QparamsConfig) => checkObserverConfig(what, a, 'per_tensor');
}

function perChannelObserver(what: string) {
  return (batches: readonly F32Tensor[], a: PerChannelObserverAttrs) => {
    checkObserverConfig(what, a, 'per_channel');
    for (const b of batches) checkPerChannelBatch(what, b, a.chAxis);
  };
}

/** The contract-checks-only ops, recording their progress in `progress`. */
export function contractCheckOps(progress: CheckProgress): AllOps {
  const only =
    <A extends unknown[]>(check: (...args: A) => unknown) =>
    (...args: A): never => {
      progress.decoded = true;
      check(...args);
      progress.accepted = true;
      throw new ContractChecksPassed();
    };
  return {
    calculateQminQmax: only(calculateQminQmax),
    calculateQparams: only(checkCalculateQparams),
    quantizePerTensor: only(checkQuantizePerTensor),
    decomposedQuantizePerTensor: only(checkDecomposedQuantizePerTensor),
    quantizePerChannel: only(checkQuantizePerChannel),
    dequantizePerTensor: only(checkDequantizePerTensor),
    dequantizePerChannel: only(checkDequantizePerChannel),
    quantizePerChannelFloatQparams: only(checkQuantizeFloatQparams),
    dequantizePerChannelFloatQparams: only(checkDequantizeFloatQparams),
    fakeQuantizePerTensorAffine: only(checkFakeQuantizePerTensor),
    fakeQuantizePerChannelAffine: only(checkFakeQuantizePerChannel),
    minMaxObserver: only(perTensorObserver('min_max_observer')),
    movingAverageMinMaxObserver: only(perTensorObserver('moving_average_min_max_observer')),
    perChannelMinMaxObserver: only(perChannelObserver('per_channel_min_max_observer')),
    movingAveragePerChannelMinMaxObserver: only(perChannelObserver('moving_average_per_channel_min_max_observer')),
    fixedQparamsObserver: only(checkFixedQparams),
    placeholderObserver: only(() => undefined), // the op itself always raises placeholder_has_no_qparams
    histogramObserver: only((_b: readonly F32Tensor[], a: Parameters<QuantOps['histogramObserver']>[1]) => checkHistogramObserverConfig('histogram_observer', a)),
    histogramObserverV2: only((_b: readonly F32Tensor[], a: Parameters<QuantOps['histogramObserverV2']>[1]) => checkHistogramObserverConfig('histogram_observer', a)),
    quantizedConv2d: only(checkConv2d),
    requantize: only(checkRequantize),
  };
}
