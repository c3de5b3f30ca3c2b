/**
 * explain's run of a torch step that moves whole channels (model_types.ts ChannelGatherStep; torchvision's ShuffleNetV2
 * blocks): a part of `x.chunk(chunks, dim=1)`, or a TorchScript function that torch measured as a channel shuffle when
 * the model was read (conformance/backends/torch/python/channel_ops.py). Output channel c is input channel source[c],
 * values and qparams as they are: exact on the integers, and the fake-quant chain's floats move alike.
 *  - chunk (aten/src/ATen/native/TensorShape.cpp chunk): parts of ceil(C / chunks) channels, the last one shorter; a
 *    part past the channels does not exist (torch gives fewer parts, and the forward's unpacking of them fails). Of a
 *    batch of one the part is a contiguous tensor; of more, a strided view of the batch, whose memory format (which
 *    picks a quantized cat's or add's path) explain does not track: not run.
 *  - channel shuffle by g: source[c] = (c mod g) (C / g) + floor(c / g); torch refuses a C that g does not divide (its
 *    view), and the function was probed on 1 .. probedChannels channels only.
 */
import type { F32Tensor, IntTensor } from '../../contract/tensor.js';
import type { ActivationQparams, ChannelGather, ChannelGatherStep } from './model_types.js';

export interface ChannelGatherReport {
  readonly kind: 'channel_gather';
  readonly name: string;
  readonly opType: string;
  readonly gather: ChannelGather;
  /** the input's channel count and the channels it gave (null: no integers reached it) */
  readonly channels: { readonly input: number; readonly output: number } | null;
  readonly idle?: true;
  /** it reads another step's output than the one before it (a ShuffleNetV2 block's second chunk) */
  readonly otherBranch?: string;
}

/** Which input channel each output channel is, for an input of `channels` channels and batch `batch`; else why torch's result is not run. */
export function gatherSources(g: ChannelGather, channels: number, batch: number): number[] | { notRun: string } {
  if (g.kind === 'chunk') {
    if (g.chunks < 1) return { notRun: `torch refuses it: chunk expects \`chunks\` to be greater than 0, got ${g.chunks}` };
    const size = Math.ceil(channels / g.chunks);
    const from = g.index * size;
    if (from >= channels) return { notRun: `torch refuses it: chunk(${g.chunks}) of ${channels} channels gives ${Math.ceil(channels / size)} parts, and the forward unpacks part ${g.index + 1}` };
    const to = Math.min(channels, from + size);
    if (batch > 1 && to - from < channels) return { notRun: `a chunk of a batch of ${batch} is a strided view of it, whose memory format explain does not track (it picks a quantized cat's or add's path); run explain on a batch of one` };
    return Array.from({ length: to - from }, (_, c) => from + c);
  }
  if (channels > g.probedChannels) return { notRun: `the function was measured as a channel shuffle on 1 to ${g.probedChannels} channels when the model was read; this tensor has ${channels}` };
  if (channels % g.groups !== 0) return { notRun: `torch refuses it: its view into ${g.groups} groups needs ${g.groups} to divide the ${channels} channels` };
  const perGroup = channels / g.groups;
  return Array.from({ length: channels }, (_, c) => (c % g.groups) * perGroup + Math.floor(c / g.groups));
}

/** Channels `sources` of an [N, C, ...] row-major array, in that order. */
function gathered<T extends Int32Array | Uint8Array | Int8Array | Float32Array>(data: T, shape: readonly number[], sources: readonly number[], make: (n: number) => T): T {
  const [batch = 1, channels = 1] = shape;
  const plane = shape.slice(2).reduce((p, d) => p * d, 1);
  const out = make(batch * sources.length * plane);
  for (let n = 0; n < batch; n++) {
    sources.forEach((src, c) => out.set(data.subarray((n * channels + src) * plane, (n * channels + src + 1) * plane), (n * sources.length + c) * plane));
  }
  return out;
}

/** The step on the integers (and the fake-quant chain's floats) it reads, in qparams q: its output, or why it is not run. */
export function runChannelGather(step: ChannelGatherStep, x: { xq: IntTensor; xf: F32Tensor | null; q: ActivationQparams | null }): { xq: IntTensor; xf: F32Tensor | null; report: ChannelGatherReport } | { notRun: string } {
  const shape = x.xq.shape;
  if (shape.length < 2) return { notRun: `it moves channels (dim 1) of a ${shape.length}-d tensor` };
  const sources = gatherSources(step.gather, shape[1]!, shape[0]!);
  if (!Array.isArray(sources)) return sources;
  const outShape = [shape[0]!, sources.length, ...shape.slice(2)];
  const data = x.xq.data;
  const xqData = data instanceof Uint8Array ? gathered(data, shape, sources, (n) => new Uint8Array(n)) : data instanceof Int8Array ? gathered(data, shape, sources, (n) => new Int8Array(n)) : gathered(data, shape, sources, (n) => new Int32Array(n));
  const xf = x.xf ? { dtype: 'float32' as const, shape: outShape, data: gathered(x.xf.data, x.xf.shape, sources, (n) => new Float32Array(n)) } : null;
  return {
    xq: { dtype: x.xq.dtype, shape: outShape, data: xqData },
    xf,
    report: { kind: 'channel_gather', name: step.name, opType: step.opType, gather: step.gather, channels: { input: shape[1]!, output: sources.length }, ...(step.otherBranch ? { otherBranch: `it ${step.otherBranch.because}` } : {}) },
  };
}

/** The report of a step no integers reached (the chain stopped before it). */
export function idleChannelGather(step: ChannelGatherStep): ChannelGatherReport {
  return { kind: 'channel_gather', name: step.name, opType: step.opType, gather: step.gather, channels: null, idle: true };
}

/** Its console line: what it does, and to how many channels. */
export function channelGatherText(s: ChannelGatherReport): string {
  const what = s.gather.kind === 'chunk' ? `part ${s.gather.index + 1} of ${s.opType}(${s.gather.chunks}, dim=1)` : `${s.opType}: a channel shuffle by ${s.gather.groups} (measured on torch when the model was read)`;
  const channels = s.channels ? `, ${s.channels.input} -> ${s.channels.output} channels` : '';
  return `${what}${channels}: whole channels moved, values and qparams kept${s.otherBranch ? ` (${s.otherBranch})` : ''}`;
}
