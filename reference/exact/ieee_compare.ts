import { ALL_ONES_NAN_F32, CANONICAL_QUIET_NAN, type IeeeValue } from './ieee_value.js';

/**
 * IEEE comparisons and the NaN-propagating min/max that torch.min/torch.max/torch.aminmax use on
 * float32 tensors (aten/src/ATen/native/cpu/ReduceOpsKernel.cpp, BinaryOpsKernel.cpp minimum/maximum,
 * cpu/vec/vec256/vec256_float.h). Exact domain: values compare by their rationals; -0 == +0; any
 * comparison with NaN is false.
 */

/** IEEE a < b (comiss / C `<` on floats), with -inf < finite < +inf; false when either is NaN. Exact domain: a comparison of rationals. */
export function ieeeLess(a: IeeeValue, b: IeeeValue): boolean {
  if (a.kind === 'nan' || b.kind === 'nan') return false;
  if (a.kind === 'infinity') return a.negative && !(b.kind === 'infinity' && b.negative);
  if (b.kind === 'infinity') return !b.negative;
  return a.value.lt(b.value);
}

/** IEEE a == b (ucomiss, C `==`): false with a NaN operand, -0 == +0, infinities equal by sign. Exact domain: a comparison of rationals. */
export function ieeeEqual(a: IeeeValue, b: IeeeValue): boolean {
  if (a.kind === 'nan' || b.kind === 'nan') return false;
  if (a.kind === 'infinity' || b.kind === 'infinity') {
    return a.kind === b.kind && a.negative === b.negative;
  }
  return a.value.eq(b.value);
}

/** IEEE a <= b (C `<=`): false with a NaN operand. Exact domain. */
export function ieeeLessEqual(a: IeeeValue, b: IeeeValue): boolean {
  return ieeeLess(a, b) || ieeeEqual(a, b);
}

/**
 * How one torch min/max kernel treats the two cases where the mathematical answer does not fix the bits:
 * a tie between equal values (only +0 and -0 differ) and a NaN operand.
 * - `tie`: which operand is returned when they compare equal;
 * - `nan`: 'propagate' returns the NaN operand (first one wins), otherwise this fixed NaN is returned.
 */
export interface MinMaxRule {
  readonly tie: 'first' | 'second';
  readonly nan: 'propagate' | IeeeValue;
}

/** torch.minimum/maximum, scalar loop (0-dim tensors, tails): std::min-like, NaN -> quiet_NaN() 0x7fc00000. */
export const SCALAR_KERNEL: MinMaxRule = { tie: 'first', nan: CANONICAL_QUIET_NAN };
/** torch.minimum/maximum, AVX2 vector body: minps/maxps keep the second source, NaN mask OR-ed in (0xffffffff). */
export const VECTOR_KERNEL: MinMaxRule = { tie: 'second', nan: ALL_ONES_NAN_F32 };

/**
 * Which rule torch.minimum/maximum applies to element `index` of a contiguous float32 result of `count`
 * elements (cpu_kernel_vec: 2 x 8 lanes per iteration, then a scalar tail), measured on torch 1.13.
 */
export function elementwiseKernelRule(index: number, count: number): MinMaxRule {
  return index < 16 * Math.floor(count / 16) ? VECTOR_KERNEL : SCALAR_KERNEL;
}

/** The operand a min/max returns: the rule's NaN (or the NaN operand), else the strictly winning one, else the rule's tie choice. No arithmetic. */
function pick(a: IeeeValue, b: IeeeValue, aWins: boolean, bWins: boolean, rule: MinMaxRule): IeeeValue {
  if (a.kind === 'nan' || b.kind === 'nan') {
    if (rule.nan !== 'propagate') return rule.nan;
    return a.kind === 'nan' ? a : b;
  }
  if (aWins) return a;
  if (bWins) return b;
  return rule.tie === 'first' ? a : b;
}

/** torch.minimum / torch.min's NaN-propagating minimum (BinaryOpsKernel.cpp, ReduceOpsKernel.cpp) with the kernel's tie and NaN conventions; comparisons only, exact. */
export function ieeeMin(a: IeeeValue, b: IeeeValue, rule: MinMaxRule): IeeeValue {
  return pick(a, b, ieeeLess(a, b), ieeeLess(b, a), rule);
}

/** torch.maximum / torch.max's NaN-propagating maximum (BinaryOpsKernel.cpp, ReduceOpsKernel.cpp) with the kernel's tie and NaN conventions; comparisons only, exact. */
export function ieeeMax(a: IeeeValue, b: IeeeValue, rule: MinMaxRule): IeeeValue {
  return pick(a, b, ieeeLess(b, a), ieeeLess(a, b), rule);
}

/** _mm_max_ps(a, b) (maxps): a when a > b, else b, so a NaN in either operand and a tie of zeros give b. */
export function maxps(a: IeeeValue, b: IeeeValue): IeeeValue {
  return ieeeLess(b, a) ? a : b;
}

/** _mm_min_ps(a, b) (minps): a when a < b, else b, so a NaN in either operand and a tie of zeros give b. */
export function minps(a: IeeeValue, b: IeeeValue): IeeeValue {
  return ieeeLess(a, b) ? a : b;
}

/** C++ std::min(a, b) on floats: (b < a) ? b : a, so a NaN in either operand gives a. */
export function stdMin(a: IeeeValue, b: IeeeValue): IeeeValue {
  return ieeeLess(b, a) ? b : a;
}

/** C++ std::max(a, b) on floats: (a < b) ? b : a, so a NaN in either operand gives a. */
export function stdMax(a: IeeeValue, b: IeeeValue): IeeeValue {
  return ieeeLess(a, b) ? b : a;
}
