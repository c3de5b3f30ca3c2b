import fc from 'fast-check';
import { type F32Tensor, f32Tensor } from '../../contract/tensor.js';
import { batchValues } from './batch_values.js';

export interface SingleChannelBatches {
  /** 1-D batches for a per-tensor observer */
  readonly flat: readonly F32Tensor[];
  /** the same values as one channel: [1, n] with ch_axis 0 / -2, or [n, 1] with ch_axis 1 / -1 */
  readonly oneChannel: readonly F32Tensor[];
  readonly chAxis: number;
}

const layout = fc.constantFrom({ channelFirst: true, chAxis: 0 }, { channelFirst: true, chAxis: -2 }, { channelFirst: false, chAxis: 1 }, { channelFirst: false, chAxis: -1 });

/** 1-4 non-empty batches of up to 40 values, seen both per-tensor and as a single channel. */
export const singleChannelBatches: fc.Arbitrary<SingleChannelBatches> = fc
  .record({
    values: fc.array(fc.integer({ min: 1, max: 40 }).chain(batchValues), { minLength: 1, maxLength: 4 }),
    layout,
  })
  .map(({ values, layout: { channelFirst, chAxis } }) => ({
    flat: values.map((v) => f32Tensor([v.length], v)),
    oneChannel: values.map((v) => f32Tensor(channelFirst ? [1, v.length] : [v.length, 1], v)),
    chAxis,
  }));
