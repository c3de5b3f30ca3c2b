/**
 * The contract check of quantized_mean@1 (contract/quantized_mean.ts), run once by reference/ and impl/: x's dtype,
 * shape and values, its qparams, the dims, keepdim, memory format, capability and thread count; returns the geometry,
 * the path torch takes and, on the float path, each channel's summation order.
 */
import { type CascadeOrder, channelSumOrders, floatLanes } from './aten_float_sum.js';
import { MAX_ATEN_THREADS, checkAtenLoopVersion, checkCpuCapability, checkMemoryFormat } from './aten_vectorized_loop.js';
import { QconformError } from './errors.js';
import type { QuantizedMeanAttrs } from './quantized_mean.js';
import type { IntTensor } from './tensor.js';
import { validateBoolean, validateDtypeZeroPoint, validateList, validateQuantizedValues, validateScale, validateShape } from './validate.js';

export interface QuantizedMeanGeometry {
  readonly dtype: 'quint8' | 'qint8';
  readonly n: number;
  readonly c: number;
  /** H W: the values of one mean */
  readonly hw: number;
  readonly outShape: readonly number[];
  /** 'inner': qmean_inner_dim_kernel on the integers; 'float': dequantize, float32 mean, quantize */
  readonly path: 'inner' | 'float';
  /** the float path's order of each channel's sum (contract/aten_float_sum.ts); empty on the inner path */
  readonly orders: readonly CascadeOrder[];
}

export function checkQuantizedMean(x: IntTensor, attrs: QuantizedMeanAttrs): QuantizedMeanGeometry {
  const what = 'quantized_mean';
  const dtype = x.dtype;
  if (dtype !== 'quint8' && dtype !== 'qint8') throw new QconformError('invalid_dtype', `${what}: x.dtype`, dtype, 'quint8 or qint8');
  validateShape(`${what}: x`, x);
  if (x.shape.length !== 4 || x.shape.includes(0)) throw new QconformError('shape_mismatch', `${what}: x.shape`, x.shape, 'a 4-D [N, C, H, W] tensor without an empty dimension');
  validateQuantizedValues(`${what}: x`, x.data, dtype);
  validateScale(`${what}: x_scale`, attrs.xScale);
  validateDtypeZeroPoint(`${what}: x_zero_point`, attrs.xZeroPoint, dtype);
  validateList(`${what}: dim`, attrs.dims, 'a list of the two dimensions reduced');
  const wrapped = attrs.dims.map((d) => (Number.isSafeInteger(d) && d >= -4 && d < 4 ? (d + 4) % 4 : NaN));
  if (wrapped.length !== 2 || !wrapped.includes(2) || !wrapped.includes(3)) throw new QconformError('unsupported_by_scheme', `${what}: dim`, attrs.dims, 'H and W of the 4-D tensor: [2, 3] or [-2, -1], in either order (other reductions are not modelled)');
  validateBoolean(`${what}: keepdim`, attrs.keepdim);
  checkMemoryFormat(what, attrs.memoryFormat);
  checkCpuCapability(what, attrs.cpuCapability);
  const version = checkAtenLoopVersion(what, attrs.semantics);
  if (!Number.isSafeInteger(attrs.threads) || attrs.threads < 1 || attrs.threads > MAX_ATEN_THREADS) {
    throw new QconformError('invalid_integer', `${what}: threads`, attrs.threads, `an integer in [1, ${MAX_ATEN_THREADS}] (torch.get_num_threads())`);
  }
  const [n, c, h, w] = x.shape as [number, number, number, number];
  // is_contiguous(): a channels_last tensor is too when its channels or its pixels are one
  const inner = attrs.memoryFormat === 'contiguous' || c === 1 || (h === 1 && w === 1);
  if (inner && attrs.memoryFormat === 'channels_last' && !attrs.keepdim) {
    // qmean_inner_dim_kernel allocates its output in x.suggest_memory_format(): channels_last, which a 2-D [N, C] cannot take
    throw new QconformError('shape_mismatch', `${what}: x`, { shape: x.shape, memory_format: 'channels_last', keepdim: false }, 'torch 1.13 raises "required rank 4 tensor to use channels_last format" for a channels_last tensor of C = 1 or H = W = 1 without keepdim');
  }
  return {
    dtype,
    n,
    c,
    hw: h * w,
    outShape: attrs.keepdim ? [n, c, 1, 1] : [n, c],
    path: inner ? 'inner' : 'float',
    orders: inner ? [] : channelSumOrders(n, c, h * w, attrs.threads, floatLanes(attrs.cpuCapability, version)),
  };
}
