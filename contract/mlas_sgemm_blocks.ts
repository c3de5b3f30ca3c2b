/**
 * How MLAS's float32 GEMM (onnxruntime/core/mlas/lib/sgemm.cpp MlasSgemmOperation, TransA = NoTrans, one thread) cuts
 * K into blocks: StrideN = MLAS_SGEMM_STRIDEN = 128 and StrideK = MLAS_SGEMM_STRIDEK = 128 (mlasi.h), then
 *   N >= K: while StrideK / 2 >= K { StrideN *= 2; StrideK /= 2 }   (one block when K <= 128)
 *   N <  K: while StrideN > 16 && StrideN / 2 >= N { StrideK *= 2; StrideN /= 2 }
 * and the kernel runs once per K block of StrideK rows: the first in ZeroMode (c = acc * alpha, vmulps; beta = 0),
 * each later one accumulating (c = fma(acc, alpha, c), vfmadd213ps). Integer rules only; reference/ and impl/ do the
 * float32 steps.
 */
export const MLAS_SGEMM_STRIDEN = 128;
export const MLAS_SGEMM_STRIDEK = 128;

/** The K block length MlasSgemmOperation uses for an N-column, K-deep product (TransA = NoTrans). */
export function mlasSgemmStrideK(n: number, k: number): number {
  let [strideN, strideK] = [MLAS_SGEMM_STRIDEN, MLAS_SGEMM_STRIDEK];
  if (n >= k) {
    while (strideK / 2 >= k) [strideN, strideK] = [strideN * 2, strideK / 2];
  } else {
    while (strideN > 16 && strideN / 2 >= n) [strideN, strideK] = [strideN / 2, strideK * 2];
  }
  return strideK;
}
