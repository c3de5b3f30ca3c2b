import { BINARY32, type IeeeValue } from './ieee_value.js';
import { Rational } from './rational.js';

const MIN_NORMAL_F32 = Rational.pow2(BINARY32.emin);

/** std::isnormal(x) && x > 0 for a float32 value: finite, positive, at least 2^-126. */
export function isNormalPositive(v: IeeeValue): boolean {
  return v.kind === 'finite' && v.value.cmp(MIN_NORMAL_F32) >= 0;
}

/** std::isnormal(x) for a float32 value of either sign: finite, |x| at least 2^-126. */
export function isNormal(v: IeeeValue): boolean {
  return v.kind === 'finite' && v.value.abs().cmp(MIN_NORMAL_F32) >= 0;
}

/** A zero of either sign. */
export function isZeroValue(v: IeeeValue): boolean {
  return v.kind === 'finite' && v.value.isZero();
}
