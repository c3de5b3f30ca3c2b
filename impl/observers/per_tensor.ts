import type { F32Tensor } from '../../contract/tensor.js';
import type { MinMaxObserverAttrs, MovingAverageObserverAttrs, ObserverResult } from '../../contract/ops.js';
import { checkAveragingConstant } from '../../contract/op_checks.js';
import { validateF32, validateList } from '../../contract/validate.js';
import { resolveQparamsConfig } from '../qparams_config.js';
import { type Fold, foldRunningMinMax, movingAverageFold } from './folds.js';
import { type MinMaxState, batchMinMax, observerResult } from './state.js';

/**
 * Per-tensor min/max observers of torch 1.13 (torch/ao/quantization/observer.py): the buffers start
 * at min_val = +inf, max_val = -inf (0-dim float32); each non-empty batch is reduced with
 * torch.aminmax and folded in; empty batches are ignored.
 */

/** MinMaxObserver: running NaN-propagating min/max (foldRunningMinMax), then calculate_qparams. */
export function minMaxObserver(batches: readonly F32Tensor[], a: MinMaxObserverAttrs): ObserverResult {
  const what = 'min_max_observer';
  const cfg = resolveQparamsConfig(what, a, 'per_tensor');
  return observerResult(what, observePerTensor(what, batches, foldRunningMinMax), true, cfg);
}

/**
 * MovingAverageMinMaxObserver: the first batch (detected by min_val == inf and max_val == -inf)
 * is taken as is, later ones are averaged in with f32(averaging_constant) (movingAverageFold).
 */
export function movingAverageMinMaxObserver(batches: readonly F32Tensor[], a: MovingAverageObserverAttrs): ObserverResult {
  const what = 'moving_average_min_max_observer';
  const cfg = resolveQparamsConfig(what, a, 'per_tensor');
  const average = movingAverageFold(Math.fround(checkAveragingConstant(what, a.averagingConstant)));
  const fold: Fold = (state, batch) => {
    if (isNeverObserved(state)) {
      state.min.set(batch.min);
      state.max.set(batch.max);
    } else {
      average(state, batch);
    }
  };
  return observerResult(what, observePerTensor(what, batches, fold), true, cfg);
}

function observePerTensor(what: string, batches: readonly F32Tensor[], fold: Fold): MinMaxState {
  validateList(`${what}: batches`, batches, 'an array of float32 tensors');
  const state: MinMaxState = { min: Float32Array.of(Infinity), max: Float32Array.of(-Infinity) };
  batches.forEach((batch, i) => {
    validateF32(`${what}: batches[${i}]`, batch);
    if (batch.data.length > 0) fold(state, batchMinMax(batch.data));
  });
  return state;
}

function isNeverObserved(state: MinMaxState): boolean {
  return state.min[0] === Infinity && state.max[0] === -Infinity;
}
