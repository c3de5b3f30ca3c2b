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

/** MlasSgemmKernelM1TransposeBAvx's outputs on `rows` rows (reference/onnx/mlas_sgemm.ts mlasSgemmM1TransposeBRows): row i at b[bAt + i * bRow + k * bStride]. */
export function mlasSgemmM1TransposeBRows(v: Float32Array, vAt: number, vStride: number, b: Float32Array, bAt: number, bRow: number, bStride: number, k: number, rows: number): Float32Array {
  const out = new Float32Array(rows);
  const l = new Float32Array(8);
  for (let i = 0; i < rows; i++) {
    l.fill(0);
    for (let kk = 0; kk < k; kk++) l[kk % 8] = f32Add(l[kk % 8] as number, f32Mul(v[vAt + kk * vStride] as number, b[bAt + i * bRow + kk * bStride] as number));
    const [l0, l1, l2, l3, l4, l5, l6, l7] = l as unknown as number[];
    const add = f32Add;
    const group = i < rows - (rows % 4) ? 4 : rows % 4 >= 2 && i < rows - (rows % 2) ? 2 : 1;
    const sum =
      group === 4 ? add(add(add(add(l0!, l1!), l2!), l3!), add(add(add(l4!, l5!), l6!), l7!))
      : group === 2 ? add(add(add(l0!, l2!), add(l4!, l6!)), add(add(l1!, l3!), add(l5!, l7!)))
      : add(add(add(l0!, l1!), add(l2!, l3!)), add(add(l4!, l5!), add(l6!, l7!)));
    out[i] = add(sum, 0);
  }
  return out;
}
