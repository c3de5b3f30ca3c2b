/**
 * The contract check of qlinear_concat@1 (com.microsoft QLinearConcat,
 * onnxruntime/contrib_ops/cpu/quantization/qlinear_concat.cc with ConcatBase::PrepareForCompute), run once by
 * reference/ and impl/. y_zero_point's dtype decides the kernel (int8 or uint8 lookup tables); qconform requires
 * every tensor and zero point to have it (ORT checks the zero points' types and reinterprets an input of the other
 * 8-bit type byte for byte, which qconform refuses). Every scale and zero point has one element. Empty inputs
 * contribute nothing, as in ORT 1.30 (probed with onnxruntime-node 1.30: [2, 0] with [2, 3] on axis 1 gives the [2, 3]
 * input requantized; all inputs empty give an empty y); their shapes obey the same rank and dims rules (ONNX shape
 * inference refuses the model otherwise).
 */
import { QconformError } from './errors.js';
import type { QLinearConcatArgs } from './onnx_qops.js';
import { checkOneElementScale, checkOneElementZeroPoint, checkQ8Values } from './qlinear_pool_checks.js';
import { MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import { numel } from './tensor.js';
import { normalizeAxis, validateList, validateObject } from './validate.js';

export interface ConcatGeometry {
  readonly dtype: 'quint8' | 'qint8';
  readonly axis: number;
  readonly outShape: readonly number[];
  /** elements before the axis (the number of slabs each input contributes) */
  readonly outer: number;
  /** per input: elements of one slab (its axis dim times the inner size) */
  readonly slabs: readonly number[];
  readonly yScale: number;
  readonly yZeroPoint: number;
  readonly scales: readonly number[];
  readonly zeroPoints: readonly number[];
}

export function checkQLinearConcat(what: string, a: QLinearConcatArgs): ConcatGeometry {
  const yZp = a.yZeroPoint;
  if (yZp.dtype !== 'quint8' && yZp.dtype !== 'qint8') throw new QconformError('invalid_dtype', `${what}: y_zero_point.dtype`, yZp.dtype, 'quint8 (ONNX uint8) or qint8 (ONNX int8)');
  const dtype = yZp.dtype;
  const yScale = checkOneElementScale(`${what}: y_scale`, a.yScale);
  const yZeroPoint = checkOneElementZeroPoint(`${what}: y_zero_point`, yZp, dtype);
  validateList(`${what}: inputs`, a.inputs, 'a list of { x, scale, zeroPoint }');
  if (a.inputs.length === 0) throw new QconformError('malformed_request', `${what}: inputs`, 0, 'at least one (x, scale, zero point) tuple');
  const scales: number[] = [];
  const zeroPoints: number[] = [];
  a.inputs.forEach((t, i) => {
    validateObject(`${what}: inputs[${i}]`, t, '{ x, scale, zeroPoint }');
    const got = checkQ8Values(`${what}: x${i}`, t.x);
    if (got !== dtype) throw new QconformError('invalid_dtype', `${what}: x${i}.dtype`, got, `every input has y_zero_point's dtype (${dtype})`);
    scales.push(checkOneElementScale(`${what}: x${i}_scale`, t.scale));
    zeroPoints.push(checkOneElementZeroPoint(`${what}: x${i}_zero_point`, t.zeroPoint, dtype));
  });
  const first = a.inputs[0]!.x.shape;
  if (first.length === 0) throw new QconformError('shape_mismatch', `${what}: x0`, first, 'rank >= 1 (a scalar cannot be concatenated)');
  const axis = normalizeAxis(`${what}: attrs.axis`, a.axis, first.length, true);
  const outShape = [...first];
  outShape[axis] = 0;
  a.inputs.forEach((t, i) => {
    const s = t.x.shape;
    if (s.length !== first.length || s.some((d, j) => j !== axis && d !== first[j])) {
      throw new QconformError('shape_mismatch', `${what}: x${i}`, { x0: first, [`x${i}`]: s }, `equal ranks and equal dims except along axis ${axis}`);
    }
    outShape[axis]! += s[axis]!;
  });
  checkLimit(`${what}: output elements`, numel(outShape), MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  const outer = first.slice(0, axis).reduce((p, d) => p * d, 1);
  const inner = first.slice(axis + 1).reduce((p, d) => p * d, 1);
  return { dtype, axis, outShape, outer, slabs: a.inputs.map((t) => t.x.shape[axis]! * inner), yScale, yZeroPoint, scales, zeroPoints };
}
