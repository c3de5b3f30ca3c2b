/**
 * Fast twin of reference/linear/sat16_pairs_gemm_accumulator.ts: the `sat16_pairs` int32 sum of
 * quantized_linear_dynamic@1 on torch-onednn@1 (oneDNN 2.6.3's AVX2 int8 gemm without VNNI,
 * jit_avx2_gemm_s8u8s32_kern.cpp): per K block of contract/onednn_gemm.ts, raw u8 q times w in pairs from the
 * block's start, each pair saturated to int16; then z_x * sum_k w subtracted; int32 wrap. Every intermediate
 * stays below 2^53 for K within MAX_CONV_MACS (|pair| <= 2^15, |z_x sum w| < 2^8 2^7 2^30), so doubles are exact.
 */
import { sat16 } from '../requant/output.js';

/** acc for the raw quint8 row q[qOff .. qOff + k) and the weight row w[wOff .. wOff + k); `starts` from onednnGemmKBlockStarts(k). */
export function sat16PairsGemmAccumulator(q: ArrayLike<number>, qOff: number, w: ArrayLike<number>, wOff: number, k: number, zx: number, starts: readonly number[]): number {
  let s = 0;
  let sumW = 0;
  for (let b = 0; b < starts.length; b++) {
    const end = b + 1 < starts.length ? (starts[b + 1] as number) : k;
    for (let j = starts[b] as number; j < end; j += 2) {
      let pair = (q[qOff + j] as number) * (w[wOff + j] as number);
      if (j + 1 < end) pair += (q[qOff + j + 1] as number) * (w[wOff + j + 1] as number);
      s += sat16(pair);
    }
  }
  for (let j = 0; j < k; j++) sumW += w[wOff + j] as number;
  return (s - zx * sumW) | 0;
}
