/**
 * The contract check of qnnpack_avg_pool2d@1 (contract/qnnpack_avg_pool2d.ts), run once by reference/ and impl/: x (a
 * 4-D quint8 tensor), its scale and zero point, the window with torch's refusals and QNNPACK's (a 1x1 kernel, a kernel
 * of 2^24 elements or more, a float32 scale that is not a positive normal); returns the pooled geometry.
 */
import { QconformError } from './errors.js';
import { isPositiveNormalFloat32 } from './float_bits.js';
import { MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import type { QnnpackAvgPool2dAttrs } from './qnnpack_avg_pool2d.js';
import { poolPair } from './quantized_avg_pool2d_checks.js';
import type { IntTensor } from './tensor.js';
import { type PooledSizes, checkPooledInput, torchPooledSize } from './torch_pool_layout.js';
import { validateBoolean } from './validate.js';

/** QNNPACK's largest kernel: pooling_size below 2^24 (average-pooling.c). */
export const QNNPACK_MAX_POOLING_SIZE = 2 ** 24 - 1;

const QNNPACK_REFUSES = 'torch raises "failed to create QNNPACK Average Pooling operator"';

export type QnnpackAvgPool2dGeometry = PooledSizes;

export function checkQnnpackAvgPool2d(x: IntTensor, attrs: QnnpackAvgPool2dAttrs): QnnpackAvgPool2dGeometry {
  const what = 'qnnpack_avg_pool2d';
  const dtype = checkPooledInput(what, x, attrs.scale, attrs.zeroPoint);
  if (dtype !== 'quint8') throw new QconformError('invalid_dtype', `${what}: x.dtype`, dtype, 'quint8 (torch pools qint8 with its own kernels on every engine: quantized_avg_pool2d@1)');
  if (x.shape.length !== 4) throw new QconformError('shape_mismatch', `${what}: x.shape`, x.shape, 'a 4-D [N, C, H, W] tensor (torch: "qnnpack_avg_pool2d(): Expected input to be 4-dimensional")');
  const [kh, kw] = poolPair(`${what}: kernel_size`, attrs.kernelSize, 1);
  const [sh, sw] = poolPair(`${what}: stride`, attrs.stride, 1);
  const [ph, pw] = poolPair(`${what}: padding`, attrs.padding, 0);
  if (ph > kh >> 1 || pw > kw >> 1) throw new QconformError('malformed_request', `${what}: padding`, attrs.padding, `at most half the kernel size [${kh}, ${kw}] (torch: "pad should be at most half of kernel size")`);
  validateBoolean(`${what}: count_include_pad`, attrs.countIncludePad);
  const d = attrs.divisorOverride;
  if (d !== null && (!Number.isSafeInteger(d) || d < -(2 ** 31) || d >= 2 ** 31)) throw new QconformError('malformed_request', `${what}: divisor_override`, d, 'null or an int32 (which this path ignores)');
  if (kh * kw === 1) throw new QconformError('unsupported_by_scheme', `${what}: kernel_size`, attrs.kernelSize, `more than one element (QNNPACK refuses a 1x1 pooling; ${QNNPACK_REFUSES})`);
  if (kh * kw > QNNPACK_MAX_POOLING_SIZE) throw new QconformError('unsupported_by_scheme', `${what}: kernel_size`, attrs.kernelSize, `fewer than 2^24 elements (QNNPACK; ${QNNPACK_REFUSES})`);
  if (!isPositiveNormalFloat32(attrs.scale)) throw new QconformError('unsupported_by_scheme', `${what}: scale`, attrs.scale, `a scale whose float32 is a positive normal (QNNPACK; ${QNNPACK_REFUSES})`);
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const oh = torchPooledSize(h, kh, ph, sh, 1, false);
  const ow = torchPooledSize(w, kw, pw, sw, 1, false);
  if (oh < 1 || ow < 1) throw new QconformError('shape_mismatch', `${what}: output size`, [oh, ow], `at least 1: the window [${kh}, ${kw}] (padding [${ph}, ${pw}]) does not fit the input [${h}, ${w}] (torch refuses it)`);
  checkLimit(`${what}: output elements`, n * c * oh * ow, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  return { n, c, h, w, oh, ow };
}
