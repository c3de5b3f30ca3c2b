/**
 * What torch 1.13's quantized 2-d pools share (adaptive_avg_pool2d, avg_pool2d): the input check, the pooled size
 * (aten/src/ATen/native/Pool.h pooling_output_shape) and where a kernel's outputs land (a channels_last-contiguous input
 * runs the NHWC kernel, which writes NHWC order into an output of the input's suggest_memory_format(): NCHW for a
 * contiguous one). Integer domain only.
 */
import { QconformError } from './errors.js';
import type { IntTensor } from './tensor.js';
import { validateDtypeZeroPoint, validateQuantizedValues, validateScale, validateShape } from './validate.js';

/** A pooled x: quint8 or qint8 (qint32 is not modelled), [C, H, W] or [N, C, H, W] with no empty dimension, dtype values; its scale and zero point. */
export function checkPooledInput(what: string, x: IntTensor, scale: number, zeroPoint: number): 'quint8' | 'qint8' {
  const dtype = x.dtype;
  if (dtype !== 'quint8' && dtype !== 'qint8') throw new QconformError('invalid_dtype', `${what}: x.dtype`, dtype, 'quint8 or qint8 (qint32 is not modelled)');
  validateShape(`${what}: x`, x);
  if (x.shape.length !== 3 && x.shape.length !== 4) throw new QconformError('shape_mismatch', `${what}: x.shape`, x.shape, '[C, H, W] or [N, C, H, W]');
  if (x.shape.some((d) => d < 1)) throw new QconformError('shape_mismatch', `${what}: x.shape`, x.shape, 'every dimension at least 1');
  validateQuantizedValues(`${what}: x`, x.data, dtype);
  validateScale(`${what}: scale`, scale);
  validateDtypeZeroPoint(`${what}: zero_point`, zeroPoint, dtype);
  return dtype;
}

/**
 * One spatial dim's output size, as torch 1.13's pooling_output_shape (aten/src/ATen/native/Pool.h), in integers:
 * floor((in + 2 pad - dilation (kernel - 1) - 1 + (ceil ? stride - 1 : 0)) / stride) + 1 (div_rtn floors), then in ceil
 * mode one less when the last window would start at or past in + pad. (QNNPACK's own compute_output_dimension gives
 * the same floor-mode size wherever torch's is at least 1.)
 */
export function torchPooledSize(input: number, kernel: number, pad: number, stride: number, dilation: number, ceilMode: boolean): number {
  let out = Math.floor((input + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= input + pad) out--;
  return out;
}

/** A 2-D pool's sizes: N (1 for a 3-D input), C, H, W, and the pooled OH, OW. */
export interface PooledSizes {
  readonly n: number;
  readonly c: number;
  readonly h: number;
  readonly w: number;
  readonly oh: number;
  readonly ow: number;
}

/** A pool's output layout: C, OH, OW and whether the NHWC kernel's NHWC-ordered outputs fill an NCHW tensor. */
export interface PooledLayout extends Pick<PooledSizes, 'c' | 'oh' | 'ow'> {
  /** the NHWC kernel's NHWC-ordered outputs fill an NCHW output tensor as they are (a contiguous input on the NHWC kernel) */
  readonly nhwcOrderInNchwTensor: boolean;
}

/**
 * Where the output of plane `plane` (n * C + c) at (oy, ox) lands in the logical NCHW output: its own place, or, when the
 * NHWC kernel writes into an NCHW tensor, the place its NHWC memory offset has in that tensor.
 */
export function pooledOutputIndex(g: PooledLayout, plane: number, oy: number, ox: number): number {
  if (!g.nhwcOrderInNchwTensor) return (plane * g.oh + oy) * g.ow + ox;
  const n = Math.floor(plane / g.c);
  return ((n * g.oh + oy) * g.ow + ox) * g.c + (plane - n * g.c);
}
