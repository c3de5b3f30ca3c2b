/**
 * The contract check of qnnpack_mean@1 (contract/qnnpack_mean.ts), run once by reference/ and impl/: x (a 4-D quint8
 * tensor without an empty dimension, dtype values), its scale and zero point, the dims (the literal [2, 3]: the only
 * list torch sends to QNNPACK), keepdim, and QNNPACK's refusal of a float32 scale that is not a positive normal; returns
 * the geometry.
 */
import { QconformError } from './errors.js';
import { isPositiveNormalFloat32 } from './float_bits.js';
import type { QnnpackMeanAttrs } from './qnnpack_mean.js';
import type { IntTensor } from './tensor.js';
import { validateBoolean, validateDtypeZeroPoint, validateList, validateQuantizedValues, validateScale, validateShape } from './validate.js';

export interface QnnpackMeanGeometry {
  readonly n: number;
  readonly c: number;
  /** H W: the values of one mean (QNNPACK's `width`) */
  readonly hw: number;
  readonly outShape: readonly number[];
}

export function checkQnnpackMean(x: IntTensor, attrs: QnnpackMeanAttrs): QnnpackMeanGeometry {
  const what = 'qnnpack_mean';
  if (x.dtype !== 'quint8') throw new QconformError('invalid_dtype', `${what}: x.dtype`, x.dtype, 'quint8 (torch means a qint8 tensor with its own kernels on the qnnpack engine too: quantized_mean@1)');
  validateShape(`${what}: x`, x);
  if (x.shape.length !== 4 || x.shape.includes(0)) throw new QconformError('shape_mismatch', `${what}: x.shape`, x.shape, 'a 4-D [N, C, H, W] tensor without an empty dimension');
  validateQuantizedValues(`${what}: x`, x.data, 'quint8');
  validateScale(`${what}: x_scale`, attrs.xScale);
  validateDtypeZeroPoint(`${what}: x_zero_point`, attrs.xZeroPoint, 'quint8');
  validateList(`${what}: dim`, attrs.dims, 'the list of the two dimensions reduced');
  if (attrs.dims.length !== 2 || attrs.dims[0] !== 2 || attrs.dims[1] !== 3) {
    throw new QconformError('unsupported_by_scheme', `${what}: dim`, attrs.dims, '[2, 3] as written (torch sends only that list to QNNPACK; [-2, -1] or [3, 2] run quantized_mean@1\'s kernels on the qnnpack engine too)');
  }
  validateBoolean(`${what}: keepdim`, attrs.keepdim);
  if (!isPositiveNormalFloat32(attrs.xScale)) {
    throw new QconformError('unsupported_by_scheme', `${what}: x_scale`, attrs.xScale, 'a scale whose float32 is a positive normal (QNNPACK; torch raises "failed to create QNNPACK Global Average Pooling operator")');
  }
  const [n, c, h, w] = x.shape as [number, number, number, number];
  return { n, c, hw: h * w, outShape: attrs.keepdim ? [n, c, 1, 1] : [n, c] };
}
