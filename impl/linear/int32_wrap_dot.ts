/**
 * The int32 dot product of the dynamic linears' exact-product kernels (qnnpack's q8gemm _mm_madd_epi16, oneDNN's
 * VNNI gemm / brgemm), fast twin of reference/exact/int_dot.ts int32WrapDot: sum_k a[k] b[k] with every int32 add
 * wrapping (`| 0`), on rows whose zero points the caller has already subtracted. Each partial sum plus one product
 * stays below 2^53 (|acc| < 2^31, |a b| <= 2^16 for 8-bit codes), so the double additions are exact before the wrap.
 */

/** sum_{j < k} a[aOff + j] * b[bOff + j], int32 wrap. */
export function int32WrapDot(a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number, k: number): number {
  let acc = 0;
  for (let j = 0; j < k; j++) acc = (acc + (a[aOff + j] as number) * (b[bOff + j] as number)) | 0;
  return acc;
}
