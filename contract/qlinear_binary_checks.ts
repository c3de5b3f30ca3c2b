/**
 * The contract check of qlinear_add@1 and qlinear_mul@1 (com.microsoft QLinearAdd / QLinearMul,
 * onnxruntime/contrib_ops/cpu/quantization/qlinear_binary_op.cc), run once by reference/ and impl/. ORT 1.30
 * registers both for uint8 and int8 (QLinearAdd also uint16, not modelled); every scale and zero point is a scalar
 * (shape []: the com.microsoft schema's type inference refuses [1], "Scale and Zero-point must be a scalar"), a
 * missing zero point is 0. ORT broadcasts with its InputBroadcaster, whose
 * spans decide which operand is "the scalar" of MlasQLinearAdd's kernel (and so the float rounding); qconform takes
 * the broadcasts whose spans it models: equal shapes, a one-element operand, or one shape a suffix of the other
 * once leading 1s are dropped (both operands spans). Returns how each output element indexes a and b.
 */
import { QconformError } from './errors.js';
import type { QLinearBinaryArgs } from './onnx_qops.js';
import { type F32Tensor, type IntTensor, numel } from './tensor.js';
import { validateQuantizedValues, validateScale, validateShape } from './validate.js';

export interface QLinearBinaryGeometry {
  readonly outShape: readonly number[];
  readonly count: number;
  /** element counts of a and b: output element i reads a[i % aCount] and b[i % bCount] */
  readonly aCount: number;
  readonly bCount: number;
  /** whether a is the one-element operand of the kernel call (ORT then passes b as the span, a as the scalar) */
  readonly aIsScalar: boolean;
  readonly dtype: 'quint8' | 'qint8';
  readonly aZeroPoint: number;
  readonly bZeroPoint: number;
  readonly cZeroPoint: number;
}

const stripOnes = (s: readonly number[]) => s.slice(s.findIndex((d) => d !== 1) === -1 ? s.length : s.findIndex((d) => d !== 1));
const isSuffix = (small: readonly number[], big: readonly number[]) => small.length <= big.length && small.every((d, i) => d === big[big.length - small.length + i]);

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
  const [aCount, bCount] = [numel(sa), numel(sb)];
  const rank = Math.max(sa.length, sb.length);
  const outShape: number[] = [];
  for (let i = 0; i < rank; i++) {
    const da = sa[sa.length - rank + i] ?? 1;
    const db = sb[sb.length - rank + i] ?? 1;
    if (da !== db && da !== 1 && db !== 1) throw new QconformError('shape_mismatch', what, { a: sa, b: sb }, 'a and b must broadcast (numpy rules)');
    outShape.push(da === 1 ? db : da);
  }
  const count = numel(outShape);
  if (count === 0) throw new QconformError('shape_mismatch', what, { a: sa, b: sb }, 'qconform does not take empty tensors here');
  const [ta, tb] = [stripOnes(sa), stripOnes(sb)];
  const modelled = aCount === 1 || bCount === 1 || isSuffix(ta, tb) || isSuffix(tb, ta);
  if (!modelled) {
    throw new QconformError('shape_mismatch', what, { a: sa, b: sb }, "qconform models ORT's broadcast spans for equal shapes, a one-element operand, or one shape a suffix of the other (leading 1s aside)");
  }
  return { outShape, count, aCount, bCount, aIsScalar: aCount === 1, dtype, aZeroPoint, bZeroPoint, cZeroPoint };
}
