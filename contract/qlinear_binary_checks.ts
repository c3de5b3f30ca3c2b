/**
 * The contract check of qlinear_add@1 and qlinear_mul@1 (com.microsoft QLinearAdd / QLinearMul,
 * onnxruntime/contrib_ops/cpu/quantization/qlinear_binary_op.cc), run once by reference/ and impl/. ORT 1.30
 * registers both for uint8 and int8 (QLinearAdd also uint16, not modelled); every scale and zero point is a scalar
 * (shape []: the com.microsoft schema's type inference refuses [1], "Scale and Zero-point must be a scalar"), a
 * missing zero point is 0. a and b broadcast in full (numpy rules, contract/broadcast.ts); ORT's InputBroadcaster
 * splits the output into spans and picks, once per call, which operand is the scalar of every span
 * (contract/ort_broadcast_spans.ts), which decides the operand order of MlasQLinearAdd (and so its float rounding).
 * Returns, per output element, the element of a and of b it reads, and that span split. An empty broadcast (a
 * dimension of 0) gives an empty output, as in ORT.
 */
import { broadcastIndex, broadcastShapes } from './broadcast.js';
import { QconformError } from './errors.js';
import { MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import type { QLinearBinaryArgs } from './onnx_qops.js';
import { type OrtBroadcastSpans, ortBroadcastSpans } from './ort_broadcast_spans.js';
import { type F32Tensor, type IntTensor, numel } from './tensor.js';
import { validateQuantizedValues, validateScale, validateShape } from './validate.js';

export interface QLinearBinaryGeometry {
  readonly outShape: readonly number[];
  readonly count: number;
  /** output element i reads a[aIndex[i]] and b[bIndex[i]] (numpy broadcasting, contract/broadcast.ts broadcastIndex) */
  readonly aIndex: Int32Array;
  readonly bIndex: Int32Array;
  /**
   * ORT's span split of the call: with `scalar` 'a' (IsInput0Scalar) every kernel call gets b's span as MLAS's InputA
   * and a's element as its scalar InputB; otherwise a is InputA (b the scalar, or both spans).
   */
  readonly spans: OrtBroadcastSpans;
  readonly dtype: 'quint8' | 'qint8';
  readonly aZeroPoint: number;
  readonly bZeroPoint: number;
  readonly cZeroPoint: number;
}

/** A scale or zero point of shape [] (ORT 1.30's QLinearAdd / QLinearMul type inference). */
function checkScalar(what: string, t: { shape: readonly number[] }): void {
  if (t.shape.length !== 0) throw new QconformError('shape_mismatch', what, t.shape, 'a scalar (shape []): ORT 1.30 QLinearAdd / QLinearMul type inference, "Scale and Zero-point must be a scalar"');
}

function zeroPoint(what: string, name: string, zp: IntTensor | null, dtype: string): number {
  if (zp === null) return 0;
  if (zp.dtype !== dtype) throw new QconformError('invalid_dtype', `${what}: ${name}.dtype`, zp.dtype, `a zero point has the dtype of its tensor (${dtype})`);
  validateShape(`${what}: ${name}`, zp);
  checkScalar(`${what}: ${name}`, zp);
  validateQuantizedValues(`${what}: ${name}`, zp.data, dtype as 'quint8' | 'qint8');
  return zp.data[0] as number;
}

function scale(what: string, name: string, s: F32Tensor): void {
  if (s.dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}: ${name}.dtype`, s.dtype, 'scales are float32');
  validateShape(`${what}: ${name}`, s);
  checkScalar(`${what}: ${name}`, s);
  validateScale(`${what}: ${name}[0]`, s.data[0] as number);
}

export function checkQLinearBinary(what: string, a: QLinearBinaryArgs): QLinearBinaryGeometry {
  const dtype = a.a.dtype;
  if (dtype !== 'quint8' && dtype !== 'qint8') throw new QconformError('invalid_dtype', `${what}: a.dtype`, dtype, 'quint8 (ONNX uint8) or qint8 (ONNX int8)');
  if (a.b.dtype !== dtype) throw new QconformError('invalid_dtype', `${what}: b.dtype`, a.b.dtype, `a and b have one dtype (${dtype})`);
  for (const [name, t] of [['a', a.a], ['b', a.b]] as const) {
    validateShape(`${what}: ${name}`, t);
    validateQuantizedValues(`${what}: ${name}`, t.data, dtype);
  }
  scale(what, 'a_scale', a.aScale);
  scale(what, 'b_scale', a.bScale);
  scale(what, 'c_scale', a.cScale);
  const aZeroPoint = zeroPoint(what, 'a_zero_point', a.aZeroPoint, dtype);
  const bZeroPoint = zeroPoint(what, 'b_zero_point', a.bZeroPoint, dtype);
  const cZeroPoint = zeroPoint(what, 'c_zero_point', a.cZeroPoint, dtype);
  const [sa, sb] = [a.a.shape, a.b.shape];
  const outShape = broadcastShapes(`${what}: a, b`, { a: sa, b: sb });
  const count = numel(outShape);
  checkLimit(`${what}: output elements`, count, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  // an empty output: ORT 1.30 returns it (probed: a [0] with b [1], a [1] with b [2, 0]) and calls no kernel
  const spans = count === 0 ? { scalar: null, size: 0 } : ortBroadcastSpans(sa, sb);
  return { outShape, count, aIndex: broadcastIndex(sa, outShape), bIndex: broadcastIndex(sb, outShape), spans, dtype, aZeroPoint, bZeroPoint, cZeroPoint };
}
