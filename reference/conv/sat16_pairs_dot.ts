/**
 * The vpmaddubsw dot product of MLAS's u8 x s8 AVX2 kernels (onnxruntime/core/mlas/lib/x86_64/QgemmU8X8KernelAvx2.S
 * MultiplyAccumulateRowU8S8Avx2, ConvSymKernelAvx2.S) with its zero-point corrections
 * (mlas/lib/qgemm.h MlasGemmQuantScaleSumBuffer), over K elements in the kernel's order:
 *   S   = sum_p sat16(a[2p] b[2p] + a[2p+1] b[2p+1])     an odd K pairs its last element with a zero byte
 *   acc = S - z_b sum a - z_a sum b + K z_a z_b
 * Exact integers (bigint); the int16 saturation of each pair is the one non-ring step, the caller wraps to int32
 * (MLAS's int32 adds, ring operations mod 2^32). The one copy of this formula: the sat16_pairs_im2col conv
 * accumulator, ConvInteger and the ONNX integer GEMMs (reference/onnx/int_gemm.ts) call it, and oneDNN's blocked
 * AVX2 gemm (reference/linear/sat16_pairs_gemm_accumulator.ts) once per K block with zero offsets.
 */
import { saturateInt16 } from '../requant/output.js';

/** acc of the header (MLAS's vpmaddubsw kernels) for elements a(k), b(k), k in [0, K), with zero points z_a and z_b: exact bigint, int16 saturation per pair. */
export function sat16PairsDot(k: number, a: (i: number) => bigint, b: (i: number) => bigint, za: bigint, zb: bigint): bigint {
  let s = 0n;
  let sumA = 0n;
  let sumB = 0n;
  for (let i = 0; i < k; i += 2) {
    const [a0, b0] = [a(i), b(i)];
    const [a1, b1] = i + 1 < k ? [a(i + 1), b(i + 1)] : [0n, 0n];
    s += saturateInt16(a0 * b0 + a1 * b1);
    sumA += a0 + a1;
    sumB += b0 + b1;
  }
  return s - zb * sumA - za * sumB + BigInt(k) * za * zb;
}
