/**
 * The contract checks of each op, in the order torch 1.13 performs them (so the first broken rule is
 * the one torch would name). reference/ and impl/ both call these once at the top of each public op;
 * no arithmetic under test lives here.
 */
import { DTYPE_RANGE, type QScheme, type QuantDtype, assertQScheme, assertQuantDtype, isPerChannel, isSymmetric } from './dtypes.js';
import { broadcastShapes } from './broadcast.js';
import { QconformError } from './errors.js';
import { MAX_HISTOGRAM_BATCH_BINS, MAX_HISTOGRAM_BINS, MAX_HISTOGRAM_UPSAMPLED_CELLS, checkLimit } from './limits.js';
import type { FixedQparamsObserverAttrs, HistogramObserverAttrs, QparamsConfig } from './ops.js';
import { type QuantRange, calculateQminQmax } from './qrange.js';
import { assertDecomposedDtype, checkDecomposedBounds } from './decomposed_checks.js';
import type { F32Tensor, F64Tensor, IntTensor, Tensor } from './tensor.js';
import {
  normalizeAxis,
  rejectSubByteDtype,
  validateChannelCount,
  validateDtypeZeroPoint,
  validateF32,
  validateFakeQuantRange,
  validateFloatQparams,
  validateList,
  validateNumber,
  validatePerChannelParams,
  validateQuantRangeIntegers,
  validateQuantizedValues,
  validateScale,
  validateShape,
  validateZeroPoint,
} from './validate.js';

/**
 * The zero point torch 1.13's per-tensor quantize and dequantize take (aten/src/ATen/native/quantized/AffineQuantizer.cpp
 * quantize_tensor_per_tensor_affine / dequantize_tensor_per_tensor_affine: checkZeroPoint<underlying_t>): the range of
 * the dtype's underlying type, which for quint4x2 is uint8's [0, 255], not the [0, 15] its values hold (the sub-byte
 * kernel clamps each value to [0, 15]; measured on torch 1.13: zero points 16, 100 and 255 computed, 256 refused).
 */
function validatePerTensorZeroPoint(what: string, zp: number, dtype: QuantDtype): void {
  if (dtype === 'quint4x2') validateZeroPoint(what, zp, 0, 255);
  else validateDtypeZeroPoint(what, zp, dtype);
}

/**
 * torch's per-channel float-qparams kernels (QuantizedOpKernels.cpp quantize_tensor_per_channel_float_qparams_cpu,
 * dequantize_per_channel_affine_kernel) pack `8 / bit_width` values per byte, which is 0 for qint32: the division by it
 * traps (SIGILL, measured on torch 1.13) once there is an element to store, so qint32 has no answer there and is refused.
 * Called where the kernel runs, after torch's own checks (AffineQuantizer.cpp: the axis, then one scale and zero point per
 * channel): torch 1.13 and 2.6 refuse a bad axis or length with qint32 as with any dtype, and compute an empty tensor
 * (measured: tests/backends/torch_float_qparams_qint32_order.test.ts).
 */
function rejectQint32FloatQparams(what: string, dtype: QuantDtype, elements: number): void {
  if (dtype === 'qint32' && elements > 0) throw new QconformError('invalid_dtype', `${what}: dtype`, dtype, 'quint8, qint8 or quint4x2: torch 1.13 dies of SIGILL on a non-empty qint32 tensor with float qparams (8 / bit_width is 0)');
}

export function checkQuantizePerTensor(x: F32Tensor, a: { scale: number; zeroPoint: number; dtype: QuantDtype }): QuantDtype {
  const what = 'quantize_per_tensor';
  const dtype = assertQuantDtype(`${what}: dtype`, a.dtype);
  validateF32(`${what}: x`, x);
  validatePerTensorZeroPoint(`${what}: zero_point`, a.zeroPoint, dtype); // torch checks the zero point first
  validateScale(`${what}: scale`, a.scale);
  return dtype;
}

export function checkQuantizePerChannel(x: F32Tensor, scales: F64Tensor, zeroPoints: IntTensor, a: { axis: number; dtype: QuantDtype }): { dtype: QuantDtype; axis: number } {
  const what = 'quantize_per_channel';
  const dtype = assertQuantDtype(`${what}: dtype`, a.dtype);
  rejectSubByteDtype(what, dtype);
  validateF32(`${what}: x`, x);
  const axis = checkAffinePerChannelParams(what, x, scales, zeroPoints, a.axis, dtype);
  return { dtype, axis };
}

/**
 * The per-channel affine parameters in the order torch 1.13 and 2.6 check them (aten/src/ATen/native/quantized/
 * AffineQuantizer.cpp quantize_tensor_per_channel_affine / dequantize_tensor_per_channel_affine, behind
 * make_per_channel_affine_quantizer's checkPerChannelParamsSize; measured alike on both): scales and zero points 1-D
 * of one length (shape_mismatch), every zero point inside the dtype's range (checkZeroPoints:
 * zero_point_out_of_range), the axis inside [0, ndim) (no negative axis: axis_out_of_range), one entry per channel
 * (shape_mismatch), then qconform's own scale checks. Returns the axis.
 */
function checkAffinePerChannelParams(what: string, x: Tensor, scales: F64Tensor, zeroPoints: IntTensor, axis: number, dtype: QuantDtype): number {
  validatePerChannelParams(`${what}: scales, zero_points`, { scales, zero_points: zeroPoints });
  zeroPoints.data.forEach((z, c) => validateDtypeZeroPoint(`${what}: zero_points[${c}]`, z, dtype));
  const normalized = normalizeAxis(`${what}: axis`, axis, x.shape.length, false);
  validateChannelCount(`${what}: scales, zero_points`, x, normalized, [scales, zeroPoints]);
  scales.data.forEach((s, c) => validateScale(`${what}: scales[${c}]`, s));
  return normalized;
}

/**
 * quantized_decomposed.quantize_per_tensor's checks (torch 2.6 torch/ao/quantization/fx/_decomposed.py): a float32
 * input, dtype uint8 or int8 (wire quint8 / qint8; its int16/int32 forms are not in the contract), and
 * _quant_min_max_bounds_check (checkDecomposedBounds): quant_min >= the dtype's minimum, quant_max <= its maximum
 * (AssertionError otherwise: quant_range_outside_dtype); quant_min > quant_max is computed (torch.clamp gives quant_max).
 * qconform's own rule: a finite positive scale (torch would divide by it whatever it is).
 */
export function checkDecomposedQuantizePerTensor(x: F32Tensor, a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number; dtype: QuantDtype }): 'quint8' | 'qint8' {
  const what = 'decomposed_quantize_per_tensor';
  const dtype = assertDecomposedDtype(what, a.dtype);
  validateF32(`${what}: x`, x);
  checkDecomposedBounds(what, dtype, a.quantMin, a.quantMax);
  if (!Number.isSafeInteger(a.zeroPoint)) throw new QconformError('invalid_integer', `${what}: zero_point`, a.zeroPoint);
  validateScale(`${what}: scale`, a.scale);
  return dtype;
}

function checkQuantizedInput(what: string, q: IntTensor): QuantDtype {
  const dtype = assertQuantDtype(`${what}: q.dtype`, q.dtype);
  validateShape(`${what}: q`, q);
  validateQuantizedValues(`${what}: q`, q.data, dtype);
  return dtype;
}

export function checkDequantizePerTensor(q: IntTensor, a: { scale: number; zeroPoint: number }): QuantDtype {
  const what = 'dequantize_per_tensor';
  const dtype = checkQuantizedInput(what, q);
  validatePerTensorZeroPoint(`${what}: zero_point`, a.zeroPoint, dtype);
  validateScale(`${what}: scale`, a.scale);
  return dtype;
}

export function checkDequantizePerChannel(q: IntTensor, scales: F64Tensor, zeroPoints: IntTensor, a: { axis: number }): { dtype: QuantDtype; axis: number } {
  const what = 'dequantize_per_channel';
  const dtype = checkQuantizedInput(what, q);
  rejectSubByteDtype(what, dtype);
  const axis = checkAffinePerChannelParams(what, q, scales, zeroPoints, a.axis, dtype);
  return { dtype, axis };
}

export function checkQuantizeFloatQparams(x: F32Tensor, scales: F32Tensor, zeroPoints: F32Tensor, a: { axis: number; dtype: QuantDtype }): { dtype: QuantDtype; axis: number } {
  const what = 'quantize_per_channel_float_qparams';
  const dtype = assertQuantDtype(`${what}: dtype`, a.dtype);
  validateF32(`${what}: x`, x);
  const axis = normalizeAxis(`${what}: axis`, a.axis, x.shape.length, false);
  validateChannelCount(`${what}: scales, zero_points`, x, axis, [scales, zeroPoints]);
  rejectQint32FloatQparams(what, dtype, x.data.length);
  validateFloatQparams(what, scales);
  return { dtype, axis };
}

export function checkDequantizeFloatQparams(q: IntTensor, scales: F32Tensor, zeroPoints: F32Tensor, a: { axis: number }): { dtype: QuantDtype; axis: number } {
  const what = 'dequantize_per_channel_float_qparams';
  const dtype = checkQuantizedInput(what, q);
  const axis = normalizeAxis(`${what}: axis`, a.axis, q.shape.length, false);
  validateChannelCount(`${what}: scales, zero_points`, q, axis, [scales, zeroPoints]);
  rejectQint32FloatQparams(what, dtype, q.data.length);
  validateFloatQparams(what, scales);
  return { dtype, axis };
}

export function checkFakeQuantizePerTensor(x: F32Tensor, a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number }): void {
  const what = 'fake_quantize_per_tensor_affine';
  validateF32(`${what}: x`, x);
  validateFakeQuantRange(`${what}: quant_min, quant_max`, a.quantMin, a.quantMax); // torch's order of checks
  validateZeroPoint(`${what}: zero_point`, a.zeroPoint, a.quantMin, a.quantMax);
  validateScale(`${what}: scale`, a.scale);
}

export function checkFakeQuantizePerChannel(x: F32Tensor, scales: F32Tensor, zeroPoints: IntTensor, a: { axis: number; quantMin: number; quantMax: number }): number {
  const what = 'fake_quantize_per_channel_affine';
  validateF32(`${what}: x`, x);
  const params = `${what}: scales, zero_points`;
  validatePerChannelParams(params, { scales, zero_points: zeroPoints }); // scale.dim() == 1, zero_point.dim() == 1, equal numel
  const axis = normalizeAxis(`${what}: axis`, a.axis, x.shape.length, true); // self.size(axis): Python indexing
  validateChannelCount(params, x, axis, [scales, zeroPoints]);
  validateFakeQuantRange(`${what}: quant_min, quant_max`, a.quantMin, a.quantMax);
  if (zeroPoints.data.length === 0) {
    throw new QconformError('shape_mismatch', params, { x: x.shape, axis: a.axis }, 'no channel along axis: torch takes min() of the empty zero_point and raises "min(): Expected reduction dim to be specified for input.numel() == 0"');
  }
  zeroPoints.data.forEach((z, c) => validateZeroPoint(`${what}: zero_points[${c}]`, z, a.quantMin, a.quantMax));
  if (a.axis < 0) throw new QconformError('axis_out_of_range', `${what}: axis`, a.axis, 'torch requires 0 <= axis once the zero points are checked ("`axis` must be between 0 and number of dimensions of input")');
  scales.data.forEach((s, c) => validateScale(`${what}: scales[${c}]`, s));
  return axis;
}

/** Which qschemes the caller accepts: per-tensor observers take per_tensor_*, per-channel observers per_channel_*. */
export type QschemeFamily = 'per_tensor' | 'per_channel';

/** An observer configuration after its constructor's checks. */
export interface ObserverConfig extends QuantRange {
  readonly dtype: QuantDtype;
  readonly qscheme: QScheme;
}

/**
 * The checks of an observer constructor, in torch's order: dtype and qscheme (UniformQuantizationObserverBase
 * .__init__), the observer's qscheme family, the quant range (_validate_qmin_qmax, calculate_qmin_qmax), then
 * the NotImplementedError of MinMaxObserver / PerChannelMinMaxObserver for symmetric + reduce_range + quint8
 * (torch/ao/quantization/observer.py 1.13).
 */
export function checkObserverConfig(what: string, cfg: QparamsConfig, family: QschemeFamily): ObserverConfig {
  validateNumber(`${what}: eps`, cfg.eps);
  const dtype = assertQuantDtype(`${what}: dtype`, cfg.dtype);
  const qscheme = assertQScheme(`${what}: qscheme`, cfg.qscheme);
  if (isPerChannel(qscheme) !== (family === 'per_channel')) {
    throw new QconformError('invalid_qscheme', `${what}: qscheme`, qscheme, `this observer accepts ${family}_* qschemes only`);
  }
  const range = calculateQminQmax({ dtype, reduceRange: cfg.reduceRange, quantMin: cfg.quantMin, quantMax: cfg.quantMax, semantics: cfg.semantics });
  if (isSymmetric(qscheme) && cfg.reduceRange && dtype === 'quint8') {
    throw new QconformError('symmetric_reduce_range_quint8', `${what}: qscheme, reduce_range, dtype`, { qscheme, reduceRange: cfg.reduceRange, dtype });
  }
  return { ...range, dtype, qscheme };
}

const INT32_MIN = BigInt(DTYPE_RANGE.qint32.min);
const INT32_MAX = BigInt(DTYPE_RANGE.qint32.max);
const outsideInt32 = (v: bigint) => v < INT32_MIN || v > INT32_MAX;

/**
 * The zero point of UniformQuantizationObserverBase._calculate_qparams (torch/ao/quantization/observer.py l.296 in 1.13,
 * l.325 in 2.6) and of 2.6's utils.py determine_qparams (quantized_decomposed.choose_qparams), checked where torch
 * computes it: after check_min_max_valid passed (an unobserved or empty state gives the default qparams; NaN and
 * min > max are refused first), on the range calculate_qmin_qmax gave (reduce_range applied). Measured alike on torch
 * 1.13.0 and 2.6.0 (tests/backends/torch_zero_point_int32.test.ts):
 * - affine (per_tensor_affine, per_channel_affine): `quant_min - torch.round(min_val_neg / scale).to(torch.int)` and
 *   `torch.clamp(zero_point, quant_min, quant_max)` put the Python ints into int32 tensor arithmetic: a quant_min or
 *   quant_max outside int32 raises "value cannot be converted to type int without overflow" (quant_range_beyond_int32);
 * - symmetric quint8 with a custom range: `(quant_min + quant_max) // 2` fills torch's int64 zero point, which torch
 *   returns whatever its size; qconform's integer tensors hold int32, so one outside int32 is refused
 *   (zero_point_beyond_int32, a contract rejection), never wrapped.
 * float_qparams (a float32 zero point) and the other symmetric zero points (0, 128) need no check.
 */
export function checkQparamsZeroPoint(what: string, cfg: Pick<ObserverConfig, 'dtype' | 'qscheme' | 'quantMin' | 'quantMax' | 'hasCustomizedQrange'>): void {
  const qmin = BigInt(cfg.quantMin);
  const qmax = BigInt(cfg.quantMax);
  if (cfg.qscheme === 'per_tensor_affine' || cfg.qscheme === 'per_channel_affine') {
    if (outsideInt32(qmin) || outsideInt32(qmax)) {
      throw new QconformError('quant_range_beyond_int32', `${what}: quant_min, quant_max`, [cfg.quantMin, cfg.quantMax], `${cfg.qscheme} computes its zero point in int32 with them; int32 is [-2147483648, 2147483647]`);
    }
    return;
  }
  if (!isSymmetric(cfg.qscheme) || cfg.dtype !== 'quint8' || !cfg.hasCustomizedQrange) return;
  const sum = qmin + qmax;
  const zeroPoint = sum >= 0n ? sum / 2n : -((-sum + 1n) / 2n); // Python's floor division
  if (outsideInt32(zeroPoint)) {
    throw new QconformError(
      'zero_point_beyond_int32',
      `${what}: zero_point`,
      zeroPoint,
      `torch returns the int64 zero point (quant_min + quant_max) // 2 = ${zeroPoint} of ${cfg.qscheme} quint8 with the range [${cfg.quantMin}, ${cfg.quantMax}]; qconform's integer tensors hold int32 and do not wrap it`,
    );
  }
}

/** The moving-average observers' averaging_constant: a number (torch takes any float; applied as float32). */
export function checkAveragingConstant(what: string, c: number): number {
  validateNumber(`${what}: averaging_constant`, c);
  return c;
}

/**
 * HistogramObserver.__init__ (observer.py l.883 in 1.13, the same order in 2.x): its own per_tensor_*
 * check first (NotImplementedError), then UniformQuantizationObserverBase's dtype and quant-range checks.
 * Unlike MinMaxObserver it accepts per_tensor_symmetric + reduce_range + quint8 (zero point 128 outside
 * [0, 127], as torch returns it). Then qconform's own rules: bins and upsample_rate integers >= 1 (torch.histc
 * refuses bins <= 0; upsample_rate <= 0 only fails when two histograms merge), bins <= MAX_HISTOGRAM_BINS (too_large), sum_lane_width 8
 * or 16; and the work of `batches` batches within MAX_HISTOGRAM_BATCH_BINS and MAX_HISTOGRAM_UPSAMPLED_CELLS (too_large,
 * checked before any batch is observed). `version` 1 (histogram_observer@1) requires upsample_rate; 2 has none
 * (UPSAMPLE_RATE_V2) and ignores one.
 */
export function checkHistogramObserverConfig(what: string, a: HistogramObserverAttrs & { readonly upsampleRate?: number }, batches: readonly F32Tensor[], version: 1 | 2): HistogramObserverConfig {
  validateList(`${what}: batches`, batches, 'an array of float32 tensors');
  validateNumber(`${what}: eps`, a.eps);
  const qscheme = assertQScheme(`${what}: qscheme`, a.qscheme);
  if (isPerChannel(qscheme)) throw new QconformError('invalid_qscheme', `${what}: qscheme`, qscheme, 'HistogramObserver accepts per_tensor_affine and per_tensor_symmetric only');
  const dtype = assertQuantDtype(`${what}: dtype`, a.dtype);
  const range = calculateQminQmax({ dtype, reduceRange: a.reduceRange, quantMin: a.quantMin, quantMax: a.quantMax, semantics: a.semantics });
  const positive = (name: string, v: unknown) => {
    if (!(Number.isSafeInteger(v) && (v as number) >= 1)) throw new QconformError('histogram_config_invalid', `${what}: ${name}`, v, 'an integer >= 1');
  };
  positive('bins', a.bins);
  checkLimit(`${what}: bins`, a.bins, MAX_HISTOGRAM_BINS, 'MAX_HISTOGRAM_BINS');
  if (version === 1) positive('upsample_rate', a.upsampleRate);
  if (a.sumLaneWidth !== 8 && a.sumLaneWidth !== 16) throw new QconformError('histogram_config_invalid', `${what}: sum_lane_width`, a.sumLaneWidth, '8 (AVX2) or 16 (AVX-512)');
  checkLimit(`${what}: batches * bins`, batches.length * a.bins, MAX_HISTOGRAM_BATCH_BINS, 'MAX_HISTOGRAM_BATCH_BINS');
  if (version === 1) checkLimit(`${what}: batches * bins * upsample_rate`, batches.length * a.bins * (a.upsampleRate as number), MAX_HISTOGRAM_UPSAMPLED_CELLS, 'MAX_HISTOGRAM_UPSAMPLED_CELLS');
  // dst_nbins = 2 ** torch.iinfo(dtype).bits: 8 bits for quint8, qint8 and quint4x2, 32 for qint32, whatever the quant range
  return { ...range, dtype, qscheme, dstBins: dtype === 'qint32' ? 2 ** 32 : 256 };
}

/** A HistogramObserver configuration after its constructor's checks. */
export interface HistogramObserverConfig extends ObserverConfig {
  /** The observer's dst_nbins: the number of quantization bins its error model assumes (256, or 2^32 for qint32). */
  readonly dstBins: number;
}

/**
 * calculate_qparams takes min_val/max_val as UniformQuantizationObserverBase._calculate_qparams (observer.py l.296 in
 * torch 1.13, l.325 in torch 2.6; the same steps) does, whatever the qscheme: every step is elementwise, so a state of
 * any one shape is computed (qparams of that shape; [1] for a 0-dim state), and an empty min_val or max_val gives the
 * default qparams whatever the other's shape (utils.py check_min_max_valid tests numel first). Different shapes are
 * refused: those torch refuses too as shape_mismatch (shapes that do not broadcast: "The size of tensor a (2) must
 * match the size of tensor b (3)"; a 0-dim state beside one of several elements: "Boolean value of Tensor with more
 * than one value is ambiguous", from check_min_max_valid), those torch broadcasts as min_max_shapes_differ
 * (CONTRACT_REJECTIONS). calculate_qparams@1 and @2 take the same state: @2 differs only in the qint32 range check
 * (checkObserverConfig, contract/qrange.ts), and torch 1.13.0 and 2.6.0 answer every other state-shape request alike
 * (tests/backends/torch_calculate_qparams_shapes.test.ts, torch26_calculate_qparams_shapes.test.ts).
 */
export function checkCalculateQparams(minVal: F32Tensor, maxVal: F32Tensor, cfg: QparamsConfig): ObserverConfig {
  const what = 'calculate_qparams';
  validateF32(`${what}: min_val`, minVal);
  validateF32(`${what}: max_val`, maxVal);
  const qscheme = assertQScheme(`${what}: qscheme`, cfg.qscheme);
  const family: QschemeFamily = isPerChannel(qscheme) ? 'per_channel' : 'per_tensor';
  const checked = checkObserverConfig(what, cfg, family); // torch constructs the observer before it reads the state
  checkStateShapes(`${what}: min_val, max_val`, minVal, maxVal);
  return checked;
}

/** calculate_qparams' state shapes, @1 and @2 alike (checkCalculateQparams): one shape, or an empty min_val or max_val. */
function checkStateShapes(what: string, minVal: F32Tensor, maxVal: F32Tensor): void {
  const shapes = { min: minVal.shape, max: maxVal.shape };
  if (minVal.data.length === 0 || maxVal.data.length === 0) return;
  if (minVal.shape.length === maxVal.shape.length && minVal.shape.every((d, k) => d === maxVal.shape[k])) return;
  const zeroDim = minVal.shape.length === 0 || maxVal.shape.length === 0;
  if (zeroDim && Math.max(minVal.data.length, maxVal.data.length) > 1) {
    throw new QconformError('shape_mismatch', what, shapes, 'torch (1.13 and 2.6) raises "Boolean value of Tensor with more than one value is ambiguous" in check_min_max_valid for a 0-dim state beside one of several elements');
  }
  let broadcastable = true;
  try {
    broadcastShapes(what, shapes);
  } catch {
    broadcastable = false;
  }
  if (!broadcastable) throw new QconformError('shape_mismatch', what, shapes, 'torch (1.13 and 2.6) raises "The size of tensor a must match the size of tensor b" for shapes that do not broadcast');
  throw new QconformError('min_max_shapes_differ', what, shapes, 'one shape for both; torch (1.13 and 2.6) computes on the broadcast shape');
}

/**
 * A batch for a per-channel observer: ch_axis in Python range, and rank >= 2 because the observer flattens
 * from dim 1 (torch raises "Dimension out of range" on a 1-D batch). Returns the normalized axis.
 */
export function checkPerChannelBatch(what: string, batch: F32Tensor, chAxis: number): number {
  const axis = normalizeAxis(`${what}: ch_axis`, chAxis, batch.shape.length, true);
  if (batch.shape.length < 2) {
    throw new QconformError('axis_out_of_range', `${what}: batch`, batch.shape, 'per-channel observers flatten from dim 1, so batches need rank >= 2');
  }
  return axis;
}

/**
 * FixedQParamsObserver's parameters. torch 1.13 validates none (observer.py FixedQParamsObserver.__init__ stores
 * quant_min and quant_max as given and torch.tensor([zero_point], dtype=torch.int); forward returns its input and
 * calculate_qparams the two buffers): a zero point outside [quant_min, quant_max] or outside the dtype is returned as it
 * is, by FixedQParamsFakeQuantize's calculate_qparams too (whose forward fake-quantizes with it, unchecked, through the
 * tensor-qparams fake_quantize_per_tensor_affine), and so are the qparams of a quant_min above quant_max; a zero point
 * outside int32 raises "value cannot be converted to type int32 without overflow" (measured, torch 1.13.0:
 * tests/backends/torch_fixed_qparams.test.ts). qconform's own rules: a usable scale, integer quant_min and quant_max.
 */
export function checkFixedQparams(batches: readonly F32Tensor[], a: FixedQparamsObserverAttrs): void {
  const what = 'fixed_qparams_observer';
  validateList(`${what}: batches`, batches, 'an array of float32 tensors');
  assertQuantDtype(`${what}: dtype`, a.dtype);
  assertQScheme(`${what}: qscheme`, a.qscheme);
  validateQuantRangeIntegers(`${what}: quant_min, quant_max`, a.quantMin, a.quantMax);
  validateZeroPoint(`${what}: zero_point (an int32 buffer)`, a.zeroPoint, DTYPE_RANGE.qint32.min, DTYPE_RANGE.qint32.max);
  validateScale(`${what}: scale`, a.scale);
  batches.forEach((b, i) => validateF32(`${what}: batches[${i}]`, b));
}
