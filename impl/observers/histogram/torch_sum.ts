import type { SumLaneWidth } from '../../../contract/ops.js';

const f32 = Math.fround;

/**
 * torch.sum of a contiguous 1-D float32 tensor, one thread (aten/src/ATen/native/cpu/SumKernel.cpp
 * cascade_sum): float32 additions in torch's cascade order. With n >= V lanes: floor(n/V) vectors summed
 * lane-wise by rowSum, the n mod V tail summed from 0, then the V lanes added in order; with n < V: rowSum
 * on the scalars. The output receives 0 + result. `f32(a + b)` is the float32 addition (impl/float32.ts).
 */
export function torchSumF32(x: ArrayLike<number>, n: number, lanes: SumLaneWidth): number {
  if (n < lanes) return f32(0 + rowSum(x, n, 1)[0]!);
  const vectors = Math.floor(n / lanes);
  const laneSums = rowSum(x, vectors, lanes);
  let result = 0;
  for (let k = vectors * lanes; k < n; k++) result = f32(result + (x[k] as number));
  for (let lane = 0; lane < lanes; lane++) result = f32(result + laneSums[lane]!);
  return f32(0 + result);
}

/**
 * row_sum (ilp 4) over `size` items of `width` floats each (width 1: scalars, width V: vectors added
 * lane-wise): multi_row_sum over the rows of 4 items, the leftover items into partial 0, then partials
 * 1..3 into partial 0. Returns partial 0 (width floats).
 */
function rowSum(x: ArrayLike<number>, size: number, width: number): Float64Array {
  const rows = Math.floor(size / 4);
  const acc = multiRowSum(x, rows, width);
  for (let i = rows * 4; i < size; i++) for (let w = 0; w < width; w++) acc[w] = f32(acc[w]! + (x[i * width + w] as number));
  for (let k = 1; k < 4; k++) for (let w = 0; w < width; w++) acc[w] = f32(acc[w]! + acc[k * width + w]!);
  return acc;
}

/**
 * multi_row_sum<4 rows>: 4 accumulator levels of 4 items each; every level_step = 2^max(4, CeilLog2(rows)/4)
 * rows, level j-1 is added into level j and cleared while the row counter is a multiple of level j+1's span;
 * leftover rows go to level 0, then levels 1..3 are added to level 0. Returns level 0 (4 items of `width`).
 */
function multiRowSum(x: ArrayLike<number>, rows: number, width: number): Float64Array {
  const levelPower = Math.max(4, Math.trunc(ceilLog2(rows) / 4));
  const levelStep = 2 ** levelPower;
  const item = 4 * width; // one level: 4 items
  const acc = new Float64Array(4 * item);
  const addRow = (i: number) => {
    const base = i * item;
    for (let t = 0; t < item; t++) acc[t] = f32(acc[t]! + (x[base + t] as number));
  };
  let i = 0;
  while (i + levelStep <= rows) {
    for (let j = 0; j < levelStep; j++, i++) addRow(i);
    for (let j = 1; j < 4; j++) {
      for (let t = 0; t < item; t++) {
        acc[j * item + t] = f32(acc[j * item + t]! + acc[(j - 1) * item + t]!);
        acc[(j - 1) * item + t] = 0;
      }
      if (Math.floor(i / 2 ** (j * levelPower)) % levelStep !== 0) break; // (i & (mask << j*power)) != 0
    }
  }
  for (; i < rows; i++) addRow(i);
  for (let j = 1; j < 4; j++) for (let t = 0; t < item; t++) acc[t] = f32(acc[t]! + acc[j * item + t]!);
  return acc;
}

/** c10 CeilLog2: 1 for x <= 2, else floor(log2(x - 1)) + 1. */
function ceilLog2(x: number): number {
  return x <= 2 ? 1 : 32 - Math.clz32(x - 1);
}
