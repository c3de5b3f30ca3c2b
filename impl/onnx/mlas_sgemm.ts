/**
 * MLAS's float32 GEMM outputs, fast twin of reference/onnx/mlas_sgemm.ts: the fma chains of the x86-64 kernels per
 * K block, and the M = 1 route's MlasSgemmKernelM1Avx (groups of 4 rows summed with
 * vmulps / vaddps, each added to C).
 */
import { f32Add, f32Fma, f32Mul } from '../float32.js';

/**
 * Per K block of `strideK` rows (contract/mlas_sgemm_blocks.ts) the fma chain from +0; the first block times alpha
 * (vmulps), each later one fma(acc, alpha, c); alpha 1 skips the product. a(k) and b(k) are read from typed arrays at
 * the given offsets and strides.
 */
export function mlasSgemmChain(a: Float32Array, aAt: number, aStride: number, b: Float32Array, bAt: number, bStride: number, k: number, alpha = 1, strideK = k): number {
  let c = 0;
  for (let k0 = 0; k0 < k; k0 += strideK) {
    let acc = 0;
    for (let i = k0; i < Math.min(k, k0 + strideK); i++) acc = f32Fma(a[aAt + i * aStride] as number, b[bAt + i * bStride] as number, acc);
    c = k0 === 0 ? (alpha === 1 ? acc : f32Mul(acc, alpha)) : f32Fma(acc, alpha, c);
  }
  return c;
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
