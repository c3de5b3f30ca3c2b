/**
 * How oneDNN v2.6.3's int8 gemm (gemm_x8s8s32x_matmul -> gemm_s8x8s32 -> src/cpu/x64/gemm/gemm_driver.cpp) cuts the
 * reduction dimension K into blocks, which is where the pairs of its AVX2 kernel without VNNI start
 * (jit_avx2_gemm_s8u8s32_kern.cpp dot_product: vpmaddubsw + vpmaddwd on 4 packed k per dword; its K-remainder code
 * takes 2 then 1 k, so within a block the pairs are (start + 2j, start + 2j + 1) and an odd block ends alone).
 * torch 1.13.1's onednn linears (static and dynamic) run this matmul ("gemm:jit" in ONEDNN_VERBOSE under
 * qemu -cpu Haswell). Used by reference/ and impl/ alike (one statement of the rule).
 *
 * gemm_driver.cpp get_k_padd with gemm_info.cpp's AVX2 int8 blocking (uk = 1, bk_traditional = 256, bk = 384 without
 * AVX2-VNNI), on one thread (the torch adapter runs one, so the K dimension is not split between threads):
 *   K <= 256: one block; 256 < K < 768: blocks of floor((K + 1) / 2); K >= 768: blocks of 384 (the last shorter).
 */

/** Where each K block of oneDNN 2.6.3's AVX2 int8 gemm starts (the first is 0), for K >= 1. */
export function onednnGemmKBlockStarts(k: number): number[] {
  const block = k <= 256 ? k : k < 768 ? Math.floor((k + 1) / 2) : 384;
  const starts: number[] = [];
  for (let s = 0; s < k; s += block) starts.push(s);
  return starts;
}

/** Whether every block starts at an even k, so the gemm's pairs are the global (2j, 2j + 1) of the conv's sat16_pairs. */
export function onednnGemmPairsAreGlobal(k: number): boolean {
  return onednnGemmKBlockStarts(k).every((s) => s % 2 === 0);
}
