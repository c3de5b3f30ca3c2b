/**
 * The vpmaddubsw pair sum of ORT's sat16_pairs integer kernels (ConvInteger's im2col path and the integer GEMMs),
 * fast twin of the pair part of reference/conv/sat16_pairs_dot.ts: sum_j sat16(a[2j] b[2j] + a[2j+1] b[2j+1]) over
 * k elements from the offsets, an odd k's last product saturated alone. Integer-valued doubles, not yet wrapped.
 */
import { sat16 } from '../requant/output.js';

/** sum_j sat16(a[aOff+2j] b[bOff+2j] + a[aOff+2j+1] b[bOff+2j+1]), j < k/2, plus sat16 of an odd k's last product. */
export function sat16PairSum(a: ArrayLike<number>, aOff: number, b: ArrayLike<number>, bOff: number, k: number): number {
  let s = 0;
  let p = 0;
  for (; p + 1 < k; p += 2) s += sat16((a[aOff + p] as number) * (b[bOff + p] as number) + (a[aOff + p + 1] as number) * (b[bOff + p + 1] as number));
  if (p < k) s += sat16((a[aOff + p] as number) * (b[bOff + p] as number));
  return s;
}
