import { checkAveragingConstant, checkObserverConfig } from '../../contract/op_checks.js';
import type {
  MinMaxObserverAttrs,
  MovingAverageObserverAttrs,
  MovingAveragePerChannelObserverAttrs,
  ObserverResult,
  PerChannelObserverAttrs,
  QparamsConfig,
} from '../../contract/ops.js';
import type { F32Tensor } from '../../contract/tensor.js';
import { validateList } from '../../contract/validate.js';
import { toF32 } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { calculateQparamsFromState } from '../ops/qparams.js';
import { toF32Tensor } from '../values.js';
import {
  INITIAL_PER_CHANNEL,
  INITIAL_PER_TENSOR,
  type RangeGrouping,
  type RangeState,
  type RangeUpdate,
  observeBatch,
} from './running_range.js';

/**
 * Run the batches through one observer and compute its qparams: forward(...) for each batch, then calculate_qparams().
 * `updateOf` gives the range update once the constructor's checks passed (its own check, averaging_constant's, runs then).
 */
function runObserver(
  what: string,
  batches: readonly F32Tensor[],
  cfg: QparamsConfig,
  grouping: RangeGrouping,
  updateOf: () => RangeUpdate,
): ObserverResult {
  const checked = checkObserverConfig(what, cfg, grouping.kind); // the constructor's checks run before any batch
  const update = updateOf();
  validateList(`${what}: batches`, batches, 'an array of float32 tensors');
  let state: RangeState = grouping.kind === 'per_tensor' ? INITIAL_PER_TENSOR : INITIAL_PER_CHANNEL;
  for (const batch of batches) state = observeBatch(state, batch, grouping, update, what);
  const shape = grouping.kind === 'per_tensor' ? [] : [state.mins.length];
  const minVal = toF32Tensor(shape, state.mins);
  const maxVal = toF32Tensor(shape, state.maxs);
  return { minVal, maxVal, ...calculateQparamsFromState(minVal, maxVal, checked, cfg.eps, what) };
}

/** averaging_constant is a Python float, cast to float32 when it multiplies the float32 state; torch accepts any value (NaN ends as nan_observed). */
function movingAverageUpdate(what: string, c: number): RangeUpdate {
  return { kind: 'moving_average', constant: toF32(fromFloat64(checkAveragingConstant(what, c))) };
}

const RUNNING_EXTREMES: RangeUpdate = { kind: 'running_extremes' };

/** torch.ao.quantization.MinMaxObserver (torch 1.13 torch/ao/quantization/observer.py l.378): the running min / max by exact comparisons (torch.aminmax's lane order), then calculate_qparams' float32 steps (reference/ops/qparams.ts). */
export function minMaxObserver(batches: readonly F32Tensor[], a: MinMaxObserverAttrs): ObserverResult {
  return runObserver('min_max_observer', batches, a, { kind: 'per_tensor' }, () => RUNNING_EXTREMES);
}

/** torch.ao.quantization.MovingAverageMinMaxObserver (observer.py l.515): the float32 moving-average blend of running_range.ts (each step rounded via reference/exact), then calculate_qparams. */
export function movingAverageMinMaxObserver(batches: readonly F32Tensor[], a: MovingAverageObserverAttrs): ObserverResult {
  const what = 'moving_average_min_max_observer';
  return runObserver(what, batches, a, { kind: 'per_tensor' }, () => movingAverageUpdate(what, a.averagingConstant));
}

/** torch.ao.quantization.PerChannelMinMaxObserver (observer.py l.606): per-channel min / max by exact comparisons, then calculate_qparams' float32 steps per channel. */
export function perChannelMinMaxObserver(batches: readonly F32Tensor[], a: PerChannelObserverAttrs): ObserverResult {
  return runObserver('per_channel_min_max_observer', batches, a, { kind: 'per_channel', chAxis: a.chAxis }, () => RUNNING_EXTREMES);
}

/** torch.ao.quantization.MovingAveragePerChannelMinMaxObserver (observer.py l.799): the float32 moving-average blend per channel, then calculate_qparams. */
export function movingAveragePerChannelMinMaxObserver(
  batches: readonly F32Tensor[],
  a: MovingAveragePerChannelObserverAttrs,
): ObserverResult {
  const what = 'moving_average_per_channel_min_max_observer';
  return runObserver(what, batches, a, { kind: 'per_channel', chAxis: a.chAxis }, () => movingAverageUpdate(what, a.averagingConstant));
}
