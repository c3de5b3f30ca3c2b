import { ieeeLess } from '../exact/ieee_compare.js';
import type { IeeeValue } from '../exact/ieee_value.js';

/** min(max(d, lo), hi) on floats (maxps/minps, _mm_max_ps/_mm_min_ps); the schemes never feed it NaN. Exact domain: a comparison. */
export function clampFloat(d: IeeeValue, lo: IeeeValue, hi: IeeeValue): IeeeValue {
  if (ieeeLess(d, lo)) return lo;
  if (ieeeLess(hi, d)) return hi;
  return d;
}
