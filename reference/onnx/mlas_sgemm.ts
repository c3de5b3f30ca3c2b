/**
 * One output of MLAS's float32 GEMM (MlasGemm, onnxruntime/core/mlas/lib/sgemm.cpp) as its x86-64 kernels compute it
 * when K fits one K block (K <= MLAS_SGEMM_STRIDEK = 128) and beta = 0 (ZeroMode): x86_64/SgemmKernelFma3.S and
 * SgemmKernelAvx512F.S (FgemmKernelFma3Common.h, FgemmKernelAvx512FCommon.h) clear the accumulator, add
 * vfmadd231ps a(i, k) * b(k, j) for k = 0 .. K-1 in order, one rounding each, then multiply by alpha (vmulps) and
 * store. alpha = 1 leaves the sum as it is. Arithmetic domain: float32, each step rounded exactly.
 */
import { f32Fma, f32Mul } from '../exact/float_arith.js';
import { type IeeeValue, finite } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';

/** f32(alpha * fma(a_{K-1}, b_{K-1}, ... fma(a_0, b_0, +0))); alpha null for 1. */
export function mlasSgemmOutput(a: (k: number) => IeeeValue, b: (k: number) => IeeeValue, k: number, alpha: IeeeValue | null): IeeeValue {
  let acc = finite(Rational.ZERO);
  for (let i = 0; i < k; i++) acc = f32Fma(a(i), b(i), acc);
  return alpha ? f32Mul(acc, alpha) : acc;
}
