import { QconformError } from '../../contract/errors.js';
import { INT32_MAX, INT32_MIN, wrapInt32 } from '../exact/x86_conversions.js';
import type { Int32Policy } from './types.js';

/**
 * An int32 addition of a kernel (accumulator + int32 bias, for instance). Exact integer domain:
 * `wrap` is two's complement (what x86 does), `check` raises accumulator_overflow when the exact sum
 * leaves int32 (the exact accumulator model never wraps silently).
 */
export function int32Add(a: bigint, b: bigint, policy: Int32Policy): bigint {
  const s = a + b;
  if (policy === 'wrap') return wrapInt32(s);
  if (s < INT32_MIN || s > INT32_MAX) throw new QconformError('accumulator_overflow', 'quantized_conv2d: accumulator + bias', s, 'exact accumulator');
  return s;
}

/** The accumulator as the kernel holds it: an int32 value under `check` (the exact model's rule), wrapped under `wrap`. */
export function checkedInt32(a: bigint, policy: Int32Policy): bigint {
  return int32Add(a, 0n, policy);
}
