/**
 * The contract check of qlinear_leaky_relu@1 and qlinear_sigmoid@1 (com.microsoft QLinearLeakyRelu / QLinearSigmoid,
 * onnxruntime/contrib_ops/cpu/quantization/qlinear_activations.cc), run once by reference/ and impl/. ORT 1.30
 * registers both for uint8 and int8; QlinearBuildLookupTable (qlinear_lookup_table.cc) enforces scalar or
 * one-element 1-D scales and zero points; a missing zero point is 0; y has x's dtype and shape, an empty x giving
 * an empty y (ORT 1.30 returns it: probed with onnxruntime-node 1.30). Returns the dtype and the four quantization
 * parameters the table is built from.
 */
import { QconformError } from './errors.js';
import type { QLinearLeakyReluArgs, QLinearLookupArgs } from './onnx_qops.js';
import type { F32Tensor, IntTensor } from './tensor.js';
import { validateQuantizedValues, validateScale, validateShape } from './validate.js';

export interface QLinearLookupParams {
  readonly dtype: 'quint8' | 'qint8';
  readonly xScale: number;
  readonly xZeroPoint: number;
  readonly yScale: number;
  readonly yZeroPoint: number;
}

/** IsScalarOr1ElementVector: shape [] or [1] ("must be a scalar or 1D tensor of size 1"). */
function checkOneElement(what: string, t: { shape: readonly number[] }): void {
  if (!(t.shape.length === 0 || (t.shape.length === 1 && t.shape[0] === 1))) {
    throw new QconformError('shape_mismatch', what, t.shape, 'a scalar or a 1-D tensor of one element (ORT IsScalarOr1ElementVector)');
  }
}

/** A float32 scale of shape [] or [1], finite and > 0 (also QLinearSoftmax's). */
export function oneElementScale(what: string, s: F32Tensor): number {
  if (s.dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}.dtype`, s.dtype, 'scales are float32');
  validateShape(what, s);
  checkOneElement(what, s);
  validateScale(`${what}[0]`, s.data[0] as number);
  return s.data[0] as number;
}

/** A zero point of x's dtype and shape [] or [1]; null is 0 (also QLinearSoftmax's). */
export function oneElementZeroPoint(what: string, zp: IntTensor | null, dtype: 'quint8' | 'qint8'): number {
  if (zp === null) return 0;
  if (zp.dtype !== dtype) throw new QconformError('invalid_dtype', `${what}.dtype`, zp.dtype, `a zero point has the dtype of x (${dtype})`);
  validateShape(what, zp);
  checkOneElement(what, zp);
  validateQuantizedValues(what, zp.data, dtype);
  return zp.data[0] as number;
}

export function checkQLinearLookup(what: string, a: QLinearLookupArgs): QLinearLookupParams {
  const dtype = a.x.dtype;
  if (dtype !== 'quint8' && dtype !== 'qint8') throw new QconformError('invalid_dtype', `${what}: x.dtype`, dtype, 'quint8 (ONNX uint8) or qint8 (ONNX int8)');
  validateShape(`${what}: x`, a.x);
  validateQuantizedValues(`${what}: x`, a.x.data, dtype);
  return {
    dtype,
    xScale: oneElementScale(`${what}: x_scale`, a.xScale),
    xZeroPoint: oneElementZeroPoint(`${what}: x_zero_point`, a.xZeroPoint, dtype),
    yScale: oneElementScale(`${what}: y_scale`, a.yScale),
    yZeroPoint: oneElementZeroPoint(`${what}: y_zero_point`, a.yZeroPoint, dtype),
  };
}

/**
 * QLinearLeakyRelu's float attribute alpha is not checked: ORT 1.30 reads it with GetAttrOrDefault (default 0.01f) and
 * multiplies with whatever float32 it holds (qlinear_activations.cc), so any number is computed with, rounded to float32
 * as ONNX stores it: an infinite alpha, a NaN, and a finite float64 that rounds to +-inf in float32 (+-1e39) included
 * (reference/onnx/qlinear_lookup.ts says what each gives). The check is that of QLinearSigmoid.
 */
export function checkQLinearLeakyRelu(what: string, a: QLinearLeakyReluArgs): QLinearLookupParams {
  return checkQLinearLookup(what, a);
}
