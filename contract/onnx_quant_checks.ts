/**
 * The contract checks of the ONNX quantization ops (contract/onnx_quant.ts), shared by reference/ and impl/:
 * element types as the ONNX checker types them (opset 21), then the layout rules of ONNX Runtime 1.30's
 * PrepareForQDQ (onnxruntime/core/providers/cpu/quantization/quantize_linear.cc), then qconform's own rules on values:
 * zero points inside the element type, scales finite and > 0 (ORT computes with any scale: a contract rejection,
 * recorded with ORT's outputs in the golden vectors), and no NaN in DynamicQuantizeLinear's input (ORT's min/max
 * reduction then depends on which vector lane holds the NaN).
 */
import { QconformError } from './errors.js';
import { ONNX_DTYPE_RANGE, type OnnxIntDtype } from './onnx_dtypes.js';
import { DEQUANTIZE_LINEAR_DTYPES, type DequantizeLinearArgs, QUANTIZE_LINEAR_DTYPES, type QuantizeLinearArgs } from './onnx_quant.js';
import { type QdqLayout, perTensorLayout } from './qdq_layout.js';
import { checkOrtBlockedQuantizeRuns, ortBlockedQuantizeDies } from './qdq_ort_crash.js';
import { type F32Tensor, type IntTensor, numel } from './tensor.js';
import { isPresentTensor, validateF32, validateScale, validateShape, validateZeroPoint } from './validate.js';

/** A checked QuantizeLinear / DequantizeLinear: its element type and parameter layout. */
export interface CheckedQdq {
  readonly dtype: OnnxIntDtype;
  readonly layout: QdqLayout;
}

function elementType(what: string, dtype: unknown, allowed: readonly OnnxIntDtype[]): OnnxIntDtype {
  if (typeof dtype === 'string' && (allowed as readonly string[]).includes(dtype)) return dtype as OnnxIntDtype;
  throw new QconformError('invalid_dtype', what, dtype, `this ONNX op takes ${allowed.join(', ')} (ONNX Runtime 1.30, opset 21)`);
}

function layoutError(what: string, value: unknown, detail: string): never {
  throw new QconformError('shape_mismatch', what, value, detail);
}

/** PrepareForQDQ's rules, in its order: per tensor iff the scale has one element; else per axis or blocked. */
export function qdqLayout(what: string, xShape: readonly number[], scale: F32Tensor, zeroPoint: IntTensor | null, axis: number, blockSize: number): QdqLayout {
  if (!Number.isSafeInteger(blockSize) || blockSize < 0) throw new QconformError('invalid_integer', `${what}: block_size`, blockSize, "'block_size' must be non-negative");
  if (!Number.isSafeInteger(axis)) throw new QconformError('invalid_integer', `${what}: axis`, axis);
  const scaleShape = scale.shape;
  if (numel(scaleShape) === 1 && scaleShape.length <= 1) {
    if (zeroPoint && !(numel(zeroPoint.shape) === 1 && zeroPoint.shape.length <= 1)) layoutError(`${what}: zero_point`, zeroPoint.shape, 'a per-tensor zero point is a scalar or a 1-element 1-D tensor');
    if (blockSize !== 0) layoutError(`${what}: block_size`, blockSize, 'block_size must be 0 for per-tensor quantization');
    return perTensorLayout(numel(xShape));
  }
  const rank = xShape.length;
  if (axis < -rank || axis >= rank) throw new QconformError('axis_out_of_range', `${what}: axis`, axis, `x has ${rank} dimension(s); axis lies in [-${rank}, ${rank - 1}]`);
  const a = axis < 0 ? axis + rank : axis;
  const outer = numel(xShape.slice(0, a));
  const axisSize = xShape[a] as number;
  const inner = numel(xShape.slice(a + 1));
  if (blockSize === 0) {
    if (!(scaleShape.length === 1 && scaleShape[0] === axisSize)) layoutError(`${what}: scale`, scaleShape, `per-axis quantization takes a 1-D scale of size ${axisSize}`);
    if (zeroPoint && !(zeroPoint.shape.length === 1 && zeroPoint.shape[0] === axisSize)) layoutError(`${what}: zero_point`, zeroPoint.shape, `per-axis quantization takes a 1-D zero point of size ${axisSize}`);
    return { kind: 'per_axis', outer, axisSize, inner, blockSize: 0 };
  }
  if (scaleShape.length !== rank) layoutError(`${what}: scale`, scaleShape, 'blocked quantization takes a scale of the rank of x');
  if (zeroPoint && zeroPoint.shape.length !== rank) layoutError(`${what}: zero_point`, zeroPoint.shape, 'blocked quantization takes a zero point of the rank of x');
  for (let i = 0; i < rank; i++) {
    const wanted = i === a ? Math.ceil((xShape[i] as number) / blockSize) : (xShape[i] as number);
    if (scaleShape[i] !== wanted) layoutError(`${what}: scale`, scaleShape, `blocked quantization takes ceil(D_axis / block_size) on the axis and x's size elsewhere: [${xShape.map((d, j) => (j === a ? Math.ceil(d / blockSize) : d))}]`);
    if (zeroPoint && zeroPoint.shape[i] !== scaleShape[i]) layoutError(`${what}: zero_point`, zeroPoint.shape, 'blocked quantization takes a zero point of the shape of the scale');
  }
  return { kind: 'blocked', outer, axisSize, inner, blockSize };
}

function checkParams(what: string, dtype: OnnxIntDtype, scale: F32Tensor, zeroPoint: IntTensor | null): void {
  validateF32(`${what}: scale`, scale);
  if (isPresentTensor(`${what}: zero_point`, zeroPoint)) {
    validateShape(`${what}: zero_point`, zeroPoint);
    if (zeroPoint.dtype !== dtype) throw new QconformError('invalid_dtype', `${what}: zero_point.dtype`, zeroPoint.dtype, `the zero point has the element type of the quantized tensor, ${dtype}`);
  }
}

function checkParamValues(what: string, dtype: OnnxIntDtype, scale: F32Tensor, zeroPoint: IntTensor | null): void {
  const { min, max } = ONNX_DTYPE_RANGE[dtype];
  zeroPoint?.data.forEach((z, k) => validateZeroPoint(`${what}: zero_point[${k}]`, z, min, max));
  scale.data.forEach((s, k) => validateScale(`${what}: scale[${k}]`, s));
}

/** `what` names the op in messages (ms_quantize_linear runs the same check, contract/ms_qdq_checks.ts). */
export function checkQuantizeLinear(a: QuantizeLinearArgs, what = 'quantize_linear'): CheckedQdq {
  const dtype = elementType(`${what}: dtype`, a.dtype, QUANTIZE_LINEAR_DTYPES);
  validateF32(`${what}: x`, a.x);
  checkParams(what, dtype, a.yScale, a.yZeroPoint);
  // ORT 1.30 takes any int64 saturate and ignores it for integer outputs (measured: 2, -1, 2^31, -2^40, 2^53 - 1 give
  // saturate 1's outputs, tests/backends/ort_qdq_type_refusals.test.ts): any integer is taken
  if (!Number.isSafeInteger(a.saturate)) throw new QconformError('invalid_integer', `${what}: saturate`, a.saturate, 'saturate is an integer (it only changes float8 outputs; ORT 1.30 ignores it for integer outputs)');
  const layout = qdqLayout(what, a.x.shape, a.yScale, a.yZeroPoint, a.axis, a.blockSize);
  checkOrtBlockedQuantizeRuns(what, dtype, layout);
  checkParamValues(what, dtype, a.yScale, a.yZeroPoint);
  return { dtype, layout };
}

/**
 * Whether this QuantizeLinear kills ORT 1.30's process (ortBlockedQuantizeDies, contract/qdq_ort_crash.ts): an empty x
 * that reaches ORT's blocked kernel, i.e. an output type ORT has a QuantizeLinear kernel for (QUANTIZE_LINEAR_DTYPES),
 * a zero point of that type or none (ORT refuses any other before it runs), block_size > 0 and a layout PrepareForQDQ
 * takes (qdqLayout), from the shapes and attrs alone, whatever else the request gets wrong. checkQuantizeLinear refuses
 * all of these (empty_output, or an earlier check's code). Integer arithmetic on the shapes only.
 */
export function ortQuantizeLinearDies(a: QuantizeLinearArgs): boolean {
  const dtype = a.dtype;
  if (!(QUANTIZE_LINEAR_DTYPES as readonly unknown[]).includes(dtype) || (a.yZeroPoint !== null && a.yZeroPoint.dtype !== dtype)) return false;
  if (!Number.isSafeInteger(a.blockSize) || a.blockSize <= 0 || numel(a.x.shape) !== 0) return false;
  try {
    return ortBlockedQuantizeDies(dtype as OnnxIntDtype, qdqLayout('quantize_linear', a.x.shape, a.yScale, a.yZeroPoint, a.axis, a.blockSize));
  } catch {
    return false; // ORT refuses the layout itself
  }
}

export function checkDequantizeLinear(a: DequantizeLinearArgs, what = 'dequantize_linear'): CheckedQdq {
  const dtype = elementType(`${what}: x.dtype`, a.x.dtype, DEQUANTIZE_LINEAR_DTYPES);
  validateShape(`${what}: x`, a.x);
  const { min, max } = ONNX_DTYPE_RANGE[dtype];
  a.x.data.forEach((v, i) => {
    if (v < min || v > max) throw new QconformError('invalid_integer', `${what}: x[${i}]`, v, `${dtype} holds [${min}, ${max}]`);
  });
  checkParams(what, dtype, a.xScale, a.xZeroPoint);
  const layout = qdqLayout(what, a.x.shape, a.xScale, a.xZeroPoint, a.axis, a.blockSize);
  checkParamValues(what, dtype, a.xScale, a.xZeroPoint);
  return { dtype, layout };
}

/** DynamicQuantizeLinear takes any float32 tensor without NaN (an empty one gives scale 1, zero point 0). */
export function checkDynamicQuantizeLinear(x: F32Tensor): void {
  const what = 'dynamic_quantize_linear';
  validateF32(`${what}: x`, x);
  const k = x.data.findIndex((v) => Number.isNaN(v));
  if (k >= 0) throw new QconformError('nan_input', `${what}: x[${k}]`, Number.NaN, "ORT's MlasFindMinMaxElement result then depends on the vector lane holding the NaN");
}
