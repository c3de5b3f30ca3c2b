/**
 * The channel moves of a torch forward that explain carries (conformance/explain/channel_gather_step.ts): which input
 * channel each output channel is for a part of Tensor.chunk along dim 1 (ATen's chunk: parts of ceil(C / chunks)) and
 * for a channel shuffle by g, what torch refuses (a part past the channels, a C that g does not divide), what explain
 * does not run (a chunk of a batch of more than one: a strided view; more channels than the shuffle was probed on), and
 * that the integers, in their own storage, and the fake-quant floats move alike, batch by batch.
 */
import { describe, expect, it } from 'vitest';
import { gatherSources, runChannelGather } from '../../conformance/explain/channel_gather_step.js';
import type { ChannelGatherStep } from '../../conformance/explain/model_types.js';
import { byteTensor, f32Tensor, intTensor } from '../../contract/tensor.js';

const q = { scale: 0.5, zeroPoint: 3, dtype: 'quint8' as const };
const shuffle = (groups: number, probedChannels = 1024) => ({ kind: 'channel_shuffle' as const, groups, probedChannels });
const chunk = (chunks: number, index: number) => ({ kind: 'chunk' as const, chunks, index });

describe('channel moves of a torch forward', () => {
  it("gives a chunk's parts as ATen's chunk splits: ceil(C / chunks) channels, the last part shorter", () => {
    expect(gatherSources(chunk(2, 0), 5, 1)).toEqual([0, 1, 2]);
    expect(gatherSources(chunk(2, 1), 5, 1)).toEqual([3, 4]);
    expect(gatherSources(chunk(3, 2), 7, 1)).toEqual([6]);
    // a whole tensor (one part) of a batch of two is the tensor itself
    expect(gatherSources(chunk(1, 0), 3, 2)).toEqual([0, 1, 2]);
  });

  it('refuses a part torch does not give, and a part of a batch of more than one (a strided view)', () => {
    // chunk(4) of 5 channels: parts of 2, so three parts; the forward unpacking four fails in torch
    expect(gatherSources(chunk(4, 3), 5, 1)).toEqual({ notRun: expect.stringMatching(/gives 3 parts/) });
    expect(gatherSources(chunk(0, 0), 5, 1)).toEqual({ notRun: expect.stringMatching(/greater than 0/) });
    expect(gatherSources(chunk(2, 0), 4, 2)).toEqual({ notRun: expect.stringMatching(/batch of 2 is a strided view/) });
  });

  it('gives the channel shuffle by g: output c from input (c mod g)(C / g) + floor(c / g)', () => {
    expect(gatherSources(shuffle(2), 6, 1)).toEqual([0, 3, 1, 4, 2, 5]);
    expect(gatherSources(shuffle(3), 6, 4)).toEqual([0, 2, 4, 1, 3, 5]);
    expect(gatherSources(shuffle(1), 3, 1)).toEqual([0, 1, 2]);
    expect(gatherSources(shuffle(2), 5, 1)).toEqual({ notRun: expect.stringMatching(/needs 2 to divide the 5 channels/) });
    expect(gatherSources(shuffle(2, 8), 10, 1)).toEqual({ notRun: expect.stringMatching(/1 to 8 channels/) });
  });

  it('moves the integers in their storage and the fake-quant floats alike, in every batch element', () => {
    const step: ChannelGatherStep = { kind: 'channel_gather', name: 's', opType: 'channel_shuffle', gather: shuffle(2), x: q };
    // [2, 4, 1, 2]: value = 100 n + 10 c + w
    const values = [0, 1].flatMap((n) => [0, 1, 2, 3].flatMap((c) => [0, 1].map((w) => 100 * n + 10 * c + w)));
    const expected = [0, 1].flatMap((n) => [0, 2, 1, 3].flatMap((c) => [0, 1].map((w) => 100 * n + 10 * c + w)));
    for (const xq of [intTensor('quint8', [2, 4, 1, 2], values), byteTensor('quint8', [2, 4, 1, 2], Uint8Array.from(values))]) {
      const r = runChannelGather(step, { xq, xf: f32Tensor([2, 4, 1, 2], values.map((v) => v / 2)), q });
      if ('notRun' in r) throw new Error(r.notRun);
      expect(r.xq.data.constructor).toBe(xq.data.constructor);
      expect(Array.from(r.xq.data)).toEqual(expected);
      expect(Array.from(r.xf!.data)).toEqual(expected.map((v) => v / 2));
      expect([r.xq.shape, r.report.channels]).toEqual([[2, 4, 1, 2], { input: 4, output: 4 }]);
    }
    const part = runChannelGather({ ...step, gather: chunk(2, 1) }, { xq: intTensor('quint8', [1, 4, 1, 2], values.slice(0, 8)), xf: null, q });
    expect('notRun' in part ? part : [part.xq.shape, Array.from(part.xq.data), part.xf]).toEqual([[1, 2, 1, 2], [20, 21, 30, 31], null]);
    expect(runChannelGather(step, { xq: intTensor('quint8', [4], [1, 2, 3, 4]), xf: null, q })).toEqual({ notRun: expect.stringMatching(/1-d tensor/) });
  });
});
