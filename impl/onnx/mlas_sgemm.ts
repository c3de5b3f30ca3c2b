/**
 * MLAS's float32 GEMM outputs, fast twin of reference/onnx/mlas_sgemm.ts: the fma chain of the x86-64 kernels (one K
 * block, alpha applied by the caller), and the M = 1 route's MlasSgemmKernelM1Avx (groups of 4 rows summed with
 * vmulps / vaddps, each added to C).
 */
import { f32Add, f32Fma, f32Mul } from '../float32.js';

/** fma(a_{K-1}, b_{K-1}, ... fma(a_0, b_0, +0)): a(k) and b(k) read from typed arrays at the given offsets and strides. */
export function mlasSgemmChain(a: Float32Array, aAt: number, aStride: number, b: Float32Array, bAt: number, bStride: number, k: number): number {
  let acc = 0;
  for (let i = 0; i < k; i++) acc = f32Fma(a[aAt + i * aStride] as number, b[bAt + i * bStride] as number, acc);
  return acc;
}

/** MlasSgemmKernelM1Avx's output with beta 0 (reference/onnx/mlas_sgemm.ts mlasSgemmM1Output). */
export function mlasSgemmM1(a: Float32Array, aAt: number, aStride: number, b: Float32Array, bAt: number, bStride: number, k: number): number {
  let c = 0;
  let i = 0;
  const group = (size: number) => {
    let t = f32Mul(a[aAt + i * aStride] as number, b[bAt + i * bStride] as number);
    for (let j = 1; j < size; j++) t = f32Add(t, f32Mul(a[aAt + (i + j) * aStride] as number, b[bAt + (i + j) * bStride] as number));
    c = f32Add(t, c);
    i += size;
  };
  while (i + 4 <= k) group(4);
  if ((k & 2) !== 0) group(2);
  if ((k & 1) !== 0) group(1);
  return c;
}
