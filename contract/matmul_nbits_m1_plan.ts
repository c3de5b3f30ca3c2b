/**
 * The summation plan of MatMulNBits (float32 A, ORT 1.30, accuracy_level 0-3) for a single row of a (M = 1), where
 * MLAS runs vector kernels whose float32 adds follow the lanes of a register instead of one chain per output. This
 * file states the integer layout only (which k goes into which lane, which lanes are added in which order); the
 * arithmetic is reference/onnx/matmul_nbits_m1.ts (exact) and impl/onnx/matmul_nbits_m1.ts (fast).
 *
 * bits 4 (`sqnbit_m1_comp_fp32`, mlas/lib/qnbitgemm.cpp SQ4BitGemm_CompFp32 with RangeCountM == 1 calls the
 * dispatch's SQ4BitGemmM1Kernel_CompFp32, 128 columns per call, so the groups of 4 below are unchanged):
 *   - `avx512` (SQ4BitGemmM1Kernel_CompFp32_avx512, mlas/lib/sqnbitgemm_kernel_avx512.cpp, and its kernels
 *     MlasQ4GemmKernelBlkLen16Avx512f / MlasQ4GemmKernelBlkLen32PlusAvx512f in sqnbitgemm_kernel_avx_common_fp32.h):
 *     16 lanes; lane l takes k = l mod 16, k ascending, acc = fma(b, a, acc) from +0. Each block is walked in
 *     sub-blocks of 16 (block_size 16) or 32 (larger blocks); the last, partial sub-block loads a as 0 past K
 *     (_mm512_maskz_loadu_ps) but still multiplies the block's padding codes. Columns in groups of 4:
 *     FoldAccumulators (per 128-bit quarter q: ((x[4q] + x[4q+1]) + x[4q+2]) + x[4q+3], then (q0 + q2) + (q1 + q3)),
 *     then + bias when there is one; the last N mod 4 columns: _mm512_reduce_add_ps (GCC's halving tree:
 *     x[i+8] + x[i], then x[i+4] + x[i], x[i+2] + x[i], x[1] + x[0]... in that order), then + (bias or 0.0f);
 *   - `avx2` (SQ4BitGemmM1Kernel_CompFp32_avx2 in sqnbitgemm_kernel_avx2.cpp: ComputeDotProducts_BlkLen16_CompFp32_avx2
 *     and ComputeDotProducts_BlkLen32Plus_CompFp32_avx2): 8 lanes, lane l takes k = l mod 8, k ascending, the same
 *     sub-blocks and padding (load_float_n_avx2 zero-fills a); groups of 4: the 8-lane FoldAccumulators
 *     (((x0 + x1) + x2) + x3) + (((x4 + x5) + x6) + x7), + bias when there is one; the rest: (x_i + x_{i+4}), two
 *     _mm_hadd_ps: ((v0 + v1) + (v2 + v3)), then + (bias or 0.0f).
 * bits 2 and 8 (`sgemm_m1_transpose_b`): ComputeBUnpacked dequantizes B and MlasSgemmOperation (mlas/lib/sgemm.cpp)
 *   sends M = 1, alpha 1, beta 0 or 1 to KernelM1TransposeBRoutine, the AVX kernel MlasSgemmKernelM1TransposeBAvx
 *   (mlas/lib/x86_64/SgemmKernelM1TransposeBAvx.S) on every AVX CPU (host and Haswell alike): 8 lanes, lane l takes
 *   k = l mod 8, acc = f32(acc + f32(a * b)) (vmulps then vaddps, no FMA) from +0, the tail loaded masked (a and b
 *   both 0); columns in groups of 4 (the 4x1 block transposes: (((x0 + x1) + x2) + x3) + (((x4 + x5) + x6) + x7)),
 *   then one group of 2 if 2 or 3 remain (((x2 + x0) + (x6 + x4)) + ((x3 + x1) + (x7 + x5))), then one single
 *   (vhaddps twice: ((x0 + x1) + (x2 + x3)) + ((x4 + x5) + (x6 + x7))); every column then adds C, which is the bias
 *   (beta 1) or masked to +0 (beta 0).
 * Both CPU kernels measured against onnxruntime-node 1.30.0 natively (AVX-512) and under qemu -cpu Haswell.
 */

/** The QNBitGemm kernel set MLAS dispatches to on a CPU (mlas/lib/platform.cpp): AVX-512 (F, BW, DQ, VL) or AVX2 + FMA3. */
export const QNBIT_KERNELS = ['avx512', 'avx2'] as const;
export type QNBitKernel = (typeof QNBIT_KERNELS)[number];

/** A binary tree of float32 adds over lane indices: a leaf is a lane, a pair is f32(left + right). */
export type SumTree = number | readonly [SumTree, SumTree];

export interface MatMulNBitsM1Column {
  /** the order in which the column's lanes are added */
  readonly tree: SumTree;
  /** whether the kernel adds +0 when there is no bias (0.0f, or C masked to zero) */
  readonly addsZeroWithoutBias: boolean;
}

export interface MatMulNBitsM1Plan {
  readonly lanes: 8 | 16;
  /** fma(b, a, acc) per product (bits 4), or f32(acc + f32(a * b)) (bits 2 and 8) */
  readonly fused: boolean;
  /** the k the lanes run through per block: [blockStart, blockStart + covered) with a = +0 and padding codes past K */
  readonly subBlock: number;
  readonly columns: readonly MatMulNBitsM1Column[];
}

const chain4 = (q: number): SumTree => [[[4 * q, 4 * q + 1], 4 * q + 2], 4 * q + 3];
const FOLD8: SumTree = [chain4(0), chain4(1)];
const FOLD16: SumTree = [[chain4(0), chain4(2)], [chain4(1), chain4(3)]];

/** Halving: lane i of the next level is (upper lane i + lower lane i), first operand the upper half (GCC __MM512_REDUCE_OP). */
function halving(lanes: number): SumTree {
  let level: SumTree[] = Array.from({ length: lanes }, (_, i) => i);
  while (level.length > 1) {
    const h = level.length / 2;
    level = level.slice(0, h).map((lo, i) => [level[i + h]!, lo] as const);
  }
  return level[0]!;
}
const REDUCE16 = halving(16);
const pair = (a: number, b: number): SumTree => [a, b];
/** vlow + vhigh, then two hadd: ((v0 + v1) + (v2 + v3)), v_i = x_i + x_{i+4} */
const HADD8_SSE: SumTree = [[pair(0, 4), pair(1, 5)], [pair(2, 6), pair(3, 7)]];
/** the M1 TransposeB kernel's 2x1 block */
const ASM2: SumTree = [[pair(2, 0), pair(6, 4)], [pair(3, 1), pair(7, 5)]];
/** the M1 TransposeB kernel's 1x1 block: vhaddps twice, then the 128-bit halves */
const ASM1: SumTree = [[pair(0, 1), pair(2, 3)], [pair(4, 5), pair(6, 7)]];

/** The plan of a single-row MatMulNBits with n columns of `bits` bits and block_size `blockSize`, on `kernel`. */
export function matmulNBitsM1Plan(bits: number, blockSize: number, n: number, kernel: QNBitKernel): MatMulNBitsM1Plan {
  const columns: MatMulNBitsM1Column[] = [];
  const groups = Math.floor(n / 4) * 4;
  if (bits === 4) {
    const wide = kernel === 'avx512';
    for (let j = 0; j < n; j++) columns.push(j < groups ? { tree: wide ? FOLD16 : FOLD8, addsZeroWithoutBias: false } : { tree: wide ? REDUCE16 : HADD8_SSE, addsZeroWithoutBias: true });
    return { lanes: wide ? 16 : 8, fused: true, subBlock: blockSize === 16 ? 16 : 32, columns };
  }
  for (let j = 0; j < n; j++) {
    const rest = n - groups;
    const tree = j < groups ? FOLD8 : rest >= 2 && j < groups + 2 ? ASM2 : ASM1;
    columns.push({ tree, addsZeroWithoutBias: true });
  }
  return { lanes: 8, fused: false, subBlock: 1, columns };
}

/** The end (exclusive) of the k the lanes run through in the block starting at k0: K rounded up to the sub-block. */
export function m1BlockEnd(plan: MatMulNBitsM1Plan, k0: number, k: number, blockSize: number): number {
  const covered = Math.min(k - k0, blockSize);
  return k0 + Math.ceil(covered / plan.subBlock) * plan.subBlock;
}

/** Adds the lanes in the tree's order with `add` (float32 addition of the caller's number type). */
export function sumTree<T>(tree: SumTree, lanes: ArrayLike<T>, add: (x: T, y: T) => T): T {
  return typeof tree === 'number' ? lanes[tree]! : add(sumTree(tree[0], lanes, add), sumTree(tree[1], lanes, add));
}
