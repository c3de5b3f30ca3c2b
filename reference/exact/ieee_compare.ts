import type { IeeeValue } from './ieee_value.js';

/**
 * IEEE comparisons and the NaN-propagating min/max that torch.min/torch.max/torch.aminmax use on
 * float32 tensors (aten/src/ATen/native/cpu/ReduceOpsKernel.cpp, BinaryOpsKernel.cpp minimum/maximum).
 * Exact domain: values compare by their rationals; -0 == +0; any comparison with NaN is false.
 */

/** a < b, with -inf < finite < +inf; false when either is NaN. */
export function ieeeLess(a: IeeeValue, b: IeeeValue): boolean {
  if (a.kind === 'nan' || b.kind === 'nan') return false;
  if (a.kind === 'infinity') return a.negative && !(b.kind === 'infinity' && b.negative);
  if (b.kind === 'infinity') return !b.negative;
  return a.value.lt(b.value);
}

export function ieeeEqual(a: IeeeValue, b: IeeeValue): boolean {
  if (a.kind === 'nan' || b.kind === 'nan') return false;
  if (a.kind === 'infinity' || b.kind === 'infinity') {
    return a.kind === b.kind && a.negative === b.negative;
  }
  return a.value.eq(b.value);
}

export function ieeeLessEqual(a: IeeeValue, b: IeeeValue): boolean {
  return ieeeLess(a, b) || ieeeEqual(a, b);
}

/** torch.minimum: NaN if either is NaN, otherwise the smaller; between equal values, `a`. */
export function nanPropagatingMin(a: IeeeValue, b: IeeeValue): IeeeValue {
  if (a.kind === 'nan') return a;
  if (b.kind === 'nan') return b;
  return ieeeLess(b, a) ? b : a;
}

/** torch.maximum: NaN if either is NaN, otherwise the larger; between equal values, `a`. */
export function nanPropagatingMax(a: IeeeValue, b: IeeeValue): IeeeValue {
  if (a.kind === 'nan') return a;
  if (b.kind === 'nan') return b;
  return ieeeLess(a, b) ? b : a;
}
