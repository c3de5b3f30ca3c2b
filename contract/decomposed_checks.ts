/**
 * The checks of PT2E's quantized_decomposed ops beyond quantize_per_tensor (whose checks are in op_checks.ts), as
 * torch 2.6 torch/ao/quantization/fx/_decomposed.py makes them, in its order, then qconform's own rules. Wire dtypes
 * quint8 / qint8 stand for torch.uint8 / torch.int8 (the int16 / int32 / float8 forms are not in the contract).
 */
import { type QuantDtype, assertQuantDtype, DTYPE_RANGE } from './dtypes.js';
import { QconformError } from './errors.js';
import type { F32Tensor, IntTensor } from './tensor.js';
import { validateF32, validateQuantRangeIntegers, validateQuantizedValues, validateScale, validateShape } from './validate.js';
import { type ChannelBroadcast, channelBroadcast } from './decomposed_channel_broadcast.js';
import { validateQminQmax } from './qrange.js';

/** The dtype argument: torch.uint8 (quint8) or torch.int8 (qint8). */
export function assertDecomposedDtype(what: string, dtype: QuantDtype): 'quint8' | 'qint8' {
  const d = assertQuantDtype(`${what}: dtype`, dtype);
  if (d !== 'quint8' && d !== 'qint8') throw new QconformError('invalid_dtype', `${what}: dtype`, d, 'quint8 (torch.uint8) or qint8 (torch.int8)');
  return d;
}

/**
 * _quant_min_max_bounds_check (AssertionError: quant_range_outside_dtype): integers, quant_min >= the dtype's minimum,
 * quant_max <= its maximum, and nothing else. quant_min > quant_max passes (torch 2.6 then clamps every value to
 * quant_max); quant_min may lie above the dtype's maximum and quant_max below its minimum.
 */
export function checkDecomposedBounds(what: string, dtype: 'quint8' | 'qint8', quantMin: number, quantMax: number): void {
  validateQuantRangeIntegers(`${what}: quant_min, quant_max`, quantMin, quantMax);
  const { min, max } = DTYPE_RANGE[dtype];
  if (quantMin < min) throw new QconformError('quant_range_outside_dtype', `${what}: quant_min`, quantMin, `below the ${dtype} minimum ${min} (torch: "quant_min out of bound for dtype")`);
  if (quantMax > max) throw new QconformError('quant_range_outside_dtype', `${what}: quant_max`, quantMax, `above the ${dtype} maximum ${max} (torch: "quant_max out of bound for dtype")`);
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
 * The axis of the per-channel ops, in torch 2.6's order around _quant_min_max_bounds_check: `assert axis < input.dim()`
 * first (AssertionError), then the bounds, then _permute_to_axis_zero, which assigns `new_axis_list[axis]` of a Python
 * list of the input's dims: a negative axis counts from the end as Python indexes (-1 is the last dim), one below
 * -input.dim() raises IndexError ("list assignment index out of range"). A 0-dim input has no axis.
 */
function checkChannelAxis(what: string, axis: number, ndim: number, bounds: () => void): number {
  if (!Number.isSafeInteger(axis) || axis >= ndim) throw new QconformError('axis_out_of_range', `${what}: axis`, axis, `torch asserts axis < input.dim() = ${ndim}`);
  bounds();
  if (axis < -ndim) throw new QconformError('axis_out_of_range', `${what}: axis`, axis, `a negative axis counts from the end of the input's ${ndim} dimension(s): at least ${-ndim} (torch: IndexError)`);
  return axis < 0 ? axis + ndim : axis;
}

/**
 * quantize_per_channel: a float32 input, the axis and bounds (checkChannelAxis), then the parameters as torch views
 * and broadcasts them (checkChannelParams); qconform's rules: float32 scales (the observers' dtype: a float64 tensor
 * would move the arithmetic to float64), finite and positive. Returns the output's layout (channelBroadcast).
 */
export function checkDecomposedQuantizePerChannel(x: F32Tensor, scales: F32Tensor, zeroPoints: IntTensor, a: { axis: number; quantMin: number; quantMax: number; dtype: QuantDtype }): { dtype: 'quint8' | 'qint8'; axis: number; layout: ChannelBroadcast } {
  const what = 'decomposed_quantize_per_channel';
  const dtype = assertDecomposedDtype(what, a.dtype);
  validateF32(`${what}: x`, x);
  const axis = checkChannelAxis(what, a.axis, x.shape.length, () => checkDecomposedBounds(what, dtype, a.quantMin, a.quantMax));
  return { dtype, axis, layout: checkChannelParams(what, x, axis, scales, zeroPoints) };
}

/** dequantize_per_channel: `input.dtype == dtype`, then as quantize_per_channel; zero points optional (None). */
export function checkDecomposedDequantizePerChannel(q: IntTensor, scales: F32Tensor, zeroPoints: IntTensor | null, a: { axis: number; quantMin: number; quantMax: number; dtype: QuantDtype }): { dtype: 'quint8' | 'qint8'; axis: number; layout: ChannelBroadcast } {
  const what = 'decomposed_dequantize_per_channel';
  const dtype = assertDecomposedDtype(what, a.dtype);
  checkDecomposedInput(what, q, dtype);
  const axis = checkChannelAxis(what, a.axis, q.shape.length, () => checkDecomposedBounds(what, dtype, a.quantMin, a.quantMax));
  return { dtype, axis, layout: checkChannelParams(what, q, axis, scales, zeroPoints) };
}

/**
 * The parameters as torch 2.6 uses them: C = scales.shape[0] (a 0-dim scales raises IndexError), `scales.view([C, 1, ...])`
 * and `zero_points.view(...)` (each must hold C elements, of any shape: RuntimeError "shape ... is invalid for input of
 * size"), then the broadcast against the input's axis dimension (channelBroadcast). Refusals are shape_mismatch.
 */
function checkChannelParams(what: string, t: F32Tensor | IntTensor, axis: number, scales: F32Tensor, zeroPoints: IntTensor | null): ChannelBroadcast {
  validateF32(`${what}: scales`, scales);
  if (scales.shape.length === 0) throw new QconformError('shape_mismatch', `${what}: scales`, scales.shape, 'torch reads C = scales.shape[0]: scales needs at least one dimension');
  const channels = scales.shape[0]!;
  if (scales.data.length !== channels) throw new QconformError('shape_mismatch', `${what}: scales`, scales.shape, `torch views scales as [${channels}, 1, ...]: it must hold scales.shape[0] = ${channels} elements`);
  if (zeroPoints) {
    validateShape(`${what}: zero_points`, zeroPoints);
    if (zeroPoints.data.length !== channels) throw new QconformError('shape_mismatch', `${what}: zero_points`, zeroPoints.shape, `torch views zero_points as [${channels}, 1, ...]: it must hold scales.shape[0] = ${channels} elements`);
  }
  const layout = channelBroadcast(`${what}: scales, zero_points`, t.shape, axis, channels);
  if (zeroPoints) checkChannelZeroPoints(what, zeroPoints);
  scales.data.forEach((s, c) => validateScale(`${what}: scales[${c}]`, s));
  return layout;
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
