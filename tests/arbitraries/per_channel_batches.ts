import fc from 'fast-check';
import { type F32Tensor, f32Tensor, numel } from '../../contract/tensor.js';
import { batchValues } from './batch_values.js';
import { type ChannelShape, channelShape } from './channel_shape.js';

export interface PerChannelBatches {
  readonly batches: readonly F32Tensor[];
  readonly chAxis: number;
}

/** ch_axis as observers take it: the channel axis, often negative (Python indexing), rarely out of range. */
function observerChAxis(s: ChannelShape): fc.Arbitrary<number> {
  const rank = s.shape.length;
  return fc.oneof({ weight: 10, arbitrary: fc.constant(s.axis) }, { weight: 8, arbitrary: fc.constant(s.axis - rank) }, { weight: 1, arbitrary: fc.constant(rank) });
}

function withChannels(s: ChannelShape, channels: number): number[] {
  return s.shape.map((d, i) => (i === s.axis ? channels : d));
}

/** A batch shape: the observer's, rarely one with 1 or C + 1 channels (torch broadcasts 1), empty, or 1-D (rejected). */
function batchShape(s: ChannelShape): fc.Arbitrary<readonly number[]> {
  const channels = s.shape[s.axis]!;
  return fc.oneof(
    { weight: 30, arbitrary: fc.constant(s.shape) },
    { weight: 2, arbitrary: fc.constantFrom(withChannels(s, 1), withChannels(s, channels + 1)) },
    { weight: 2, arbitrary: fc.constant(s.shape.map((d, i) => (i === s.axis ? d : 0))) },
    { weight: 1, arbitrary: fc.constant([channels]) },
  );
}

/** 1 to 4 batches of rank 2-3 with up to 40 channels, for the per-channel observers. */
export const perChannelBatches: fc.Arbitrary<PerChannelBatches> = channelShape({ minRank: 2, maxRank: 3, maxChannels: 40 }).chain((s) =>
  fc.record({
    chAxis: observerChAxis(s),
    batches: fc.array(
      batchShape(s).chain((shape) => batchValues(numel(shape)).map((v) => f32Tensor(shape, v))),
      { minLength: 1, maxLength: 4 },
    ),
  }),
);
