/**
 * The contract check of quantized_adaptive_avg_pool2d@1 (contract/quantized_adaptive_avg_pool2d.ts), run once by
 * reference/ and impl/: the dtype, shape, values, scale, zero point, output size and memory format; returns the
 * geometry and which of torch's two kernels the input's layout selects.
 */
import { type MemoryFormat, checkMemoryFormat, isChannelsLastContiguous } from './aten_vectorized_loop.js';
import { QconformError } from './errors.js';
import { MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import type { QuantizedAdaptiveAvgPool2dAttrs } from './quantized_adaptive_avg_pool2d.js';
import type { IntTensor } from './tensor.js';
import { type PooledLayout, type PooledSizes, checkPooledInput } from './torch_pool_layout.js';

/** Which kernel of adaptive_avg_pool2d_quantized_cpu runs: the NHWC one or the NCHW one. */
export type AdaptivePoolKernel = 'nhwc' | 'nchw';

export interface QuantizedAdaptiveAvgPool2dGeometry extends PooledLayout, PooledSizes {
  readonly dtype: 'quint8' | 'qint8';
  /** the output's shape: the input's with H, W replaced by OH, OW */
  readonly outShape: readonly number[];
  readonly kernel: AdaptivePoolKernel;
  /** the NHWC kernel's NHWC-ordered outputs fill an NCHW output tensor as they are (a contiguous input on the NHWC kernel) */
  readonly nhwcOrderInNchwTensor: boolean;
}

/**
 * The kernel torch runs on a tensor of `shape` stored in `format`: NHWC where input.is_contiguous(ChannelsLast), i.e. a
 * 4-D channels_last tensor, or a contiguous one whose dimensions that would have other strides have size 1 (C = 1, or
 * H = W = 1); NCHW otherwise.
 */
export function adaptivePoolKernel(shape: readonly number[], format: string): AdaptivePoolKernel {
  return isChannelsLastContiguous(shape, format as MemoryFormat) ? 'nhwc' : 'nchw';
}

/** start_index / end_index multiply an output index by the input length in int32: beyond, torch's windows overflow. */
const WINDOW_INDEX_PRODUCT_LIMIT = 2 ** 31 - 1;

export function checkQuantizedAdaptiveAvgPool2d(x: IntTensor, attrs: QuantizedAdaptiveAvgPool2dAttrs): QuantizedAdaptiveAvgPool2dGeometry {
  const what = 'quantized_adaptive_avg_pool2d';
  const dtype = checkPooledInput(what, x, attrs.scale, attrs.zeroPoint);
  const size = attrs.outputSize as unknown;
  if (!Array.isArray(size) || size.length !== 2 || !size.every((d) => Number.isSafeInteger(d) && d >= 1)) {
    throw new QconformError('malformed_request', `${what}: output_size`, size, 'two integers [OH, OW], each at least 1');
  }
  checkMemoryFormat(what, attrs.memoryFormat);
  if (attrs.memoryFormat === 'channels_last' && x.shape.length !== 4) {
    throw new QconformError('shape_mismatch', `${what}: x.shape`, x.shape, 'a 4-D tensor: channels_last is a 4-D layout');
  }
  const [n, c, h, w] = x.shape.length === 4 ? (x.shape as [number, number, number, number]) : [1, ...(x.shape as [number, number, number])];
  const [oh, ow] = size as [number, number];
  const outShape = [...x.shape.slice(0, -2), oh, ow];
  checkLimit(`${what}: output elements`, n * c * oh * ow, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  checkLimit(`${what}: OH * H (torch's int32 window index product)`, oh * h, WINDOW_INDEX_PRODUCT_LIMIT, '2^31 - 1');
  checkLimit(`${what}: OW * W (torch's int32 window index product)`, ow * w, WINDOW_INDEX_PRODUCT_LIMIT, '2^31 - 1');
  const kernel = adaptivePoolKernel(x.shape, attrs.memoryFormat);
  return { dtype, n, c, h, w, oh, ow, outShape, kernel, nhwcOrderInNchwTensor: kernel === 'nhwc' && attrs.memoryFormat === 'contiguous' };
}
