/**
 * The order in which torch 1.13.1 adds the float32 values of one output of a sum over the reduced dimensions that are
 * not the innermost in memory (at::sum of a channels_last [N, C, H, W] tensor over H and W: each channel's H W values,
 * C apart in memory), and which channels take which order. Integer domain only: a count, a thread count and a vector
 * width in, an order per channel and the sequence of additions out; the additions themselves are the caller's
 * (reference/: float32 rounded once on rationals, impl/: Math.fround), so one schedule serves both.
 *
 * - aten/src/ATen/native/cpu/SumKernel.cpp cascade_sum: the reduced dimension (size0 = H W, stride C) and the channels
 *   (size1 = C, contiguous) reach vectorized_outer_sum when C >= Vectorized<float>::size() (V: 8 floats under DEFAULT
 *   and AVX2, 16 under AVX512), else scalar_outer_sum. Channels in whole blocks of 4 V (vectorized) or 4 (scalar) are
 *   summed by multi_row_sum with one accumulator set per channel ('direct'); the rest by row_sum, which interleaves four
 *   partial sums ('interleaved4').
 * - multi_row_sum (direct) of n values: four accumulator levels, each level-0 run of 2^p values (p = max(4,
 *   ceil_log2(n) / 4), integer division) added into level 1 and carried up while the index's bits at that level are 0;
 *   the tail added to level 0; then level 0 + level 1 + level 2 + level 3.
 * - row_sum (interleaved4): partial k is the direct sum of values k, k + 4, k + 8, ... (floor(n / 4) of them); the last
 *   n mod 4 values added to partial 0 in order; then partial 0 + partial 1 + partial 2 + partial 3.
 * - aten/src/ATen/TensorIteratorReduce.cpp parallel_reduce: below at::internal::GRAIN_SIZE elements (N C H W) or on one
 *   thread, all channels in one call; else, with N < threads and C >= threads (find_split_dim), the channels are split
 *   by at::parallel_for (OpenMP: min(threads, C) ranges of ceil(C / that)), each range's ends rounded down to a multiple
 *   of 32 channels (128 bytes; the last end kept), empty ranges dropped, each range one call; with N >= threads the
 *   batch is split and every call has all channels. (With both below the thread count, the larger one is split: the
 *   batch when N >= C, the channels otherwise, as above.)
 * Measured against torch 1.13.1's Tensor.mean over (2, 3) of channels_last quantized tensors (contract/quantized_mean.ts),
 * with channels built so that the two orders give different outputs, on 1, 2 and 3 threads under every capability, and
 * against torch 2.6.0's (floatLanes' version 2).
 */
import { ATEN_GRAIN_SIZE, type AtenCpuCapability, type AtenLoopVersion } from './aten_vectorized_loop.js';

export type CascadeOrder = 'direct' | 'interleaved4';

/** ceil(log2(x)) as c10's utils::CeilLog2: 1 for x <= 2. */
function ceilLog2(x: number): number {
  return x <= 2 ? 1 : (x - 1).toString(2).length;
}

/** multi_row_sum of values[at], values[at + step], ... (n of them) with `add`, from `zero`. */
function directSum<T>(values: readonly T[], at: number, step: number, n: number, add: (a: T, b: T) => T, zero: T): T {
  const levels = 4;
  const power = Math.max(4, Math.floor(ceilLog2(n) / levels));
  const run = 2 ** power;
  const mask = run - 1;
  const acc: T[] = [zero, zero, zero, zero];
  let i = 0;
  while (i + run <= n) {
    for (let j = 0; j < run; j++, i++) acc[0] = add(acc[0]!, values[at + i * step]!);
    for (let j = 1; j < levels; j++) {
      acc[j] = add(acc[j]!, acc[j - 1]!);
      acc[j - 1] = zero;
      if ((i & (mask * 2 ** (j * power))) !== 0) break;
    }
  }
  for (; i < n; i++) acc[0] = add(acc[0]!, values[at + i * step]!);
  for (let j = 1; j < levels; j++) acc[0] = add(acc[0]!, acc[j]!);
  return acc[0]!;
}

/** The sum of `values` in `order` (see above), with `add` (one float32 addition) from `zero`. */
export function cascadeSum<T>(values: readonly T[], order: CascadeOrder, add: (a: T, b: T) => T, zero: T): T {
  if (order === 'direct') return directSum(values, 0, 1, values.length, add, zero);
  const quarter = Math.floor(values.length / 4);
  const partials = [0, 1, 2, 3].map((k) => directSum(values, k, 4, quarter, add, zero));
  for (let i = 4 * quarter; i < values.length; i++) partials[0] = add(partials[0]!, values[i]!);
  return add(add(add(partials[0]!, partials[1]!), partials[2]!), partials[3]!);
}

/**
 * Vectorized<float>::size() under a capability: 8 floats under DEFAULT (vec_base.h: 32 bytes) and AVX2, 16 under AVX512
 * in torch 1.13; torch 2.6 (version 2) sums with AVX2's 8 under AVX512 too (measured on its quantized mean, as its
 * quantized cat's blocks: channelVectorBlocks).
 */
export function floatLanes(capability: AtenCpuCapability, version: AtenLoopVersion = 1): number {
  return capability === 'avx512' && version === 1 ? 16 : 8;
}

/** The orders of one call's `count` channels (vectorized_outer_sum or scalar_outer_sum). */
function callOrders(count: number, vectorWidth: number): CascadeOrder[] {
  const direct = count >= vectorWidth ? Math.floor(count / (4 * vectorWidth)) * 4 * vectorWidth : Math.floor(count / 4) * 4;
  return Array.from({ length: count }, (_, c) => (c < direct ? 'direct' : 'interleaved4'));
}

/**
 * The order of each of C channels' sums of hw values, for a batch of n, on `threads` threads, with vectorWidth floats
 * per vector (8 or 16).
 */
export function channelSumOrders(n: number, c: number, hw: number, threads: number, vectorWidth: number): CascadeOrder[] {
  // (N = C = 1 would split the sum itself, two_pass_reduction: such a tensor is contiguous, quantized_mean's inner path)
  const splitChannels = n * c * hw >= ATEN_GRAIN_SIZE && threads > 1 && n < threads && !(c < threads && n >= c);
  if (!splitChannels) return callOrders(c, vectorWidth);
  const tasks = Math.min(threads, c);
  const chunk = Math.ceil(c / tasks);
  const orders: CascadeOrder[] = new Array(c);
  for (let t = 0; t < tasks; t++) {
    let begin = t * chunk;
    let end = Math.min(c, begin + chunk);
    if (begin >= c) continue;
    begin -= begin % 32;
    if (end !== c) end -= end % 32;
    if (begin === end) continue;
    callOrders(end - begin, vectorWidth).forEach((o, k) => (orders[begin + k] = o));
  }
  return orders;
}
