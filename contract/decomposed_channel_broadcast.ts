/**
 * How torch 2.6's quantized_decomposed.quantize_per_channel / dequantize_per_channel
 * (torch/ao/quantization/fx/_decomposed.py) lay per-channel parameters against the input: the input is permuted so
 * `axis` comes first (_permute_to_axis_zero), scales and zero points are viewed as [C, 1, ..., 1] with
 * C = scales.shape[0], and the elementwise arithmetic broadcasts the two. So the axis dimension X of the input and C
 * need not be equal: X == C, X == 1 (the one slice is computed with every channel's parameters: the output is larger
 * than the input) or C == 1 (one scale for every slice); the output has the input's shape with X replaced by the
 * broadcast size. Shared indexing, not arithmetic: reference/ and impl/ both iterate with it.
 */
import { QconformError } from './errors.js';
import { numel } from './tensor.js';

export interface ChannelBroadcast {
  /** The output's shape: the input's, with the axis dimension broadcast against C. */
  readonly shape: number[];
  readonly outer: number;
  readonly inner: number;
  /** The input's size along the axis (X) and the parameters' count (C). */
  readonly axisSize: number;
  readonly channels: number;
  /** The output's size along the axis. */
  readonly size: number;
}

/** The broadcast of an input of `shape` along `axis` against C parameters, or torch's refusal (shape_mismatch). */
export function channelBroadcast(what: string, shape: readonly number[], axis: number, channels: number): ChannelBroadcast {
  const axisSize = shape[axis]!;
  if (axisSize !== channels && axisSize !== 1 && channels !== 1) {
    throw new QconformError('shape_mismatch', what, { axisSize, channels }, `torch broadcasts the input's axis dimension (${axisSize}) against the ${channels} per-channel parameters: they must be equal or one of them 1 ("The size of tensor a must match the size of tensor b")`);
  }
  const size = axisSize === 1 ? channels : axisSize;
  const out = [...shape];
  out[axis] = size;
  return { shape: out, outer: numel(shape.slice(0, axis)), inner: numel(shape.slice(axis + 1)), axisSize, channels, size };
}

/** For output element `i` (row-major in b.shape): the flat index of the input element it reads. */
export function broadcastSource(i: number, b: ChannelBroadcast): number {
  const j = i % b.inner;
  const rest = Math.floor(i / b.inner);
  const k = rest % b.size;
  const o = Math.floor(rest / b.size);
  return (o * b.axisSize + (b.axisSize === 1 ? 0 : k)) * b.inner + j;
}

/** For output element `i`: the index of the scale and zero point it takes (0 when there is one for all). */
export function broadcastChannel(i: number, b: ChannelBroadcast): number {
  return b.channels === 1 ? 0 : Math.floor(i / b.inner) % b.size;
}
