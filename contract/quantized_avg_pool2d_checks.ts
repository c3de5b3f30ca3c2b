/**
 * The contract check of quantized_avg_pool2d@1 and @2 (contract/quantized_avg_pool2d.ts), run once by reference/ and impl/:
 * x's dtype, shape and values, the scale and zero point, the window attributes with torch's refusals, the memory
 * format and capability; returns the pooled geometry and which kernel runs.
 */
import { type AtenCpuCapability, type AtenLoopVersion, channelVectorBlocks, checkAtenLoopVersion, checkCpuCapability, checkMemoryFormat, isChannelsLastContiguous } from './aten_vectorized_loop.js';
import { quantizeAvx512Source } from './quantize_avx512_store.js';
import { QconformError } from './errors.js';
import { MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import type { QuantizedAvgPool2dAttrs } from './quantized_avg_pool2d.js';
import type { IntTensor } from './tensor.js';
import { type PooledLayout, type PooledSizes, checkPooledInput, torchPooledSize } from './torch_pool_layout.js';
import { validateBoolean } from './validate.js';

export interface QuantizedAvgPool2dGeometry extends PooledLayout, PooledSizes {
  readonly dtype: 'quint8' | 'qint8';
  readonly outShape: readonly number[];
  readonly kernel: 'nhwc' | 'nchw';
  /** the NHWC kernel's vector channels, 0 .. vectorChannels - 1 (none for the NCHW kernel) */
  readonly vectorChannels: number;
  /** per channel, the channel whose value the kernel stores there (avgPoolStoredChannel) */
  readonly storedChannels: Int32Array;
}

/** A bound on kernel, stride and padding: torch downcasts them to int and multiplies them in int; this keeps every product exact. */
export const MAX_POOL_WINDOW_ATTRIBUTE = 2 ** 20;

/** A [h, w] pair attribute of a pool (kernel_size, stride, padding): two integers of at least `min`, at most MAX_POOL_WINDOW_ATTRIBUTE. */
export function poolPair(what: string, v: unknown, min: number): readonly [number, number] {
  if (!Array.isArray(v) || v.length !== 2 || !v.every((d) => Number.isSafeInteger(d))) throw new QconformError('malformed_request', what, v, 'two integers');
  for (const d of v as number[]) {
    if (d < min) throw new QconformError('malformed_request', what, v, `integers of at least ${min} (torch: ${min === 0 ? '"pad must be non-negative"' : min === 1 ? '"stride should not be zero" / a kernel of at least 1' : ''})`);
    checkLimit(what, d, MAX_POOL_WINDOW_ATTRIBUTE, 'MAX_POOL_WINDOW_ATTRIBUTE');
  }
  return v as unknown as readonly [number, number];
}

export function checkQuantizedAvgPool2d(x: IntTensor, attrs: QuantizedAvgPool2dAttrs): QuantizedAvgPool2dGeometry {
  const what = 'quantized_avg_pool2d';
  const dtype = checkPooledInput(what, x, attrs.scale, attrs.zeroPoint);
  const [kh, kw] = poolPair(`${what}: kernel_size`, attrs.kernelSize, 1);
  const [sh, sw] = poolPair(`${what}: stride`, attrs.stride, 1);
  const [ph, pw] = poolPair(`${what}: padding`, attrs.padding, 0);
  if (ph > kh >> 1 || pw > kw >> 1) throw new QconformError('malformed_request', `${what}: padding`, attrs.padding, `at most half the kernel size [${kh}, ${kw}] (torch: "pad should be at most half of kernel size")`);
  validateBoolean(`${what}: ceil_mode`, attrs.ceilMode);
  validateBoolean(`${what}: count_include_pad`, attrs.countIncludePad);
  const d = attrs.divisorOverride;
  if (d !== null && (!Number.isSafeInteger(d) || d === 0 || d < -(2 ** 31) || d >= 2 ** 31)) {
    throw new QconformError('malformed_request', `${what}: divisor_override`, d, 'null, or a nonzero int32 (torch: "divisor must be not zero"; its NHWC kernel keeps an int)');
  }
  checkMemoryFormat(what, attrs.memoryFormat);
  if (attrs.memoryFormat === 'channels_last' && x.shape.length !== 4) throw new QconformError('shape_mismatch', `${what}: x.shape`, x.shape, 'a 4-D tensor: channels_last is a 4-D layout');
  checkCpuCapability(what, attrs.cpuCapability);
  const version = checkAtenLoopVersion(what, attrs.semantics);
  const [n, c, h, w] = x.shape.length === 4 ? (x.shape as [number, number, number, number]) : [1, ...(x.shape as [number, number, number])];
  const oh = torchPooledSize(h, kh, ph, sh, 1, attrs.ceilMode);
  const ow = torchPooledSize(w, kw, pw, sw, 1, attrs.ceilMode);
  if (oh < 1 || ow < 1) throw new QconformError('shape_mismatch', `${what}: output size`, [oh, ow], `at least 1: the window [${kh}, ${kw}] (padding [${ph}, ${pw}]) does not fit the input [${h}, ${w}] (torch refuses it)`);
  const outShape = [...x.shape.slice(0, -2), oh, ow];
  checkLimit(`${what}: output elements`, n * c * oh * ow, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  const kernel = isChannelsLastContiguous(x.shape, attrs.memoryFormat) ? 'nhwc' : 'nchw';
  const nhwc = kernel === 'nhwc';
  const vectorChannels = nhwc ? channelVectorBlocks(c, attrs.cpuCapability) : 0;
  const storedChannels = Int32Array.from({ length: c }, (_, ch) => (nhwc ? avgPoolStoredChannel(ch, c, attrs.cpuCapability, version) : ch));
  return { dtype, n, c, h, w, oh, ow, outShape, kernel, vectorChannels, storedChannels, nhwcOrderInNchwTensor: nhwc && attrs.memoryFormat === 'contiguous' };
}

/**
 * One output dimension's window at o: [start, end) of the input it sums, and its length counted with the padding
 * (pool_size's factor): start o s - p and end min(start + k, in + p), then clipped to [0, in).
 */
export function avgPoolWindow(o: number, stride: number, pad: number, kernel: number, input: number): { readonly from: number; readonly to: number; readonly padded: number } {
  const start = o * stride - pad;
  const end = Math.min(start + kernel, input + pad);
  return { from: Math.max(start, 0), to: Math.min(end, input), padded: end - start };
}

/**
 * The channel whose value the NHWC kernel stores at channel c (of C) under a capability: c itself, but under torch
 * 1.13's AVX512 its blocks of up to 128 channels go through one QuantizeAvx512 call each (do_avg_pool_nhwc_on_AVX_n: cend
 * 16-channel vectors, cend = min(8, (C - block) / 16)), whose 16-lane loop repeats elements
 * (contract/quantize_avx512_store.ts); torch 2.6's (version 2) stores each where it belongs.
 */
export function avgPoolStoredChannel(c: number, channels: number, capability: AtenCpuCapability, version: AtenLoopVersion): number {
  if (version === 2 || capability !== 'avx512' || c >= channelVectorBlocks(channels, capability)) return c;
  const block = Math.floor(c / 128) * 128;
  const len = Math.min(8, Math.floor((channels - block) / 16)) * 16;
  return block + quantizeAvx512Source(c - block, len);
}
