/**
 * The contract check of qlinear_conv_nhwc@1 (com.microsoft QLinearConv-1 with channels_last = 1, 2-D), run once by
 * reference/ and impl/, and the layout change at the op's boundary. ORT 1.30 registers the same kernel class for the
 * ONNX and the com.microsoft domain (onnxruntime/core/providers/cpu/quantization/qlinearconv.cc): QLinearConv<T>::
 * Compute always runs NHWC (an NCHW input is MlasTranspose'd to NHWC first, the NHWC result transposed back), so
 * channels_last only skips the two transposes; the kernel route (depthwise, ConvSym indirect conv, symmetric or
 * plain QGEMM over the NHWC im2col) depends on the weights and zero points, not on the layout. The op is therefore
 * quantized_conv2d@1 with scheme onnxruntime@1 on the NCHW transpose of x, its output transposed to NHWC: one conv
 * arithmetic (reference/conv, impl/conv), no copy of it.
 *
 * Rules, ORT's (ComputeOffset, ComputeOutputScale, conv_attributes.h ValidateInputShape with channels_last):
 * x is uint8 or int8 [N, H, W, C]; w int8 [M, C / group, KH, KW] (qconform models int8 weights only; ORT's uint8
 * kernel also takes uint8 weights); x_scale, y_scale, x_zero_point, y_zero_point one element; w_scale and
 * w_zero_point one element or [M], the zero points all equal; bias int32 [M]. Explicit pads [top, left, bottom,
 * right] may differ begin to end (auto_pad NOTSET): the padded taps hold z_x, so x is padded with z_x here and the
 * conv runs unpadded, which is the same window and im2col row (contract/conv.ts `sat16_pairs_im2col`). The accumulator
 * is `int32_wrap` or `sat16_pairs_im2col` (uint8 x only). Geometry errors are quantized_conv2d@1's, named as this op's.
 */
import type { Conv2dArgs } from './conv.js';
import { checkConv2d } from './conv_checks.js';
import { QconformError, isQconformError } from './errors.js';
import { MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import { checkAccumulator } from './onnx_matmul_checks.js';
import type { QLinearConvNhwcArgs } from './onnx_qops.js';
import { checkOneElementScale, checkOneElementZeroPoint, checkQ8Tensor } from './qlinear_pool_checks.js';
import { type IntTensor, f64Tensor, intTensor } from './tensor.js';
import { validateQuantizedValues, validateShape } from './validate.js';

function ints(what: string, v: readonly number[], length: number, min: number): void {
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => Number.isSafeInteger(x) && x >= min)) throw new QconformError('invalid_geometry', what, v, `${length} integers >= ${min}`);
}

/** w_scale / w_zero_point: one element ([] or [1]) or one per output channel ([M]). */
function checkWeightParamShape(what: string, shape: readonly number[], m: number): number {
  const count = shape.reduce((p, d) => p * d, 1);
  if (shape.length > 1 || (count !== 1 && count !== m)) throw new QconformError('shape_mismatch', what, shape, `one element ([] or [1]) or [M] = [${m}] (ORT IsValidQuantParam)`);
  return count;
}

/** x [N, H, W, C] to NCHW, padded with z_x by pads [top, left, bottom, right]. */
export function nhwcToPaddedNchw(x: IntTensor, pads: readonly [number, number, number, number], zx: number): IntTensor {
  const [n, h, w, c] = x.shape as [number, number, number, number];
  const [pt, pl, pb, pr] = pads;
  const [ph, pw] = [h + pt + pb, w + pl + pr];
  const out = new Int32Array(n * c * ph * pw).fill(zx);
  for (let b = 0; b < n; b++) {
    for (let i = 0; i < h; i++) {
      for (let j = 0; j < w; j++) {
        const from = ((b * h + i) * w + j) * c;
        for (let ch = 0; ch < c; ch++) out[((b * c + ch) * ph + i + pt) * pw + j + pl] = x.data[from + ch]!;
      }
    }
  }
  return intTensor(x.dtype, [n, c, ph, pw], out);
}

/** An NCHW tensor as NHWC (the output's layout). */
export function nchwToNhwc(y: IntTensor): IntTensor {
  const [n, c, h, w] = y.shape as [number, number, number, number];
  const out = new Int32Array(y.data.length);
  for (let b = 0; b < n; b++) {
    for (let ch = 0; ch < c; ch++) {
      for (let p = 0; p < h * w; p++) out[(b * h * w + p) * c + ch] = y.data[(b * c + ch) * h * w + p]!;
    }
  }
  return intTensor(y.dtype, [n, h, w, c], out);
}

/** Validates a qlinear_conv_nhwc@1 call; returns the quantized_conv2d@1 (NCHW, scheme onnxruntime@1) it computes. */
export function checkQLinearConvNhwc(what: string, a: QLinearConvNhwcArgs): Conv2dArgs {
  const dtype = checkQ8Tensor(`${what}: x`, a.x);
  if (a.x.shape.length !== 4) throw new QconformError('shape_mismatch', `${what}: x`, a.x.shape, 'x is [N, H, W, C] (2-D convs only)');
  if (a.w.dtype !== 'qint8') throw new QconformError('invalid_dtype', `${what}: w.dtype`, a.w.dtype, 'qint8 (ONNX int8): qconform models int8 weights only');
  validateShape(`${what}: w`, a.w);
  if (a.w.shape.length !== 4) throw new QconformError('shape_mismatch', `${what}: w`, a.w.shape, 'w is [M, C / group, KH, KW]');
  validateQuantizedValues(`${what}: w`, a.w.data, 'qint8');
  // the GEMM's A is the NHWC im2col of x, its B the weights: sat16_pairs_im2col needs A uint8
  checkAccumulator(what, a.accumulator, dtype, 'qint8');
  const xScale = checkOneElementScale(`${what}: x_scale`, a.xScale);
  const xZeroPoint = checkOneElementZeroPoint(`${what}: x_zero_point`, a.xZeroPoint, dtype);
  const yScale = checkOneElementScale(`${what}: y_scale`, a.yScale);
  const yZeroPoint = checkOneElementZeroPoint(`${what}: y_zero_point`, a.yZeroPoint, dtype);
  const m = a.w.shape[0]!;
  if (a.wScale.dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}: w_scale.dtype`, a.wScale.dtype, 'scales are float32');
  validateShape(`${what}: w_scale`, a.wScale);
  const scales = checkWeightParamShape(`${what}: w_scale`, a.wScale.shape, m);
  if (a.wZeroPoint.dtype !== 'qint8') throw new QconformError('invalid_dtype', `${what}: w_zero_point.dtype`, a.wZeroPoint.dtype, "w's dtype (qint8)");
  validateShape(`${what}: w_zero_point`, a.wZeroPoint);
  checkWeightParamShape(`${what}: w_zero_point`, a.wZeroPoint.shape, m);
  validateQuantizedValues(`${what}: w_zero_point`, a.wZeroPoint.data, 'qint8');
  const zw = a.wZeroPoint.data[0]!;
  const other = a.wZeroPoint.data.findIndex((z) => z !== zw);
  if (other >= 0) throw new QconformError('unsupported_by_scheme', `${what}: w_zero_point[${other}]`, a.wZeroPoint.data[other], `ORT: "zero point of per-channel filter must be same" (w_zero_point[0] is ${zw})`);
  if (a.bias !== null && a.bias.dtype !== 'int32') throw new QconformError('invalid_dtype', `${what}: B.dtype`, a.bias.dtype, 'int32');
  ints(`${what}: strides`, a.strides, 2, 1);
  ints(`${what}: pads`, a.pads, 4, 0);
  ints(`${what}: dilations`, a.dilations, 2, 1);
  const [n, h, w, c] = a.x.shape as [number, number, number, number];
  const [pt, pl, pb, pr] = a.pads;
  checkLimit(`${what}: padded input elements (N * C * (H + pads) * (W + pads))`, n * c * (h + pt + pb) * (w + pl + pr), MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  const perChannel = scales === m && a.wScale.shape.length === 1 && m > 1;
  const conv: Conv2dArgs = {
    x: nhwcToPaddedNchw(a.x, a.pads, xZeroPoint),
    xScale,
    xZeroPoint,
    weight: a.w,
    weightQuantization: perChannel ? 'per_channel' : 'per_tensor',
    weightScales: f64Tensor([perChannel ? m : 1], perChannel ? Array.from(a.wScale.data) : [a.wScale.data[0]!]),
    weightZeroPoints: intTensor('int64', [perChannel ? m : 1], new Array<number>(perChannel ? m : 1).fill(zw)),
    bias: a.bias,
    stride: [a.strides[0], a.strides[1]],
    padding: [0, 0],
    dilation: [a.dilations[0], a.dilations[1]],
    groups: a.group,
    relu: false,
    yScale,
    yZeroPoint,
    scheme: 'onnxruntime@1',
    accumulator: a.accumulator,
  };
  try {
    checkConv2d(conv);
  } catch (e) {
    if (isQconformError(e)) throw new QconformError(e.code, `${what} (its NCHW quantized_conv2d@1, x padded by pads)`, e.value, e.message);
    throw e;
  }
  return conv;
}
