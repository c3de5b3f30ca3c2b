import type { SumLaneWidth } from '../../../contract/ops.js';
import { f32Add } from '../../exact/float_arith.js';
import type { IeeeValue } from '../../exact/ieee_value.js';
import { ZERO_F32 } from '../../constants.js';

/**
 * torch.sum of a contiguous 1-D float32 tensor on one thread, in torch's order of additions
 * (aten/src/ATen/native/cpu/SumKernel.cpp: cascade_sum -> vectorized_inner_sum -> row_sum ->
 * multi_row_sum; 1.13.1 and 2.x alike). Domain: every addition is one float32 addition (f32Add); the
 * accumulator type of a float32 sum is float (acc_type<float, true>), nothing is widened.
 *
 * With n >= V (V = `lanes`, Vectorized<float>::size()), the data is read as floor(n/V) vectors of V
 * lanes summed lane-wise by row_sum; the n mod V tail is summed from 0 in order; then the V lanes are
 * added to it one by one; the output (filled with 0) receives `0 + result`. With n < V, row_sum runs on
 * the scalars directly. HistogramObserver calls it on its histogram (total) and on the per-bin error terms.
 */
export function torchSumF32(values: readonly IeeeValue[], lanes: SumLaneWidth): IeeeValue {
  const n = values.length;
  if (n < lanes) return f32Add(ZERO_F32, rowSum(values, ZERO_F32, f32Add));
  const vectorCount = Math.floor(n / lanes);
  const vectors: IeeeValue[][] = Array.from({ length: vectorCount }, (_, v) => values.slice(v * lanes, (v + 1) * lanes));
  const laneAdd = (a: readonly IeeeValue[], b: readonly IeeeValue[]) => a.map((x, k) => f32Add(x, b[k]!));
  const laneSums = rowSum(vectors, new Array<IeeeValue>(lanes).fill(ZERO_F32), laneAdd);
  let result = ZERO_F32; // vectorized_inner_sum's final_acc: the scalar tail first, then the lanes in order
  for (let k = vectorCount * lanes; k < n; k++) result = f32Add(result, values[k]!);
  for (const lane of laneSums) result = f32Add(result, lane);
  return f32Add(ZERO_F32, result); // CastStoreAccumulate: *out += value on an output filled with 0
}

/**
 * row_sum with ilp_factor 4: the row is read as floor(size/4) rows of 4 consecutive items summed by
 * multi_row_sum; the size mod 4 leftover items are added to partial 0; then partials 1..3 are added
 * to partial 0 in order. `T` is a float32 scalar or a V-lane vector (lane-wise addition).
 */
function rowSum<T>(items: readonly T[], zero: T, add: (a: T, b: T) => T): T {
  const rows = Math.floor(items.length / 4);
  const partial = multiRowSum(items, rows, zero, add);
  for (let i = rows * 4; i < items.length; i++) partial[0] = add(partial[0]!, items[i]!);
  for (let k = 1; k < 4; k++) partial[0] = add(partial[0]!, partial[k]!);
  return partial[0]!;
}

/**
 * multi_row_sum<4 rows>: four accumulator levels; every `level_step` = 2^max(4, CeilLog2(size)/4) rows the
 * level-0 sums cascade upwards (acc[j] += acc[j-1], acc[j-1] = 0) until the row counter is not a multiple
 * of the next level's span; leftover rows go to level 0; finally levels 1..3 are added to level 0.
 */
function multiRowSum<T>(items: readonly T[], rows: number, zero: T, add: (a: T, b: T) => T): T[] {
  const levels = 4;
  const levelPower = Math.max(4, Math.trunc(ceilLog2(rows) / levels));
  const levelStep = 2 ** levelPower;
  const levelMask = levelStep - 1;
  const acc: T[][] = Array.from({ length: levels }, () => [zero, zero, zero, zero]);
  const addRow = (i: number) => {
    for (let k = 0; k < 4; k++) acc[0]![k] = add(acc[0]![k]!, items[i * 4 + k]!);
  };
  let i = 0;
  while (i + levelStep <= rows) {
    for (let j = 0; j < levelStep; j++, i++) addRow(i);
    for (let j = 1; j < levels; j++) {
      for (let k = 0; k < 4; k++) {
        acc[j]![k] = add(acc[j]![k]!, acc[j - 1]![k]!);
        acc[j - 1]![k] = zero;
      }
      if ((BigInt(i) & (BigInt(levelMask) << BigInt(j * levelPower))) !== 0n) break; // i is not a multiple of level j+1's span
    }
  }
  for (; i < rows; i++) addRow(i);
  for (let j = 1; j < levels; j++) for (let k = 0; k < 4; k++) acc[0]![k] = add(acc[0]![k]!, acc[j]![k]!);
  return acc[0]!;
}

/** c10 utils::CeilLog2: 1 for x <= 2, else floor(log2(x - 1)) + 1. Exact integer domain. */
export function ceilLog2(x: number): number {
  if (x <= 2) return 1;
  return (x - 1).toString(2).length;
}
