/**
 * The contract check of qlinear_conv_nhwc@1 (com.microsoft QLinearConv-1 with channels_last = 1, 1-D to 3-D), run once by
 * reference/ and impl/, and the layout change at the op's boundary. ORT 1.30 registers the same kernel class for the
 * ONNX and the com.microsoft domain (onnxruntime/core/providers/cpu/quantization/qlinearconv.cc): QLinearConv<T>::
 * Compute always runs NHWC (an NCHW input is MlasTranspose'd to NHWC first, the NHWC result transposed back), so
 * channels_last only skips the two transposes; the kernel route (depthwise, ConvSym indirect conv, symmetric or
 * plain QGEMM over the NHWC im2col) depends on the weights and zero points, not on the layout. The op is therefore
 * quantized_conv2d@1 with scheme onnxruntime@1 on the NCHW transpose of x, its output transposed to NHWC: one conv
 * arithmetic (reference/conv, impl/conv), no copy of it.
 *
 * Rules, ORT's (ComputeOffset, ComputeOutputScale, conv_attributes.h ValidateInputShape with channels_last):
 * x is uint8 or int8 [N, H, W, C] (or [N, W, C], 1-D: the 2-D conv with H = KH = 1, as ORT's kernel_rank 1 im2col is);
 * w int8 [M, C / group, KH, KW] ([M, C / group, KW] for 1-D), or uint8 with uint8 x (ORT registers uint8 weights for the
 * uint8 kernel only; the conv is the int8-weight one on w - 128 and z_w - 128, exact: MLAS's u8 x u8 kernels widen to
 * int16, so its accumulator is int32_wrap on every CPU); 3-D convs ([N, D, H, W, C], w [M, C / group, KD, KH, KW]) are the
 * 2-D pointwise conv over their NHWC im2col rows (contract/qlinear_conv_3d.ts); x_scale, y_scale, x_zero_point, y_zero_point one element; w_scale and
 * w_zero_point one element or [M], the zero points all equal; bias int32 [M]. Explicit pads [top, left, bottom,
 * right] may differ begin to end (auto_pad NOTSET): the padded taps hold z_x, so x is padded with z_x here and the
 * conv runs unpadded, which is the same window and im2col row (contract/conv.ts `sat16_pairs_im2col`). The accumulator
 * is `int32_wrap` or `sat16_pairs_im2col` (uint8 x, int8 w only). Geometry errors are quantized_conv2d@1's, named as this op's.
 *
 * An empty x is computed as ORT 1.30 computes it (onnxruntime-node 1.30 measured on a grid of N = 1, 2, spatial dims
 * and C of 0, 1-D to 3-D, groups, dtypes: tests/backends/ort_nhwc_empty_x.test.ts): an empty batch (N = 0) is the empty
 * y; with N > 0, an output size <= 0 is refused ("Invalid input shape", `empty_output`, as on any batch), and a spatial
 * dim of 0 with output sizes >= 1 is the conv over padding only (every tap z_x: the padded x here), y the requantized
 * bias. An x of 0 channels (C = 0) with N > 0 and output sizes >= 1 is refused (`empty_output`, ORT_NHWC_UNWRITTEN_Y):
 * ORT runs its GEMM with K = 0, which writes nothing, and requantizes its uninitialized int32 buffer.
 */
import { type Conv2dArgs, onnxConvOutputSize } from './conv.js';
import { pointwiseOf3d } from './qlinear_conv_3d.js';
import { checkConv2d } from './conv_checks.js';
import { QconformError, isQconformError } from './errors.js';
import { MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import { checkAccumulator } from './onnx_matmul_checks.js';
import type { QLinearConvNhwcArgs } from './onnx_qops.js';
import { checkOneElementScale, checkOneElementZeroPoint, checkQ8Values } from './qlinear_pool_checks.js';
import { type IntTensor, f64Tensor, intTensor, reshaped } from './tensor.js';
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

/**
 * The op's output from its quantized_conv2d@1 result (NCHW): NHWC, and for a 1-D conv ([N, W, C] x) without the
 * H = 1 dimension the lift added (checkQLinearConvNhwc). Layout only.
 */
export function qlinearConvNhwcOutput(a: QLinearConvNhwcArgs, y: IntTensor): IntTensor {
  const nhwc = nchwToNhwc(y);
  const [n, p, w, m] = nhwc.shape as [number, number, number, number];
  if (a.x.shape.length === 3) return reshaped(nhwc, [n, w, m]);
  if (a.x.shape.length !== 5) return nhwc;
  // 3-D: positions [OD * OH, OW] of the pointwise conv (contract/qlinear_conv_3d.ts), NHWC order already
  const od = onnxConvOutputSize(a.x.shape[1]!, a.w.shape[2]!, a.strides[0]!, a.pads[0]!, a.pads[3]!, a.dilations[0]!);
  return reshaped(nhwc, [n, od, p / od, w, m]);
}

/** Why qconform does not compute an NHWC QLinearConv of x with C = 0 and N > 0 (ortNhwcUnwrittenY). */
export const ORT_NHWC_UNWRITTEN_Y =
  "x has 0 channels (C = 0) and N > 0: ORT 1.30's QLinearConv runs its GEMM with K = 0, which writes nothing, and requantizes its uninitialized int32 buffer (y varies from run to run; onnxruntime-node 1.30 measured)";

/**
 * Whether ORT 1.30's y for this call is read from memory its kernel never writes: C = 0 with N > 0 and every output
 * size >= 1 (ORT refuses a size <= 0 first, "Invalid input shape"). Reads shapes only (a malformed call's check refuses it).
 */
export function ortNhwcUnwrittenY(a: QLinearConvNhwcArgs): boolean {
  const s = a.x.shape;
  const spatial = s.length - 2;
  if (spatial < 1 || spatial > 3 || s[0] === 0 || s[s.length - 1] !== 0) return false;
  return s.slice(1, -1).every((d, i) => onnxConvOutputSize(d, a.w.shape[2 + i] ?? 1, a.strides[i] ?? 1, a.pads[i] ?? 0, a.pads[i + spatial] ?? 0, a.dilations[i] ?? 1) >= 1);
}

/** Validates a qlinear_conv_nhwc@1 call; returns the quantized_conv2d@1 (NCHW, scheme onnxruntime@1) it computes. */
export function checkQLinearConvNhwc(what: string, a: QLinearConvNhwcArgs): Conv2dArgs {
  const dtype = checkQ8Values(`${what}: x`, a.x);
  const rank = a.x.shape.length;
  if (rank !== 3 && rank !== 4 && rank !== 5) throw new QconformError('shape_mismatch', `${what}: x`, a.x.shape, 'x is [N, W, C] (1-D), [N, H, W, C] (2-D) or [N, D, H, W, C] (3-D convs)');
  const spatial = rank - 2;
  const wDtype = a.w.dtype;
  if (wDtype !== 'qint8' && wDtype !== 'quint8') throw new QconformError('invalid_dtype', `${what}: w.dtype`, wDtype, 'qint8 or quint8 (ONNX int8 or uint8)');
  if (wDtype === 'quint8' && dtype !== 'quint8') {
    throw new QconformError('invalid_dtype', `${what}: w.dtype`, wDtype, 'ORT 1.30 registers uint8 weights with uint8 x only (QLinearConv<uint8_t>); the int8-x kernel takes int8 weights');
  }
  validateShape(`${what}: w`, a.w);
  if (a.w.shape.length !== rank) throw new QconformError('shape_mismatch', `${what}: w`, a.w.shape, ['w is [M, C / group, KW] for a 1-D x', 'w is [M, C / group, KH, KW]', 'w is [M, C / group, KD, KH, KW] for a 3-D x'][spatial - 1]!);
  validateQuantizedValues(`${what}: w`, a.w.data, wDtype);
  // the GEMM's A is the NHWC im2col of x, its B the weights: sat16_pairs_im2col needs A uint8, B int8 (u8 x u8 is
  // MlasGemmU8U8KernelAvx2 / the u8u8 depthwise kernel: widened to int16, exact on every CPU)
  checkAccumulator(what, a.accumulator, dtype, wDtype);
  const xScale = checkOneElementScale(`${what}: x_scale`, a.xScale);
  const xZeroPoint = checkOneElementZeroPoint(`${what}: x_zero_point`, a.xZeroPoint, dtype);
  const yScale = checkOneElementScale(`${what}: y_scale`, a.yScale);
  const yZeroPoint = checkOneElementZeroPoint(`${what}: y_zero_point`, a.yZeroPoint, dtype);
  const m = a.w.shape[0]!;
  if (a.wScale.dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}: w_scale.dtype`, a.wScale.dtype, 'scales are float32');
  validateShape(`${what}: w_scale`, a.wScale);
  const scales = checkWeightParamShape(`${what}: w_scale`, a.wScale.shape, m);
  if (a.wZeroPoint.dtype !== wDtype) throw new QconformError('invalid_dtype', `${what}: w_zero_point.dtype`, a.wZeroPoint.dtype, `w's dtype (${wDtype})`);
  validateShape(`${what}: w_zero_point`, a.wZeroPoint);
  checkWeightParamShape(`${what}: w_zero_point`, a.wZeroPoint.shape, m);
  validateQuantizedValues(`${what}: w_zero_point`, a.wZeroPoint.data, wDtype);
  if (a.bias !== null && a.bias.dtype !== 'int32') throw new QconformError('invalid_dtype', `${what}: B.dtype`, a.bias.dtype, 'int32');
  ints(`${what}: strides`, a.strides, spatial, 1);
  ints(`${what}: pads`, a.pads, 2 * spatial, 0);
  ints(`${what}: dilations`, a.dilations, spatial, 1);
  // uint8 weights: (w - z_w) = ((w - 128) - (z_w - 128)), the same differences as int8 weights and zero point
  // shifted by 128, and the u8 x u8 accumulator is exact (int32_wrap), so the conv is the int8-weight one's.
  const shift = wDtype === 'quint8' ? 128 : 0;
  // Int32Array.from, not data.map: a map on compact (Uint8Array) storage would wrap w - 128 back into [0, 255]
  const w8: IntTensor = { dtype: 'qint8', shape: [...a.w.shape], data: shift ? Int32Array.from(a.w.data, (v) => v - shift) : a.w.data };
  const perChannel = scales === m && a.wScale.shape.length === 1 && m > 1;
  // weight zero points that differ between output channels (ORT 1.30 computes them, one per channel) make the conv
  // per channel even with one scale, which then is every channel's
  const zps = a.wZeroPoint.data;
  const channelwise = perChannel || zps.some((z) => z !== zps[0]);
  let x: IntTensor;
  let weight: IntTensor;
  let strides: readonly number[] = [1, 1];
  let dilations: readonly number[] = [1, 1];
  if (spatial === 3) {
    // 3-D: the pointwise 2-D conv over its NHWC im2col rows (contract/qlinear_conv_3d.ts)
    ({ x, weight } = pointwiseOf3d(what, a.x, w8, a.group, xZeroPoint, a.strides, a.pads, a.dilations));
  } else {
    // A 1-D conv is the 2-D one with H = KH = 1: ORT's kernel_rank == 1 im2col is its 2-D NHWC Im2col called with
    // height 1, kernel height 1, pad 0, stride 1 (qlinearconv.cc Compute), the same im2col row (kw, c).
    const x4: IntTensor = spatial === 1 ? reshaped(a.x, [a.x.shape[0]!, 1, a.x.shape[1]!, a.x.shape[2]!]) : a.x;
    const pads = (spatial === 1 ? [0, a.pads[0]!, 0, a.pads[1]!] : a.pads) as [number, number, number, number];
    strides = spatial === 1 ? [1, a.strides[0]!] : a.strides;
    dilations = spatial === 1 ? [1, a.dilations[0]!] : a.dilations;
    weight = spatial === 1 ? reshaped(w8, [m, a.w.shape[1]!, 1, a.w.shape[2]!]) : w8;
    const [n, h, w, c] = x4.shape as [number, number, number, number];
    const [pt, pl, pb, pr] = pads;
    checkLimit(`${what}: padded input elements (N * C * (H + pads) * (W + pads))`, n * c * (h + pt + pb) * (w + pl + pr), MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
    x = nhwcToPaddedNchw(x4, pads, xZeroPoint);
  }
  const conv: Conv2dArgs = {
    x,
    xScale,
    xZeroPoint,
    weight,
    weightQuantization: channelwise ? 'per_channel' : 'per_tensor',
    weightScales: f64Tensor([channelwise ? m : 1], Array.from({ length: channelwise ? m : 1 }, (_, c) => a.wScale.data[perChannel ? c : 0]!)),
    weightZeroPoints: intTensor('int64', [channelwise ? m : 1], Array.from({ length: channelwise ? m : 1 }, (_, c) => a.wZeroPoint.data[a.wZeroPoint.data.length > 1 ? c : 0]! - shift)),
    bias: a.bias,
    stride: [strides[0]!, strides[1]!],
    padding: [0, 0],
    dilation: [dilations[0]!, dilations[1]!],
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
  // an empty x (N > 0) with output sizes >= 1: a spatial dim of 0 is the conv over padding only; C = 0 is not computed
  if (ortNhwcUnwrittenY(a)) throw new QconformError('empty_output', `${what}: x`, a.x.shape, ORT_NHWC_UNWRITTEN_Y);
  return conv;
}
