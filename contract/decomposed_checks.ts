/**
 * The checks of PT2E's quantized_decomposed ops beyond quantize_per_tensor (whose checks are in op_checks.ts), as
 * torch 2.6 torch/ao/quantization/fx/_decomposed.py makes them, in its order, then qconform's own rules. Wire dtypes
 * quint8 / qint8 stand for torch.uint8 / torch.int8 (the int16 / int32 / float8 forms are not in the contract).
 */
import { type QuantDtype, assertQuantDtype, DTYPE_RANGE } from './dtypes.js';
import { QconformError } from './errors.js';
import type { F32Tensor, IntTensor } from './tensor.js';
import { normalizeAxis, validateChannelCount, validateF32, validateFakeQuantRange, validateQuantizedValues, validateScale, validateShape } from './validate.js';
import { validateQminQmax } from './qrange.js';

/** The dtype argument: torch.uint8 (quint8) or torch.int8 (qint8). */
export function assertDecomposedDtype(what: string, dtype: QuantDtype): 'quint8' | 'qint8' {
  const d = assertQuantDtype(`${what}: dtype`, dtype);
  if (d !== 'quint8' && d !== 'qint8') throw new QconformError('invalid_dtype', `${what}: dtype`, d, 'quint8 (torch.uint8) or qint8 (torch.int8)');
  return d;
}

/** _quant_min_max_bounds_check (AssertionError: quant_range_outside_dtype), after qconform's quant_min <= quant_max. */
export function checkDecomposedBounds(what: string, dtype: 'quint8' | 'qint8', quantMin: number, quantMax: number): void {
  validateFakeQuantRange(`${what}: quant_min, quant_max`, quantMin, quantMax);
  const { min, max } = DTYPE_RANGE[dtype];
  if (quantMin < min || quantMax > max) throw new QconformError('quant_range_outside_dtype', `${what}: quant_min, quant_max`, [quantMin, quantMax], `outside the ${dtype} range [${min}, ${max}]`);
}

/** `assert input.dtype == dtype` of the dequantize ops (invalid_dtype), then the values. */
function checkDecomposedInput(what: string, q: IntTensor, dtype: 'quint8' | 'qint8'): void {
  if (q.dtype !== dtype) throw new QconformError('invalid_dtype', `${what}: q.dtype`, q.dtype, `the dtype argument says ${dtype} (torch: "Expecting input to have dtype")`);
  validateShape(`${what}: q`, q);
  validateQuantizedValues(`${what}: q`, q.data, dtype);
}

/** Per-channel zero points: int32 or int64 tensors (what observers and PT2E's convert hold), safe integers. */
function checkChannelZeroPoints(what: string, zeroPoints: IntTensor): void {
  if (zeroPoints.dtype !== 'int32' && zeroPoints.dtype !== 'int64') throw new QconformError('invalid_dtype', `${what}: zero_points.dtype`, zeroPoints.dtype, 'int32 or int64');
  zeroPoints.data.forEach((z, c) => {
    if (!Number.isSafeInteger(z)) throw new QconformError('invalid_integer', `${what}: zero_points[${c}]`, z);
  });
}

/**
 * dequantize_per_tensor (and .tensor): only `input.dtype == dtype` is asserted (quant_min and quant_max are "not used
 * in computation"); qconform's rules: integers, a finite positive scale, an integer zero point.
 */
export function checkDecomposedDequantizePerTensor(q: IntTensor, a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number; dtype: QuantDtype }): 'quint8' | 'qint8' {
  const what = 'decomposed_dequantize_per_tensor';
  const dtype = assertDecomposedDtype(what, a.dtype);
  checkDecomposedInput(what, q, dtype);
  for (const v of [a.quantMin, a.quantMax, a.zeroPoint]) if (!Number.isSafeInteger(v)) throw new QconformError('invalid_integer', `${what}: quant_min, quant_max, zero_point`, v);
  validateScale(`${what}: scale`, a.scale);
  return dtype;
}

/**
 * quantize_per_channel: a float32 input, `axis < input.dim()` (AssertionError; qconform refuses a negative axis too),
 * _quant_min_max_bounds_check; qconform's rules: float32 scales (the observers' dtype: a float64 tensor would move
 * the arithmetic to float64), finite and positive, one scale and zero point per channel.
 */
export function checkDecomposedQuantizePerChannel(x: F32Tensor, scales: F32Tensor, zeroPoints: IntTensor, a: { axis: number; quantMin: number; quantMax: number; dtype: QuantDtype }): { dtype: 'quint8' | 'qint8'; axis: number } {
  const what = 'decomposed_quantize_per_channel';
  const dtype = assertDecomposedDtype(what, a.dtype);
  validateF32(`${what}: x`, x);
  const axis = normalizeAxis(`${what}: axis`, a.axis, x.shape.length, false);
  checkDecomposedBounds(what, dtype, a.quantMin, a.quantMax);
  checkChannelParams(what, x, axis, scales, zeroPoints);
  return { dtype, axis };
}

/** dequantize_per_channel: `input.dtype == dtype`, `axis < input.dim()`, _quant_min_max_bounds_check; zero points optional. */
export function checkDecomposedDequantizePerChannel(q: IntTensor, scales: F32Tensor, zeroPoints: IntTensor | null, a: { axis: number; quantMin: number; quantMax: number; dtype: QuantDtype }): { dtype: 'quint8' | 'qint8'; axis: number } {
  const what = 'decomposed_dequantize_per_channel';
  const dtype = assertDecomposedDtype(what, a.dtype);
  checkDecomposedInput(what, q, dtype);
  const axis = normalizeAxis(`${what}: axis`, a.axis, q.shape.length, false);
  checkDecomposedBounds(what, dtype, a.quantMin, a.quantMax);
  checkChannelParams(what, q, axis, scales, zeroPoints);
  return { dtype, axis };
}

function checkChannelParams(what: string, t: F32Tensor | IntTensor, axis: number, scales: F32Tensor, zeroPoints: IntTensor | null): void {
  validateF32(`${what}: scales`, scales);
  validateChannelCount(`${what}: scales, zero_points`, t, axis, zeroPoints ? [scales, zeroPoints] : [scales]);
  if (zeroPoints) checkChannelZeroPoints(what, zeroPoints);
  scales.data.forEach((s, c) => validateScale(`${what}: scales[${c}]`, s));
}

/**
 * choose_qparams.tensor: utils.validate_qmin_qmax (quant_min <= 0 <= quant_max, then quant_min < quant_max; AssertionErrors),
 * dtype one of the bounds table's; torch.aminmax refuses an empty input (shape_mismatch here). The quant range is used as
 * given (has_customized_qrange=False: no calculate_qmin_qmax remapping) and not checked against the dtype.
 */
export function checkDecomposedChooseQparams(x: F32Tensor, a: { quantMin: number; quantMax: number; eps: number; dtype: QuantDtype }): 'quint8' | 'qint8' {
  const what = 'decomposed_choose_qparams';
  validateF32(`${what}: x`, x);
  const dtype = assertDecomposedDtype(what, a.dtype);
  validateQminQmax(`${what}: quant_min, quant_max`, a.quantMin, a.quantMax);
  if (x.data.length === 0) throw new QconformError('shape_mismatch', `${what}: x`, x.shape, 'torch.aminmax needs at least one element');
  if (typeof a.eps !== 'number' || Number.isNaN(a.eps)) throw new QconformError('malformed_request', `${what}: eps`, a.eps, 'a number');
  return dtype;
}
