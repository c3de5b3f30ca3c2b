/**
 * qlinear_add@1 and qlinear_mul@1, exact reference: com.microsoft QLinearAdd / QLinearMul as onnxruntime 1.30's
 * CPU kernels compute them on x86-64 (onnxruntime/contrib_ops/cpu/quantization/qlinear_binary_op.cc calling
 * MlasQLinearAdd / MlasQLinearMul). Every step is one float32 operation (exact rounding on rationals); the result
 * goes through cvtps2dq (half-even; NaN or out of range gives INT32_MIN), then packs_epi32 and packus/packs_epi16
 * saturate it to the 8-bit dtype.
 *
 * QLinearAdd, MlasQLinearAddKernelAvx2Helper (mlas/lib/intrinsics/avx2/qladd_avx2.cpp), with X the operand the
 * kernel streams and Y the other (X = a, unless a has one element: ORT then passes b as the span and a as the
 * scalar), r_X = f32(s_X / s_c), r_Y = f32(s_Y / s_c):
 *   fixed = f32(f32(z_c) - fma(r_X, f32(z_X), f32(r_Y * f32(z_Y))))
 *   c     = fma(x, r_X, fma(y, r_Y, fixed))
 * The fused multiply-adds of `fixed` are GCC's contraction of `ScaleRatio_AC * ZeroPointA + ScaleRatio_BC *
 * ZeroPointB` (-ffp-contract=fast, FMA enabled for that file) and, for a one-element operand, of its
 * `VectorFixedPart + y * r_Y`; both measured against onnxruntime-node 1.30 on inputs where the plain and fused
 * forms differ (the unfused forms disagree with ORT; on a one-element a the contraction runs with the roles swapped).
 *
 * QLinearMul, MlasQLinearMulKernel (mlas/lib/qlmul.cpp, SSE2): (a - z_a)(b - z_b) exactly in int16 x int16 -> int32,
 *   c = f32(f32(f32(product) * f32(f32(s_a * s_b) / s_c)) + f32(z_c))
 */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { QLinearBinaryArgs } from '../../contract/onnx_qops.js';
import { checkQLinearBinary } from '../../contract/qlinear_binary_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { f32Add, f32Div, f32Fma, f32Mul, f32Sub, intToF32 } from '../exact/float_arith.js';
import { fromFloat32 } from '../exact/ieee_bits.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { clampInt, cvtps2dq } from '../exact/x86_conversions.js';

/** cvtps2dq, then the int16 and 8-bit saturating packs. */
/** cvtps2dq (half to even, INT32_MIN for NaN / out of range), then packs_epi32 and the 8-bit saturating pack: a clamp to the dtype range. */
function toQuantized(t: IeeeValue, dtype: 'quint8' | 'qint8'): number {
  const r = DTYPE_RANGE[dtype];
  return Number(clampInt(cvtps2dq(t), BigInt(r.min), BigInt(r.max)));
}

/** QLinearAdd<T>::Compute -> MlasQLinearAdd (mlas/lib/intrinsics/avx2/qladd_avx2.cpp), as above: float32 FMAs rounded once each via reference/exact, then toQuantized. */
export function qlinearAdd(a: QLinearBinaryArgs): IntTensor {
  const g = checkQLinearBinary('qlinear_add', a);
  const sc = fromFloat32(a.cScale.data[0] as number);
  const ratioA = f32Div(fromFloat32(a.aScale.data[0] as number), sc);
  const ratioB = f32Div(fromFloat32(a.bScale.data[0] as number), sc);
  const [rX, zX, rY, zY] = g.aIsScalar ? [ratioB, g.bZeroPoint, ratioA, g.aZeroPoint] : [ratioA, g.aZeroPoint, ratioB, g.bZeroPoint];
  const fixed = f32Sub(intToF32(BigInt(g.cZeroPoint)), f32Fma(rX, intToF32(BigInt(zX)), f32Mul(rY, intToF32(BigInt(zY)))));
  const out = new Int32Array(g.count);
  for (let i = 0; i < g.count; i++) {
    const av = intToF32(BigInt(a.a.data[i % g.aCount] as number));
    const bv = intToF32(BigInt(a.b.data[i % g.bCount] as number));
    const [x, y] = g.aIsScalar ? [bv, av] : [av, bv];
    out[i] = toQuantized(f32Fma(x, rX, f32Fma(y, rY, fixed)), g.dtype);
  }
  return intTensor(g.dtype, g.outShape, out);
}

/** QLinearMul<T>::Compute -> MlasQLinearMul (mlas/lib/qlmul.cpp, SSE2), as above: the exact int32 product of the differences, float32 scaling rounded via reference/exact, then toQuantized. */
export function qlinearMul(a: QLinearBinaryArgs): IntTensor {
  const g = checkQLinearBinary('qlinear_mul', a);
  const ratio = f32Div(f32Mul(fromFloat32(a.aScale.data[0] as number), fromFloat32(a.bScale.data[0] as number)), fromFloat32(a.cScale.data[0] as number));
  const zc = intToF32(BigInt(g.cZeroPoint));
  const out = new Int32Array(g.count);
  for (let i = 0; i < g.count; i++) {
    const product = (BigInt(a.a.data[i % g.aCount] as number) - BigInt(g.aZeroPoint)) * (BigInt(a.b.data[i % g.bCount] as number) - BigInt(g.bZeroPoint));
    out[i] = toQuantized(f32Add(f32Mul(intToF32(product), ratio), zc), g.dtype);
  }
  return intTensor(g.dtype, g.outShape, out);
}
