/**
 * One output of MLAS's float32 GEMM (MlasGemm, onnxruntime/core/mlas/lib/sgemm.cpp) as its x86-64 kernels compute it
 * with beta = 0: x86_64/SgemmKernelFma3.S and SgemmKernelAvx512F.S (FgemmKernelFma3Common.h,
 * FgemmKernelAvx512FCommon.h) clear the accumulator, add vfmadd231ps a(i, k) * b(k, j) for the K rows of a block in
 * order, one rounding each, then the first block multiplies by alpha (vmulps, ZeroMode) and each later block adds
 * fma(acc, alpha, c) (vfmadd213ps onto C); the blocks are contract/mlas_sgemm_blocks.ts's. alpha = 1 leaves the sum
 * as it is. Arithmetic domain: float32, each step rounded exactly.
 */
import { f32Add, f32Fma, f32Mul } from '../exact/float_arith.js';
import { type IeeeValue, finite } from '../exact/ieee_value.js';
import { Rational } from '../exact/rational.js';

/** The blocks' f32(alpha * fma(a_{K-1}, b_{K-1}, ... fma(a_0, b_0, +0))), chained by fma; alpha null for 1. */
export function mlasSgemmOutput(a: (k: number) => IeeeValue, b: (k: number) => IeeeValue, k: number, alpha: IeeeValue | null, strideK = k): IeeeValue {
  let c: IeeeValue | null = null;
  for (let k0 = 0; k0 < k; k0 += strideK) {
    let acc = finite(Rational.ZERO);
    for (let i = k0; i < Math.min(k, k0 + strideK); i++) acc = f32Fma(a(i), b(i), acc);
    c = c === null ? (alpha ? f32Mul(acc, alpha) : acc) : alpha ? f32Fma(acc, alpha, c) : f32Add(acc, c);
  }
  return c ?? finite(Rational.ZERO);
}

/**
 * One output of MLAS's M = 1 SGEMM route (sgemm.cpp MlasSgemmOperation: M == 1, TransA NoTrans, alpha 1, beta 0 or 1,
 * on AMD64 platforms with AVX), x86_64/SgemmKernelM1Avx.S MlasSgemmKernelM1Avx with beta 0: no fma; K is taken in
 * groups of 4 rows, each group's products summed in order with vmulps / vaddps, t = ((a0 b0 + a1 b1) + a2 b2) + a3 b3,
 * and added to C (c = t + c; the first group adds +0, zero mode); then a group of 2 if K & 2, then one row if K & 1.
 * Arithmetic domain: float32, each product and each sum rounded exactly.
 */
export function mlasSgemmM1Output(a: (k: number) => IeeeValue, b: (k: number) => IeeeValue, k: number): IeeeValue {
  let c = finite(Rational.ZERO);
  const group = (from: number, size: number) => {
    let t = f32Mul(a(from), b(from));
    for (let i = from + 1; i < from + size; i++) t = f32Add(t, f32Mul(a(i), b(i)));
    c = f32Add(t, c);
  };
  let i = 0;
  for (; i + 4 <= k; i += 4) group(i, 4);
  if ((k & 2) !== 0) group(i, 2), (i += 2);
  if ((k & 1) !== 0) group(i, 1);
  return c;
}
