import { QconformError } from '../../contract/errors.js';
import type { MovingAveragePerChannelObserverAttrs, ObserverResult, PerChannelObserverAttrs } from '../../contract/ops.js';
import type { F32Tensor } from '../../contract/tensor.js';
import { validateF32, validateList } from '../../contract/validate.js';
import { checkAveragingConstant, checkPerChannelBatch } from '../../contract/op_checks.js';
import { channelMajor } from '../axis.js';
import { resolveQparamsConfig } from '../qparams_config.js';
import { type Fold, foldRunningMinMax, movingAverageFold } from './folds.js';
import { type MinMaxState, batchMinMaxPerRow, observerResult } from './state.js';

/**
 * Per-channel min/max observers of torch 1.13 (torch/ao/quantization/observer.py,
 * PerChannelMinMaxObserver._forward, MovingAveragePerChannelMinMaxObserver.forward). Each non-empty
 * batch is permuted so ch_axis (Python-style, negative allowed) comes first, flattened to [C, -1],
 * reduced with torch.aminmax(dim=1); the first batch (empty buffers) is taken as is, later ones
 * are folded in, with torch broadcasting between [1] and [C]. Empty batches are ignored before
 * ch_axis is looked at, as in torch.
 */

/** PerChannelMinMaxObserver: running NaN-propagating min/max per channel, then calculate_qparams. */
export function perChannelMinMaxObserver(batches: readonly F32Tensor[], a: PerChannelObserverAttrs): ObserverResult {
  const what = 'per_channel_min_max_observer';
  const cfg = resolveQparamsConfig(what, a, 'per_channel');
  return observerResult(what, observePerChannel(what, batches, a.chAxis, foldRunningMinMax), false, cfg);
}

/** MovingAveragePerChannelMinMaxObserver: per-channel moving average with f32(averaging_constant). */
export function movingAveragePerChannelMinMaxObserver(batches: readonly F32Tensor[], a: MovingAveragePerChannelObserverAttrs): ObserverResult {
  const what = 'moving_average_per_channel_min_max_observer';
  const cfg = resolveQparamsConfig(what, a, 'per_channel');
  const fold = movingAverageFold(Math.fround(checkAveragingConstant(what, a.averagingConstant)));
  return observerResult(what, observePerChannel(what, batches, a.chAxis, fold), false, cfg);
}

function observePerChannel(what: string, batches: readonly F32Tensor[], chAxis: number, fold: Fold): MinMaxState {
  validateList(`${what}: batches`, batches, 'an array of float32 tensors');
  let state: MinMaxState = { min: new Float32Array(0), max: new Float32Array(0) };
  batches.forEach((batch, i) => {
    const name = `${what}: batches[${i}]`;
    validateF32(name, batch);
    if (batch.data.length === 0) return;
    const axis = checkPerChannelBatch(what, batch, chAxis);
    const observed = batchMinMaxPerRow(channelMajor(batch.data, batch.shape, axis), batch.shape[axis] as number);
    if (state.min.length === 0) {
      state = observed;
      return;
    }
    const channels = broadcastChannelCount(name, state.min.length, observed.min.length);
    state = broadcastTo(state, channels);
    fold(state, broadcastTo(observed, channels));
  });
  return state;
}

/** torch broadcasting of the [C] buffers with a batch's [C'] statistics: equal counts, or one of them is 1. */
function broadcastChannelCount(what: string, stateChannels: number, batchChannels: number): number {
  if (stateChannels === batchChannels || batchChannels === 1) return stateChannels;
  if (stateChannels === 1) return batchChannels;
  throw new QconformError('shape_mismatch', what, { channels: batchChannels, observerChannels: stateChannels }, 'a batch must have the channel count of the observer, or either count must be 1');
}

function broadcastTo(s: MinMaxState, channels: number): MinMaxState {
  if (s.min.length === channels) return s;
  return { min: new Float32Array(channels).fill(s.min[0] as number), max: new Float32Array(channels).fill(s.max[0] as number) };
}
