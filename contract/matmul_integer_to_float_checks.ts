/**
 * The contract checks of matmul_integer_to_float@1 and dynamic_quantize_matmul@1 (contract/onnx_qops.ts), run once
 * by reference/ and impl/ before any arithmetic; they return the GEMM geometry both iterate over. What ORT 1.30
 * accepts (probed with onnxruntime-node 1.30.0; contrib_ops/cpu/quantization/dynamic_quantize_matmul.cc): the
 * kernels' type registrations (MatMulIntegerToFloat: a uint8 or int8, an int8 a with an int8 b only; a zero point
 * of its tensor's type), MatMulComputeHelper's shapes, a one-element a_scale and a_zero_point (ORT_ENFORCE), b's
 * scale and zero point per tensor or per column (IsBQuantParamSupported, each on its own), a bias of N elements.
 * Refused although ORT computes them (not modelled): an a_scale of more than one element or a b_scale of another
 * shape, which ORT multiplies into the finished output afterwards (ScaleOutput's broadcast), and an output scale
 * f32(a_scale * b_scale) that overflows float32 (ORT's output is then NaN wherever the accumulator is 0).
 */
import type { QuantDtype } from './dtypes.js';
import { QconformError } from './errors.js';
import { type MatmulGeometry, bParamPerColumn, checkAccumulator, checkOneElement, checkScales, matmulGeometry, quantTensor, zeroPointTensor } from './onnx_matmul_checks.js';
import type { DynamicQuantizeMatMulArgs, MatMulIntegerToFloatArgs } from './onnx_qops.js';
import { type F32Tensor, numel } from './tensor.js';
import { validateF32 } from './validate.js';

export interface IntegerToFloatGeometry extends MatmulGeometry {
  /** `bPerColumn` is b_zero_point's; this is b_scale's: column j of a batch reads b_scale[batch.bOffset / k + j] (ORT's RightOffsets / K) */
  readonly scalePerColumn: boolean;
}

/** The output scale of a column, f32(a_scale * b_scale[c]), must be finite (it is NaN times a zero accumulator otherwise). */
export function checkOutputScale(what: string, multiplier: number): void {
  if (!Number.isFinite(multiplier)) {
    throw new QconformError('scale_not_finite', `${what}: a_scale * b_scale`, multiplier, "the float32 product of the scales overflows: ORT's output would be NaN (0 * inf) where the accumulator is 0");
  }
}

/** b, its scale, zero point and the bias, with a (of `aShape`, `aDtype`): the checks both ops share. */
function checkCommon(what: string, aShape: readonly number[], aDtype: QuantDtype, a: Pick<MatMulIntegerToFloatArgs, 'b' | 'bScale' | 'bZeroPoint' | 'bias' | 'accumulator'>): IntegerToFloatGeometry {
  const bDtype = quantTensor(`${what}: b`, a.b);
  if (aDtype === 'qint8' && bDtype === 'quint8') throw new QconformError('invalid_dtype', `${what}: b.dtype`, bDtype, 'ORT 1.30 registers an int8 a with an int8 b only (u8 x u8, u8 x s8, s8 x s8)');
  checkAccumulator(what, a.accumulator, aDtype, bDtype);
  checkScales(`${what}: b_scale`, a.bScale);
  if (a.bZeroPoint) {
    zeroPointTensor(`${what}: b_zero_point`, a.bZeroPoint, bDtype);
    bParamPerColumn(`${what}: b_zero_point`, a.bZeroPoint, a.b.shape); // named here; matmulGeometry repeats it for the geometry
  }
  const g = matmulGeometry(what, { shape: aShape }, a.b, a.bZeroPoint);
  const scalePerColumn = bParamPerColumn(`${what}: b_scale`, a.bScale, a.b.shape);
  if (a.bias) {
    if (a.bias.dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}: bias.dtype`, a.bias.dtype, 'bias is float32');
    validateF32(`${what}: bias`, a.bias);
    if (numel(a.bias.shape) !== g.n) throw new QconformError('shape_mismatch', `${what}: bias`, { bias: a.bias.shape, n: g.n }, "bias has N elements, b's last dimension (ORT 1.30 ComputeCommon)");
    a.bias.data.forEach((v, i) => {
      if (!Number.isFinite(v)) throw new QconformError('bias_not_finite', `${what}: bias[${i}]`, v);
    });
  }
  return { ...g, aDtype, bDtype, scalePerColumn };
}

export function checkMatMulIntegerToFloat(a: MatMulIntegerToFloatArgs): IntegerToFloatGeometry {
  const what = 'matmul_integer_to_float';
  const aDtype = quantTensor(`${what}: a`, a.a);
  checkScales(`${what}: a_scale`, a.aScale);
  checkOneElement(`${what}: a_scale`, a.aScale);
  if (a.aZeroPoint) {
    zeroPointTensor(`${what}: a_zero_point`, a.aZeroPoint, aDtype);
    checkOneElement(`${what}: a_zero_point`, a.aZeroPoint);
  }
  const g = checkCommon(what, a.a.shape, aDtype, a);
  const aScale = a.aScale.data[0] as number;
  a.bScale.data.forEach((s) => checkOutputScale(what, Math.fround(aScale * s)));
  return g;
}

/** DynamicQuantizeMatMul; the output scale needs a's computed scale, so the ops check it with checkOutputScale. */
export function checkDynamicQuantizeMatMul(a: DynamicQuantizeMatMulArgs): IntegerToFloatGeometry {
  const what = 'dynamic_quantize_matmul';
  if ((a.a as { dtype: string }).dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}: a.dtype`, (a.a as { dtype: string }).dtype, 'a is float32');
  validateF32(`${what}: a`, a.a as F32Tensor);
  const k = a.a.data.findIndex((v) => Number.isNaN(v));
  if (k >= 0) throw new QconformError('nan_input', `${what}: a[${k}]`, Number.NaN, "a is quantized as DynamicQuantizeLinear does: ORT's MlasFindMinMaxElement result then depends on the vector lane holding the NaN");
  return checkCommon(what, a.a.shape, 'quint8', a);
}
