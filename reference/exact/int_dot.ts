/**
 * The integer dot product with zero points of the int8 kernels that accumulate exact products in int32 (VNNI
 * vpdpbusd, qnnpack's q8gemm _mm_madd_epi16, oneDNN's VNNI gemm / brgemm, MLAS's u8s8 kernels with exact products):
 * sum_k (a[k] - z_a)(b[k] - z_b). Exact bigint; each kernel's int32 adds wrap, and wrapping every partial sum equals
 * wrapping the exact sum once (addition mod 2^32 is a ring operation), so a kernel's value is int32WrapDot. The one
 * copy of the formula: the exact / int32_wrap conv accumulator, ConvInteger, the ONNX integer GEMMs and the dynamic
 * linears call it. (The pair-saturating kernels are reference/conv/sat16_pairs_dot.ts.)
 */
import { wrapInt32 } from './x86_conversions.js';

/** sum_k (a(k) - za)(b(k) - zb) over k in [0, K), exact (no width limit). */
export function exactIntDot(k: number, a: (i: number) => bigint, b: (i: number) => bigint, za: bigint, zb: bigint): bigint {
  let acc = 0n;
  for (let j = 0; j < k; j++) acc += (a(j) - za) * (b(j) - zb);
  return acc;
}

/** wrap32(exactIntDot(...)): the int32 accumulator of a kernel whose int32 additions wrap. */
export function int32WrapDot(k: number, a: (i: number) => bigint, b: (i: number) => bigint, za: bigint, zb: bigint): bigint {
  return wrapInt32(exactIntDot(k, a, b, za, zb));
}
