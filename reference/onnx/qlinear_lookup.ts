/**
 * qlinear_leaky_relu@1 and qlinear_sigmoid@1, exact reference: com.microsoft QLinearLeakyRelu / QLinearSigmoid as
 * onnxruntime 1.30's CPU kernels compute them (contrib_ops/cpu/quantization/qlinear_activations.cc). Both build a
 * table of all 256 codes with QlinearBuildLookupTable (qlinear_lookup_table.cc) and then look every x up in it:
 *   d[i] = f32(x_scale * f32(code(i) - z_x))       code(i) the dtype's value of the byte i; int32 difference, exact
 *   e[i] = f(d[i])                                 float32, per activation below
 *   t[i] = MlasQuantizeLinear(e[i], y_scale, z_y)  f32 division, clamp in float, cvtps2dq (reference/ops/quantize_linear.ts)
 *   y    = t[byte(x)]
 * LeakyRelu's f (the lambda of QLinearLeakyRelu): v >= 0 ? v : f32(alpha * v), alpha the float32 attribute.
 * Sigmoid's f: MlasComputeLogistic over the 256 values (mlas_logistic.ts, the FMA3 kernel).
 */
import type { OnnxIntDtype } from '../../contract/onnx_dtypes.js';
import type { QLinearLeakyReluArgs, QLinearLookupArgs } from '../../contract/onnx_qops.js';
import { type QLinearLookupParams, checkQLinearLeakyRelu, checkQLinearLookup } from '../../contract/qlinear_lookup_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { f32Mul, toF32 } from '../exact/float_arith.js';
import { fromFloat32, fromFloat64 } from '../exact/ieee_bits.js';
import { ieeeLessEqual } from '../exact/ieee_compare.js';
import { type IeeeValue } from '../exact/ieee_value.js';
import { dequantizeLinearValue, quantizeLinearValue } from '../ops/quantize_linear.js';
import { mlasLogisticFma3 } from './mlas_logistic.js';
import { ZERO_F32 as ZERO } from '../constants.js';

const ONNX_DTYPE: Record<'quint8' | 'qint8', OnnxIntDtype> = { quint8: 'uint8', qint8: 'int8' };

/** The dtype's value of the byte i (0..255): i for uint8, the two's complement for int8 (QlinearBuildLookupTable's static_cast<T>(i)); integer domain. */
export function codeOfByte(i: number, dtype: 'quint8' | 'qint8'): number {
  return dtype === 'qint8' && i >= 128 ? i - 256 : i;
}

/**
 * QlinearBuildLookupTable<T> (contrib_ops/cpu/quantization/qlinear_lookup_table.cc): d[i] = f32(x_scale * f32(code(i) - z_x)), e = f(d), t[i] = MlasQuantizeLinear(e[i], y_scale, z_y); float32 steps rounded via reference/exact, cvtps2dq half to even.
 * The output is of p's dtype unless `yDtype` is given (a DequantizeLinear of one type into a QuantizeLinear of another, as `qconform explain` tabulates it: conformance/explain/qdq_steps.ts).
 */
export function lookupTable(p: QLinearLookupParams, f: (d: readonly IeeeValue[]) => IeeeValue[], yDtype: 'quint8' | 'qint8' = p.dtype): number[] {
  const xScale = fromFloat32(p.xScale);
  const dequantized = Array.from({ length: 256 }, (_, i) => dequantizeLinearValue(BigInt(codeOfByte(i, p.dtype)), BigInt(p.xZeroPoint), xScale));
  const yScale = fromFloat32(p.yScale);
  return f(dequantized).map((e) => Number(quantizeLinearValue(e, yScale, BigInt(p.yZeroPoint), ONNX_DTYPE[yDtype])));
}

/**
 * The byte map of one operand that ORT requantizes to another scale and zero point with the identity table
 * (QLinearConcat, QLinearWhere: contrib_ops/cpu/quantization/qlinear_concat.cc and qlinear_where.cc): the identity when
 * scale and zero point equal the target's (has_same_scale in qlinear_util.h: a float compare, here of the same float32
 * values), else QlinearBuildLookupTable with the identity (lookupTable: float32 steps, rounded exactly). Integer in, integer out.
 */
export function requantizeByteMap(dtype: 'quint8' | 'qint8', scale: number, zeroPoint: number, toScale: number, toZeroPoint: number): (v: number) => number {
  if (scale === toScale && zeroPoint === toZeroPoint) return (v) => v;
  const table = lookupTable({ dtype, xScale: scale, xZeroPoint: zeroPoint, yScale: toScale, yZeroPoint: toZeroPoint }, (d) => [...d]);
  return (v) => table[v & 0xff]!;
}

/** y = table[byte(x)]: the look-up of QLinearLookupBase::ComputeBase (qlinear_activations.cc); integer domain, no arithmetic. */
function lookUp(x: IntTensor, p: QLinearLookupParams, table: readonly number[]): IntTensor {
  return intTensor(p.dtype, x.shape, Array.from(x.data, (v) => table[v & 0xff]!));
}

/**
 * QLinearLeakyRelu<T>::Compute (contrib_ops/cpu/quantization/qlinear_activations.cc): the 256-entry table of
 * f(v) = v >= 0 ? v : f32(alpha * v), float32 steps rounded exactly, then the look-up. alpha is the float32 attribute
 * (the wire's float64 rounded half to even), any value: ORT checks none. d is never NaN (a finite scale times an
 * integer), but it is +-inf where f32(x_scale * (code - z_x)) overflows. So, for d < 0, in float32 (IEEE, no flush:
 * ORT 1.30 runs without DAZ / FTZ): alpha NaN gives NaN; alpha +-inf gives -+inf; alpha +-0 times d = -inf gives
 * the default NaN; a finite alpha may overflow to +-inf or underflow to a subnormal or -+0. MlasQuantizeLinear
 * (quantizeLinearValue) then maps a NaN to qmin and +-inf to the saturated ends. Measured live on onnxruntime-node
 * 1.30 (tests/backends/ort_leaky_relu_alpha.test.ts).
 */
export function qlinearLeakyRelu(a: QLinearLeakyReluArgs): IntTensor {
  const p = checkQLinearLeakyRelu('qlinear_leaky_relu', a);
  const alpha = toF32(fromFloat64(a.alpha));
  return lookUp(a.x, p, lookupTable(p, (d) => d.map((v) => (ieeeLessEqual(ZERO, v) ? v : f32Mul(alpha, v)))));
}

/** QLinearSigmoid<T>::Compute (contrib_ops/cpu/quantization/qlinear_activations.cc): the 256-entry table of MlasComputeLogistic (mlas_logistic.ts, float32 FMA3 kernel, rounded exactly), then the look-up. */
export function qlinearSigmoid(a: QLinearLookupArgs): IntTensor {
  const p = checkQLinearLookup('qlinear_sigmoid', a);
  return lookUp(a.x, p, lookupTable(p, (d) => d.map(mlasLogisticFma3)));
}
