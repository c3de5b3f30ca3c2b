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

/**
 * The outputs of MLAS's N = 1 route (sgemm.cpp: N == 1, ldb == ldc == 1, alpha 1, beta 0: the product is run as
 * C^T = B^T A^T through x86_64/SgemmKernelM1TransposeBAvx.S MlasSgemmKernelM1TransposeBAvx): out(i) = the dot product
 * of the vector v (K long) with row i. Each row sums in 8 lanes (lane j takes k = j mod 8, acc_j = f32(acc_j +
 * f32(v_k row_k)), from +0), then reduces by the row's place in the kernel's row groups: groups of 4 rows while 4
 * remain, (((l0 + l1) + l2) + l3) + (((l4 + l5) + l6) + l7); then a group of 2, ((l0 + l2) + (l4 + l6)) + ((l1 + l3)
 * + (l5 + l7)); then 1 row, ((l0 + l1) + (l2 + l3)) + ((l4 + l5) + (l6 + l7)); the result plus +0 (zero mode).
 * Arithmetic domain: float32, each product and sum rounded exactly.
 */
export function mlasSgemmM1TransposeBRows(v: (k: number) => IeeeValue, row: (i: number, k: number) => IeeeValue, k: number, rows: number): IeeeValue[] {
  const zero = finite(Rational.ZERO);
  const out: IeeeValue[] = [];
  for (let i = 0; i < rows; i++) {
    const l: IeeeValue[] = Array.from({ length: 8 }, () => zero);
    for (let kk = 0; kk < k; kk++) l[kk % 8] = f32Add(l[kk % 8]!, f32Mul(v(kk), row(i, kk)));
    const add = f32Add;
    const group = i < rows - (rows % 4) ? 4 : (rows % 4 >= 2 && i < rows - (rows % 2)) ? 2 : 1;
    const sum =
      group === 4 ? add(add(add(add(l[0]!, l[1]!), l[2]!), l[3]!), add(add(add(l[4]!, l[5]!), l[6]!), l[7]!))
      : group === 2 ? add(add(add(l[0]!, l[2]!), add(l[4]!, l[6]!)), add(add(l[1]!, l[3]!), add(l[5]!, l[7]!)))
      : add(add(add(l[0]!, l[1]!), add(l[2]!, l[3]!)), add(add(l[4]!, l[5]!), add(l[6]!, l[7]!)));
    out.push(add(sum, zero));
  }
  return out;
}
