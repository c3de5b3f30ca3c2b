import { QconformError } from '../../contract/errors.js';
import { type F32Tensor, numel } from '../../contract/tensor.js';
import { checkPerChannelBatch } from '../../contract/op_checks.js';
import { validateF32 } from '../../contract/validate.js';
import { f32Add, f32Mul, f32Sub } from '../exact/float_arith.js';
import { type IeeeValue, NEG_INF, POS_INF } from '../exact/ieee_value.js';
import { ieeeMax, ieeeMin } from '../exact/ieee_compare.js';
import { aminmaxAll, aminmaxPerChannel, mergeRule } from './aminmax.js';

/** An observer's min_val/max_val buffers: one entry per-tensor, C entries per-channel (empty before the first batch). */
export interface RangeState {
  readonly mins: readonly IeeeValue[];
  readonly maxs: readonly IeeeValue[];
}

/** How a batch's range is merged into the state: MinMax keeps the extremes, MovingAverage blends with f32(c). */
export type RangeUpdate = { readonly kind: 'running_extremes' } | { readonly kind: 'moving_average'; readonly constant: IeeeValue };

/** Where the channels are: per-tensor (one range) or along ch_axis. */
export type RangeGrouping = { readonly kind: 'per_tensor' } | { readonly kind: 'per_channel'; readonly chAxis: number };

export const INITIAL_PER_TENSOR: RangeState = { mins: [POS_INF], maxs: [NEG_INF] };
export const INITIAL_PER_CHANNEL: RangeState = { mins: [], maxs: [] };

/**
 * The range of one non-empty batch, as the observers compute it: torch.aminmax(x) per-tensor, or
 * aminmax(dim=1) after moving ch_axis to the front and flattening (which needs a batch of rank >= 2:
 * flatten(start_dim=1) raises "Dimension out of range" on a 1-D batch).
 */
export function batchRange(batch: F32Tensor, grouping: RangeGrouping, what: string): RangeState {
  if (grouping.kind === 'per_tensor') {
    const { min, max } = aminmaxAll(batch);
    return { mins: [min], maxs: [max] };
  }
  return aminmaxPerChannel(batch, checkPerChannelBatch(what, batch, grouping.chAxis));
}

/** MovingAverage blend: f32(old + f32(f32(c) * f32(new - old))), each a float32 tensor op (observer.py l.~700). */
function movingAverage(old: IeeeValue, current: IeeeValue, constant: IeeeValue): IeeeValue {
  return f32Add(old, f32Mul(constant, f32Sub(current, old)));
}

/** Whether the observer has seen no batch yet (observer.py: min_val = +inf and max_val = -inf per tensor, an empty buffer per channel). */
function isFirstBatch(state: RangeState, grouping: RangeGrouping): boolean {
  if (grouping.kind === 'per_channel') return state.mins.length === 0;
  const [mn, mx] = [state.mins[0]!, state.maxs[0]!];
  return mn.kind === 'infinity' && !mn.negative && mx.kind === 'infinity' && mx.negative;
}

/**
 * One observer forward (MinMaxObserver, MovingAverageMinMaxObserver, PerChannelMinMaxObserver,
 * MovingAveragePerChannelMinMaxObserver in torch/ao/quantization/observer.py 1.13): empty batches are
 * ignored; the first batch's range is taken as is; later batches are merged by `update`.
 */
export function observeBatch(state: RangeState, input: F32Tensor, grouping: RangeGrouping, update: RangeUpdate, what: string): RangeState {
  validateF32(`${what}: batch`, input);
  if (numel(input.shape) === 0) return state;
  const current = batchRange(input, grouping, what);
  if (isFirstBatch(state, grouping)) return current;
  const channels = broadcastChannels(state.mins.length, current.mins.length, what);
  state = broadcastRange(state, channels);
  const batch = broadcastRange(current, channels);
  if (update.kind === 'moving_average') {
    return {
      mins: state.mins.map((old, c) => movingAverage(old, batch.mins[c]!, update.constant)),
      maxs: state.maxs.map((old, c) => movingAverage(old, batch.maxs[c]!, update.constant)),
    };
  }
  // torch.min(new, old) / torch.max(new, old)
  const rule = (c: number) => mergeRule(c, state.mins.length, grouping.kind === 'per_tensor');
  return {
    mins: batch.mins.map((b, c) => ieeeMin(b, state.mins[c]!, rule(c))),
    maxs: batch.maxs.map((b, c) => ieeeMax(b, state.maxs[c]!, rule(c))),
  };
}

/** torch broadcasting of [C] state against a batch's [C'] range: equal counts, or either count is 1. */
function broadcastChannels(stateChannels: number, batchChannels: number, what: string): number {
  if (stateChannels === batchChannels || batchChannels === 1) return stateChannels;
  if (stateChannels === 1) return batchChannels;
  throw new QconformError('shape_mismatch', `${what}: batch`, { channels: batchChannels, observed: stateChannels }, 'a batch needs the observer\'s channel count, or either count must be 1');
}

/** A one-channel range repeated to `channels` (torch's broadcast of a [1] buffer); values copied, no arithmetic. */
function broadcastRange(r: RangeState, channels: number): RangeState {
  if (r.mins.length === channels) return r;
  return { mins: new Array(channels).fill(r.mins[0]), maxs: new Array(channels).fill(r.maxs[0]) };
}
