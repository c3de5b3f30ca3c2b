/**
 * The contract checks of qlinear_global_average_pool@1 and qlinear_average_pool@1 (com.microsoft
 * QLinearGlobalAveragePool / QLinearAveragePool, onnxruntime/contrib_ops/cpu/quantization/
 * qlinear_global_average_pool.cc and qlinear_pool.cc), run once by reference/ and impl/. They return the geometry
 * both compute from: the NCHW view of x (channelsLast moves the last dim to position 1), the output shape and, for
 * the average pool, each output position's window and whether ORT takes its global-pool shortcut.
 *
 * Empty tensors (probed with onnxruntime-node 1.30, each request run twice): QLinearGlobalAveragePool gives its empty
 * output for N = 0 or C = 0 (an image of 0 positions fails MLAS's scale check below, as in ORT); QLinearAveragePool for
 * N = 0 only (ORT_POOL_ONLY_N_EMPTY: any other empty x is ORT's "Only N can be zero"). MLAS's scale check runs on
 * empty inputs too (ORT fails such a run), so it is applied whatever N and C are.
 * Pooled sizes are poolOutputSize's (ORT's integer arithmetic: a kernel larger than the padded input may still give
 * one window with a stride above 1). A pooled size of 0 gives ORT's empty y with channels_last 0 (any N); with
 * channels_last 1 it is refused (ORT_POOLED_ZERO_CHANNELS_LAST: ORT dies of SIGFPE); a negative one is refused as ORT
 * refuses it (ORT_POOLED_NEGATIVE, ORT_POOLED_BELOW_MINUS_ONE).
 * Refusals beyond ORT's own: explicit pads with auto_pad (ORT lets auto_pad overwrite them); dilations are not
 * modelled (the wire has no such attr).
 * QLinearAveragePool's type inference (ORT 1.30) wants scalar scales and zero points (shape []) and refuses a model
 * without its zero points ("Input data type does not match the expected data type"), although its kernel reads
 * them as optional: both are required here. QLinearGlobalAveragePool takes [] or [1]; its kernel reads the zero
 * points unconditionally, so they are required too.
 * ORT's MLAS global pool refuses an image of 2^24 or more positions and a combined scale
 * f32(x_scale / f32(y_scale * f32(image))) outside [2^-32, 256) (CheckQLinearGlobalAveragePoolScaleAndSize in
 * onnxruntime/core/mlas/lib/qlgavgpool.cpp): `unsupported_by_scheme` here. Both products are float32 operations on
 * float32 operands, so Math.fround of the binary64 result is the float32 result (no double rounding for * and /).
 */
import type { QuantDtype } from './dtypes.js';
import { QconformError } from './errors.js';
import { AUTO_PADS, type AutoPad, type QLinearAveragePoolArgs, type QLinearGlobalAveragePoolArgs } from './onnx_qops.js';
import { type F32Tensor, type IntData, type IntTensor, numel } from './tensor.js';
import { A_TENSOR, validateList, validateObject, validateQuantizedValues, validateScale, validateShape } from './validate.js';

type Q8 = 'quint8' | 'qint8';

/** The shape rule of a scale or zero point: one element ([] or [1], ORT's IsScalarOr1ElementVector) or, `scalar`, shape []. */
function checkOneElement(what: string, shape: readonly number[], length: number, scalar: boolean): void {
  if (scalar && shape.length !== 0) throw new QconformError('shape_mismatch', what, shape, 'a scalar (shape []): ORT 1.30 QLinearAveragePool type inference, "Scale and Zero-point must be a scalar"');
  if (shape.length > 1 || length !== 1) throw new QconformError('shape_mismatch', what, shape, 'one element, shape [] or [1] (ORT IsScalarOr1ElementVector)');
}

/** A float32 scale of one element (`scalar`: shape []). */
export function checkOneElementScale(what: string, s: F32Tensor, scalar = false): number {
  validateObject(what, s, A_TENSOR);
  if (s.dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}.dtype`, s.dtype, 'scales are float32');
  validateShape(what, s);
  checkOneElement(what, s.shape, s.data.length, scalar);
  validateScale(`${what}[0]`, s.data[0] as number);
  return s.data[0] as number;
}

/** A zero point of one element of `dtype` (`scalar`: shape []). */
export function checkOneElementZeroPoint(what: string, zp: IntTensor, dtype: Q8, scalar = false): number {
  validateObject(what, zp, A_TENSOR);
  if (zp.dtype !== dtype) throw new QconformError('invalid_dtype', `${what}.dtype`, zp.dtype, `a zero point has the dtype of its tensor (${dtype})`);
  validateShape(what, zp);
  checkOneElement(what, zp.shape, zp.data.length, scalar);
  validateQuantizedValues(what, zp.data, dtype);
  return zp.data[0] as number;
}

/** An 8-bit quantized tensor (quint8 = ONNX uint8, qint8 = ONNX int8), of any shape (empty too). */
export function checkQ8Values(what: string, t: IntTensor): Q8 {
  validateObject(what, t, A_TENSOR);
  if (t.dtype !== 'quint8' && t.dtype !== 'qint8') throw new QconformError('invalid_dtype', `${what}.dtype`, t.dtype, 'quint8 (ONNX uint8) or qint8 (ONNX int8)');
  validateShape(what, t);
  validateQuantizedValues(what, t.data, t.dtype as QuantDtype);
  return t.dtype;
}

/** An 8-bit quantized tensor, not empty (for the ops whose empty inputs qconform does not model). */
export function checkQ8Tensor(what: string, t: IntTensor): Q8 {
  const dtype = checkQ8Values(what, t);
  if (t.data.length === 0) throw new QconformError('shape_mismatch', what, t.shape, 'qconform does not take empty tensors here');
  return dtype;
}

/**
 * Why an empty x with N > 0 is refused by QLinearAveragePool and NhwcMaxPool: ORT 1.30 refuses it
 * (PoolAttributes::SetOutputSize, core/providers/cpu/nn/pool_attributes.h; NhwcMaxPool::Compute, nhwc_max_pool.cc).
 */
export const ORT_POOL_ONLY_N_EMPTY = 'an empty x with N > 0: ORT 1.30 refuses it ("Invalid input shape. Only N can be zero")';

/** An empty x of a pool must have N = 0 (ORT_POOL_ONLY_N_EMPTY). */
export function checkOnlyNEmpty(what: string, shape: readonly number[]): void {
  if (numel(shape) === 0 && shape[0] !== 0) throw new QconformError('shape_mismatch', what, shape, ORT_POOL_ONLY_N_EMPTY);
}

/** MLAS's refusals of the global pool (CheckQLinearGlobalAveragePoolScaleAndSize). */
function checkGlobalPoolRange(what: string, xScale: number, yScale: number, imageSize: number): void {
  if (imageSize >= 0x1000000) throw new QconformError('unsupported_by_scheme', what, imageSize, 'MLAS QLinearGlobalAveragePool: ImageSize too large (>= 2^24)');
  if (imageSize === 0) throw new QconformError('unsupported_by_scheme', what, imageSize, 'an image of 0 positions: MLAS QLinearGlobalAveragePool\'s scale f32(x_scale / f32(y_scale * 0)) is inf, and ORT 1.30 fails the run ("parameter out of computation range")');
  const scale = Math.fround(xScale / Math.fround(yScale * Math.fround(imageSize)));
  if (scale < 2 ** -32 || scale >= 256) {
    throw new QconformError('unsupported_by_scheme', what, scale, 'MLAS QLinearGlobalAveragePool: f32(x_scale / f32(y_scale * image size)) must lie in [2^-32, 256) ("parameter out of computation range")');
  }
}

export interface GlobalPoolGeometry {
  readonly dtype: Q8;
  /** N * C pools, each over imageSize positions */
  readonly batch: number;
  readonly channels: number;
  readonly imageSize: number;
  readonly channelsLast: boolean;
  readonly outShape: readonly number[];
  readonly xZeroPoint: number;
  readonly yZeroPoint: number;
}

export function checkQLinearGlobalAveragePool(what: string, a: QLinearGlobalAveragePoolArgs): GlobalPoolGeometry {
  const dtype = checkQ8Values(`${what}: x`, a.x);
  const shape = a.x.shape;
  if (shape.length < 3) throw new QconformError('shape_mismatch', `${what}: x`, shape, 'rank >= 3 ("Input dimension cannot be less than 3")');
  const xs = checkOneElementScale(`${what}: x_scale`, a.xScale);
  const xZeroPoint = checkOneElementZeroPoint(`${what}: x_zero_point`, a.xZeroPoint, dtype);
  const ys = checkOneElementScale(`${what}: y_scale`, a.yScale);
  const yZeroPoint = checkOneElementZeroPoint(`${what}: y_zero_point`, a.yZeroPoint, dtype);
  const spatial = a.channelsLast ? shape.slice(1, -1) : shape.slice(2);
  const imageSize = numel(spatial);
  checkGlobalPoolRange(what, xs, ys, imageSize);
  const outShape = a.channelsLast ? [shape[0]!, ...spatial.map(() => 1), shape[shape.length - 1]!] : [shape[0]!, shape[1]!, ...spatial.map(() => 1)];
  return { dtype, batch: shape[0]!, channels: a.channelsLast ? shape[shape.length - 1]! : shape[1]!, imageSize, channelsLast: a.channelsLast, outShape, xZeroPoint, yZeroPoint };
}

/** C++ integer division (truncation toward zero). */
export const cdiv = (a: number, b: number) => Math.trunc(a / b);

/** The pads ORT uses along one dim (PoolAttributes::ComputeSizePadDilations): the attribute's, or auto_pad's. */
export function effectivePads(autoPad: AutoPad, input: number, kernel: number, stride: number, head: number, tail: number): [number, number] {
  if (autoPad === 'NOTSET') return [head, tail];
  if (autoPad === 'VALID') return [0, 0];
  const needed = (cdiv(input + stride - 1, stride) - 1) * stride + kernel - input;
  const h = autoPad === 'SAME_LOWER' ? cdiv(needed + 1, 2) : cdiv(needed, 2);
  return [h, needed - h];
}

/**
 * One spatial dim's pooled size as ORT 1.30 computes it (PoolAttributes::ComputeOutputSize,
 * core/providers/cpu/nn/pool_attributes.h), for QLinearAveragePool (dilation 1) and NhwcMaxPool; measured with
 * onnxruntime-node 1.30.0 (tests/backends/ort_empty_qlinear_ops.test.ts for sizes of 0 and below):
 *   n = in + pad_head + pad_tail - dilation * (kernel - 1) - 1
 *   floor mode: n / stride + 1 in C++ integer division (truncation: n = -1 with stride 2 gives 1, a window that
 *               overhangs the padded input, clipped like any other)
 *   ceil mode:  ceil(n / stride) + 1, then one less when the last window starts at or past in + pad_head
 *               (the last window starts inside the image or its head pad, onnx/onnx#5741)
 * The result may be 0 (an empty y, ORT_POOLED_ZERO_CHANNELS_LAST aside) or negative (checkPooledSizes refuses it).
 */
export function poolOutputSize(input: number, kernel: number, stride: number, dilation: number, padHead: number, padTail: number, ceilMode: boolean): number {
  const n = input + padHead + padTail - dilation * (kernel - 1) - 1;
  if (!ceilMode) return cdiv(n, stride) + 1;
  let out = Math.ceil(n / stride) + 1;
  if ((out - 1) * stride >= input + padHead) out--;
  return out;
}

/**
 * Why a negative pooled size is refused, in ORT 1.30's words for that size: -1 reaches the kernel (ComputeOutputSize:
 * "Calculated output dimension is negative"); -2 or less is refused when the session is created, the model's inferred
 * output dim being invalid ("Invalid dimension").
 */
export const ORT_POOLED_NEGATIVE = 'the pooled size is negative: ORT 1.30 refuses it in its kernel ("Calculated output dimension is negative")';
export const ORT_POOLED_BELOW_MINUS_ONE = 'the pooled size is negative: ORT 1.30 refuses it when it creates the session (the inferred output dim: "Invalid dimension")';

/** A pool's sizes per spatial dim must not be negative (ORT_POOLED_NEGATIVE, ORT_POOLED_BELOW_MINUS_ONE); 0 is an empty y. */
export function checkPooledSizes(what: string, inDims: readonly number[], outDims: readonly number[]): void {
  const negative = outDims.findIndex((o) => o < 0);
  if (negative < 0) return;
  const why = outDims[negative] === -1 ? ORT_POOLED_NEGATIVE : ORT_POOLED_BELOW_MINUS_ONE;
  throw new QconformError('empty_output', `${what}: spatial dim ${negative}`, { input: inDims[negative], output: outDims[negative] }, why);
}

/** The pads ORT 1.30 uses for each spatial dim (effectivePads: auto_pad wins over pads) and the pooled sizes (poolOutputSize). */
function ortPooling(a: Pick<QLinearAveragePoolArgs, 'kernelShape' | 'strides' | 'pads' | 'autoPad' | 'ceilMode'>, spatial: readonly number[]): { pads: [number, number][]; pooled: number[] } {
  const k = a.kernelShape.length;
  const pads = spatial.map((n, d) => effectivePads(a.autoPad, n, a.kernelShape[d]!, a.strides[d]!, a.pads[d]!, a.pads[d + k]!));
  return { pads, pooled: spatial.map((n, d) => poolOutputSize(n, a.kernelShape[d]!, a.strides[d]!, 1, pads[d]![0], pads[d]![1], a.ceilMode)) };
}

/**
 * Whether this QLinearAveragePool kills ORT 1.30's process (ORT_POOLED_ZERO_CHANNELS_LAST: channels_last with a pooled
 * size of 0, ORT's pads and sizes as ortPooling computes them), from x's shape and the attrs alone, whatever else the
 * request gets wrong (explicit pads beside auto_pad included: ORT lets auto_pad win). False where they are malformed.
 */
export function ortAveragePoolDies(a: QLinearAveragePoolArgs): boolean {
  try {
    if (!a.channelsLast) return false;
    const spatial = a.x.shape.slice(1, -1);
    return spatial.length === a.kernelShape.length && ortPooling(a, spatial).pooled.includes(0);
  } catch {
    return false;
  }
}

/**
 * Why a channels_last QLinearAveragePool of pooled size 0 is refused: onnxruntime-node 1.30's process dies of SIGFPE
 * (QLinearPoolNhwc{1,2,3}DTask::operator()(begin, end) in contrib_ops/cpu/quantization/qlinear_pool.cc divides
 * `begin` by the pooled image size, 0, even for an empty range, so N = 0 too); channels_last 0 gives its empty y.
 */
export const ORT_POOLED_ZERO_CHANNELS_LAST = 'a channels_last pool whose pooled size is 0 (the kernel is larger than the padded input): ORT 1.30 dies of SIGFPE (QLinearPoolNhwc*DTask divides by the pooled image size), whatever N is; with channels_last 0 it returns an empty y';

export interface AveragePoolGeometry {
  readonly dtype: Q8;
  readonly batch: number;
  readonly channels: number;
  /** the NCHW spatial dims of x, padded to 3 with 1s (ORT's height, width, depth) */
  readonly inDims: readonly [number, number, number];
  readonly outDims: readonly [number, number, number];
  readonly kernel: readonly [number, number, number];
  readonly strides: readonly [number, number, number];
  /** the pads ORT computes with (auto_pad's; a SAME pad may be negative when the stride exceeds the kernel) */
  readonly padHeads: readonly [number, number, number];
  /** the product of kernelShape (the divisor of count_include_pad) */
  readonly kernelSize: number;
  /** ORT's shortcut to the MLAS global pool: kernel = the spatial dims and every pad 0 */
  readonly global: boolean;
  readonly outShape: readonly number[];
  readonly xZeroPoint: number;
  readonly yZeroPoint: number;
}

/**
 * The integer pool MLAS's global kernel (qlgavgpool.cpp) computes: N * C pools over imageSize values each, of an
 * [N, C, image] int array (channelsLast: [N, image, C]), requantized from x's to y's scale and zero point. Both
 * QLinearGlobalAveragePool and ORT's shortcut of QLinearAveragePool (a kernel covering the unpadded image) run it.
 */
export interface GlobalPoolInput {
  readonly data: IntData;
  readonly dtype: Q8;
  readonly batch: number;
  readonly channels: number;
  readonly imageSize: number;
  readonly channelsLast: boolean;
  /** float32 values */
  readonly xScale: number;
  readonly xZeroPoint: number;
  readonly yScale: number;
  readonly yZeroPoint: number;
}

/** The global kernel's pool of a checked QLinearGlobalAveragePool. */
export function globalPoolOf(a: QLinearGlobalAveragePoolArgs, g: GlobalPoolGeometry): GlobalPoolInput {
  return { data: a.x.data, dtype: g.dtype, batch: g.batch, channels: g.channels, imageSize: g.imageSize, channelsLast: g.channelsLast, xScale: a.xScale.data[0] as number, xZeroPoint: g.xZeroPoint, yScale: a.yScale.data[0] as number, yZeroPoint: g.yZeroPoint };
}

/** The global kernel's pool of a checked QLinearAveragePool that takes ORT's shortcut (`g.global`). */
export function globalPoolOfAveragePool(a: QLinearAveragePoolArgs, g: AveragePoolGeometry): GlobalPoolInput {
  return { data: a.x.data, dtype: g.dtype, batch: g.batch, channels: g.channels, imageSize: g.kernelSize, channelsLast: a.channelsLast, xScale: a.xScale.data[0] as number, xZeroPoint: g.xZeroPoint, yScale: a.yScale.data[0] as number, yZeroPoint: g.yZeroPoint };
}

export function intList(what: string, v: readonly number[], length: number, min: number): void {
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => Number.isSafeInteger(x) && x >= min)) {
    throw new QconformError('invalid_geometry', what, v, `${length} integers >= ${min}`);
  }
}

/**
 * The pooling attributes ORT's PoolAttributes checks for k spatial dims: kernel_shape and strides of k integers >= 1,
 * pads of 2k integers >= 0, a known auto_pad exclusive with nonzero pads, each pad smaller than its kernel size.
 */
export function checkPoolWindow(what: string, a: { readonly kernelShape: readonly number[]; readonly strides: readonly number[]; readonly pads: readonly number[]; readonly autoPad: string }, k: number): void {
  intList(`${what}: kernel_shape`, a.kernelShape, k, 1);
  intList(`${what}: strides`, a.strides, k, 1);
  intList(`${what}: pads`, a.pads, 2 * k, 0);
  if (!(AUTO_PADS as readonly string[]).includes(a.autoPad)) throw new QconformError('invalid_geometry', `${what}: auto_pad`, a.autoPad, AUTO_PADS.join(', '));
  if (a.autoPad !== 'NOTSET' && a.pads.some((p) => p !== 0)) throw new QconformError('invalid_geometry', `${what}: pads`, a.pads, `pads and auto_pad ${a.autoPad} are exclusive (ONNX)`);
  for (let d = 0; d < k; d++) {
    if (a.pads[d]! >= a.kernelShape[d]! || a.pads[d + k]! >= a.kernelShape[d]!) throw new QconformError('invalid_geometry', `${what}: pads`, a.pads, 'each pad is smaller than its kernel size ("Pad should be smaller than kernel")');
  }
}

export function checkQLinearAveragePool(what: string, a: QLinearAveragePoolArgs): AveragePoolGeometry {
  const dtype = checkQ8Values(`${what}: x`, a.x);
  const xs = checkOneElementScale(`${what}: x_scale`, a.xScale, true);
  const xZeroPoint = checkOneElementZeroPoint(`${what}: x_zero_point`, a.xZeroPoint, dtype, true);
  const ys = checkOneElementScale(`${what}: y_scale`, a.yScale, true);
  const yZeroPoint = checkOneElementZeroPoint(`${what}: y_zero_point`, a.yZeroPoint, dtype, true);
  validateList(`${what}: kernel_shape`, a.kernelShape, 'a list of 1 to 3 integers');
  const k = a.kernelShape.length;
  if (k < 1 || k > 3) throw new QconformError('invalid_geometry', `${what}: kernel_shape`, a.kernelShape, '1 to 3 spatial dims ("QLinear Pooling unsupported pooling size")');
  checkPoolWindow(what, a, k);
  const shape = a.x.shape;
  if (shape.length !== k + 2) throw new QconformError('shape_mismatch', `${what}: x`, shape, `rank = 2 + the kernel's ${k} spatial dims`);
  checkOnlyNEmpty(`${what}: x`, shape);
  const spatial = a.channelsLast ? shape.slice(1, -1) : shape.slice(2);
  const channels = a.channelsLast ? shape[shape.length - 1]! : shape[1]!;
  const { pads, pooled } = ortPooling(a, spatial);
  checkPooledSizes(what, spatial, pooled);
  const zero = pooled.indexOf(0);
  if (a.channelsLast && zero >= 0) throw new QconformError('empty_output', `${what}: spatial dim ${zero}`, { input: spatial[zero], kernel: a.kernelShape[zero], output: 0 }, ORT_POOLED_ZERO_CHANNELS_LAST);
  const pad3 = (v: readonly number[], fill: number) => [v[0] ?? fill, v[1] ?? fill, v[2] ?? fill] as [number, number, number];
  const global = spatial.every((n, d) => n === a.kernelShape[d]) && pads.every(([h, t]) => h === 0 && t === 0);
  const kernelSize = numel(a.kernelShape);
  if (global) checkGlobalPoolRange(what, xs, ys, kernelSize);
  const outShape = a.channelsLast ? [shape[0]!, ...pooled, channels] : [shape[0]!, channels, ...pooled];
  return {
    dtype,
    batch: shape[0]!,
    channels,
    inDims: pad3(spatial, 1),
    outDims: pad3(pooled, 1),
    kernel: pad3(a.kernelShape, 1),
    strides: pad3(a.strides, 1),
    padHeads: pad3(pads.map(([h]) => h), 0),
    kernelSize,
    global,
    outShape,
    xZeroPoint,
    yZeroPoint,
  };
}
