import { QconformError } from '../../../contract/errors.js';
import { intToF64 } from '../../exact/float_arith.js';
import type { IeeeValue } from '../../exact/ieee_value.js';
import { roundRational } from '../../exact/rounding.js';
import { INT64_MAX, INT64_MIN, roundToIntegral } from '../../exact/x86_conversions.js';

/**
 * Python's int(x) of a float (a tensor's .item()): truncation toward zero into an unbounded integer.
 * int(NaN) raises ValueError and int(±inf) OverflowError. HistogramObserver 1.13 calls it on its histc
 * range and on the results of its float32 range arithmetic; a NaN or infinite batch is reported before
 * (nan_observed, non_finite_observed), so here a non-finite value comes from finite data whose float32
 * arithmetic overflowed or underflowed.
 */
export function pythonInt(v: IeeeValue, what: string): bigint {
  if (v.kind !== 'finite') {
    const error = v.kind === 'nan' ? 'ValueError: cannot convert float NaN to integer' : 'OverflowError: cannot convert float infinity to integer';
    throw new QconformError('histogram_range_unsupported', what, v.kind === 'nan' ? NaN : v.negative ? -Infinity : Infinity, `torch raises ${error}: the float32 range arithmetic overflowed or underflowed`);
  }
  return roundRational(v.value, 'trunc');
}

/**
 * A Python int passed to torch as a Scalar (histc's min/max, a tensor size): it must fit int64, else torch
 * raises "Overflow when unpacking long". Returns the int64 value as the double Scalar.to<double>() gives.
 */
export function int64Scalar(n: bigint, what: string): IeeeValue {
  if (n < INT64_MIN || n > INT64_MAX) {
    throw new QconformError('histogram_range_unsupported', what, `${n}`, 'torch raises "Overflow when unpacking long": the int() of the histc range leaves int64 (|x| >= 2^63)');
  }
  return intToF64(n);
}

/** torch.ceil of a float32 (exact: an integral float; NaN and infinities unchanged, ceil(-0.5) = -0). */
export function ceilF32(v: IeeeValue): IeeeValue {
  return roundToIntegral(v, 'ceil');
}
