/**
 * Where QNNPACK's add (torch 1.13.1 qnnpack_add, contract/qnnpack_add.ts) shifts by 32 or more: which elements take the
 * scalar loop of pytorch_q8vadd_ukernel__sse2, and what its shift instructions then do. Integer domain only.
 *
 * pytorch_qnnp_run_operator (qnnpack/src/operator-run.c, add with contiguous strides) hands the flat tensor to the
 * ukernel in calls of QNNPACK_ADD_BLOCK elements (pthreadpool_compute_1d_tiled; the last call takes the rest); a call of
 * fewer than 8 elements runs the ukernel's scalar loop, any other its SSE2 body (src/q8vadd/sse2.c).
 * With shift = 21 - e in [32, 35] (both ratios below 2^-10):
 *  - remainder_mask = (UINT32_C(1) << shift) - 1 (pytorch_qnnp_compute_add_quantization_params) is computed with x86's
 *    shift count mod 32: 2^(shift - 32) - 1, and remainder_threshold = mask >> 1;
 *  - the SSE2 body's _mm_sra_epi32 by 32 or more fills each lane with its sign: an arithmetic shift by 31;
 *  - the scalar loop's asr_s32 (`x >> n`, gcc on x86-64) shifts by n mod 32.
 * Below 32 every path shifts by `shift` and the mask is 2^shift - 1: the round half away from zero.
 */

/** Elements per ukernel call (operator-run.c block_size). */
export const QNNPACK_ADD_BLOCK = 4096;

/** The first element the scalar loop computes (numel when none does): a last call of 1 to 7 elements. */
export function qnnpackAddScalarLoopStart(numel: number): number {
  const last = numel % QNNPACK_ADD_BLOCK;
  if (numel < 8) return 0;
  return last >= 1 && last < 8 ? numel - last : numel;
}

/** The shift operands of one path: the arithmetic shift count, remainder_mask and remainder_threshold (uint32 values). */
export interface QnnpackAddShiftOperands {
  readonly count: number;
  readonly mask: number;
  readonly threshold: number;
}

/** The shift operands for `shift` (14 to 35) on the scalar loop or the SSE2 body. */
export function qnnpackAddShiftOperands(shift: number, scalarLoop: boolean): QnnpackAddShiftOperands {
  const masked = shift % 32;
  const mask = 2 ** masked - 1;
  return { count: shift < 32 ? shift : scalarLoop ? masked : 31, mask, threshold: Math.floor(mask / 2) };
}
