/**
 * qlinear_add@1 and qlinear_mul@1, exact reference: com.microsoft QLinearAdd / QLinearMul as onnxruntime 1.30's
 * CPU kernels compute them on x86-64 (onnxruntime/contrib_ops/cpu/quantization/qlinear_binary_op.cc calling
 * MlasQLinearAdd / MlasQLinearMul). Every step is one float32 operation (exact rounding on rationals); the result
 * goes through cvtps2dq (half-even; NaN or out of range gives INT32_MIN), then packs_epi32 and packus/packs_epi16
 * saturate it to the 8-bit dtype.
 *
 * Broadcasting (contract/qlinear_binary_checks.ts): output element i reads a[aIndex[i]] and b[bIndex[i]]. ORT's
 * BroadcastLooper calls the kernel once per span with the same operand order for the whole call
 * (contract/ort_broadcast_spans.ts): P, MLAS's InputA (the span it streams), is b when ORT makes a the scalar of every
 * span (IsInput0Scalar: a [3, 1] with b [1] or [1, 4], a [1, C, 1, 1] with b [1, C, H, W], a one-element a), else a;
 * Q is the other operand.
 *
 * QLinearAdd, MlasQLinearAddKernelAvx2Helper (mlas/lib/intrinsics/avx2/qladd_avx2.cpp), r_P = f32(s_P / s_c),
 * r_Q = f32(s_Q / s_c):
 *   fixed = f32(f32(z_c) - fma(r_P, f32(z_P), f32(r_Q * f32(z_Q))))
 *   c     = fma(p, r_P, fma(q, r_Q, fixed))
 * The fused multiply-adds of `fixed` are GCC's contraction of `ScaleRatio_AC * ZeroPointA + ScaleRatio_BC *
 * ZeroPointB` (-ffp-contract=fast, FMA enabled for that file) and, for a scalar Q, of its `VectorFixedPart + q * r_Q`
 * (with both spans the kernel's own _mm256_fmadd_ps gives the same expression); measured against onnxruntime-node 1.30
 * on inputs where the plain and fused forms differ, and on inputs where swapping P and Q changes the output
 * (tests/backends/ort_qlinear_broadcast.test.ts).
 *
 * QLinearMul, MlasQLinearMulKernel (mlas/lib/qlmul.cpp, SSE2): (a - z_a)(b - z_b) exactly in int16 x int16 -> int32,
 *   c = f32(f32(f32(product) * f32(f32(s_a * s_b) / s_c)) + f32(z_c))
 * Both products commute exactly (a float32 multiply is commutative), so ORT's kernel order of P and Q never shows here.
 */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { QLinearBinaryArgs } from '../../contract/onnx_qops.js';
import { checkQLinearBinary } from '../../contract/qlinear_binary_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { f32Add, f32Div, f32Fma, f32Mul, f32Sub, intToF32 } from '../exact/float_arith.js';
import { fromFloat32 } from '../exact/ieee_bits.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { clampInt, cvtps2dq } from '../exact/x86_conversions.js';

/** cvtps2dq (half to even, INT32_MIN for NaN / out of range), then packs_epi32 and the 8-bit saturating pack: a clamp to the dtype range. */
function toQuantized(t: IeeeValue, dtype: 'quint8' | 'qint8'): number {
  const r = DTYPE_RANGE[dtype];
  return Number(clampInt(cvtps2dq(t), BigInt(r.min), BigInt(r.max)));
}

/**
 * QLinearAdd<T>::Compute -> MlasQLinearAdd (mlas/lib/intrinsics/avx2/qladd_avx2.cpp), as above: the ratios, `fixed` and
 * each output's two FMAs are float32 operations rounded once each on rationals (reference/exact), P and Q in ORT's
 * kernel order; then toQuantized.
 */
export function qlinearAdd(a: QLinearBinaryArgs): IntTensor {
  const g = checkQLinearBinary('qlinear_add', a);
  const sc = fromFloat32(a.cScale.data[0] as number);
  const ratioA = f32Div(fromFloat32(a.aScale.data[0] as number), sc);
  const ratioB = f32Div(fromFloat32(a.bScale.data[0] as number), sc);
  const bFirst = g.spans.scalar === 'a';
  const [rP, zP, rQ, zQ] = bFirst ? [ratioB, g.bZeroPoint, ratioA, g.aZeroPoint] : [ratioA, g.aZeroPoint, ratioB, g.bZeroPoint];
  const fixed = f32Sub(intToF32(BigInt(g.cZeroPoint)), f32Fma(rP, intToF32(BigInt(zP)), f32Mul(rQ, intToF32(BigInt(zQ)))));
  const out = new Int32Array(g.count);
  for (let i = 0; i < g.count; i++) {
    const av = intToF32(BigInt(a.a.data[g.aIndex[i]!] as number));
    const bv = intToF32(BigInt(a.b.data[g.bIndex[i]!] as number));
    const [p, q] = bFirst ? [bv, av] : [av, bv];
    out[i] = toQuantized(f32Fma(p, rP, f32Fma(q, rQ, fixed)), g.dtype);
  }
  return intTensor(g.dtype, g.outShape, out);
}

/**
 * QLinearMul<T>::Compute -> MlasQLinearMul (mlas/lib/qlmul.cpp, SSE2), as above: the exact integer product of the
 * differences (bigint), the float32 ratio and scaling rounded once each on rationals (reference/exact); then
 * toQuantized.
 */
export function qlinearMul(a: QLinearBinaryArgs): IntTensor {
  const g = checkQLinearBinary('qlinear_mul', a);
  const ratio = f32Div(f32Mul(fromFloat32(a.aScale.data[0] as number), fromFloat32(a.bScale.data[0] as number)), fromFloat32(a.cScale.data[0] as number));
  const zc = intToF32(BigInt(g.cZeroPoint));
  const out = new Int32Array(g.count);
  for (let i = 0; i < g.count; i++) {
    const product = (BigInt(a.a.data[g.aIndex[i]!] as number) - BigInt(g.aZeroPoint)) * (BigInt(a.b.data[g.bIndex[i]!] as number) - BigInt(g.bZeroPoint));
    out[i] = toQuantized(f32Add(f32Mul(intToF32(product), ratio), zc), g.dtype);
  }
  return intTensor(g.dtype, g.outShape, out);
}
