/**
 * The `sat16_pairs` int32 sum of quantized_linear_dynamic@1 (contract/linear.ts DYNAMIC_LINEAR_ACCUMULATORS): oneDNN
 * 2.6.3's AVX2 int8 gemm without VNNI, as torch 1.13.1's onednn dynamic linear runs it (ideep matmul ->
 * gemm_x8s8s32x_matmul.cpp -> gemm_s8x8s32 with the src zero point as the gemm's B offset -> gemm_driver.cpp ->
 * jit_avx2_gemm_s8u8s32_kern.cpp). For one output (row m, column n), exact integer domain (bigint):
 *   S   = sum over the K blocks [s, e) of contract/onednn_gemm.ts, over pairs (s + 2j, s + 2j + 1) < e, of
 *         sat16(q[k] w[k] + q[k + 1] w[k + 1])   (vpmaddubsw: raw u8 q times s8 w, adjacent pairs saturated to
 *         int16; vpmaddwd with ones and vpaddd sum them exactly), an odd block's last product alone;
 *   acc = wrap32(S - z_x * sum_k w)               (the driver's row offsets, computed exactly; weights symmetric).
 * With K <= 256 this is reference/conv/sat16_pairs_accumulator.ts over the 1x1 geometry (one block).
 */
import { onednnGemmKBlockStarts } from '../../contract/onednn_gemm.js';
import { wrapInt32 } from '../exact/x86_conversions.js';
import { sat16PairsDot } from '../conv/sat16_pairs_dot.js';

/** acc of the header (jit_avx2_gemm_s8u8s32_kern.cpp's blocked vpmaddubsw sums) for the row q[qOff .. qOff + k) (raw quint8 values) and the weight row w[wOff .. wOff + k); exact bigint, wrapped to int32. */
export function sat16PairsGemmAccumulator(q: readonly bigint[], qOff: number, w: ArrayLike<number>, wOff: number, k: number, zx: bigint): bigint {
  const starts = [...onednnGemmKBlockStarts(k), k];
  let s = 0n; // each block's saturated pair sum: sat16PairsDot with zero offsets (an odd block's last product pairs with 0)
  for (let b = 0; b + 1 < starts.length; b++) {
    const start = starts[b] as number;
    s += sat16PairsDot((starts[b + 1] as number) - start, (i) => q[qOff + start + i] as bigint, (i) => BigInt(w[wOff + start + i] as number), 0n, 0n);
  }
  let sumW = 0n;
  for (let j = 0; j < k; j++) sumW += BigInt(w[wOff + j] as number);
  return wrapInt32(s - zx * sumW);
}
