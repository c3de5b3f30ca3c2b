import { QconformError } from '../../contract/errors.js';
import { INT32_MAX, INT32_MIN } from '../float32.js';
import type { Int32Policy } from './types.js';

/** An int32 addition of a kernel: the double sum is exact (|a|, |b| < 2^32); 'wrap' keeps the low 32 bits, 'check' raises accumulator_overflow outside int32. */
export function int32Add(a: number, b: number, policy: Int32Policy): number {
  const s = a + b;
  if (policy === 'wrap') return s | 0;
  if (s < INT32_MIN || s > INT32_MAX) throw new QconformError('accumulator_overflow', 'quantized_conv2d: accumulator + bias', s, 'exact accumulator');
  return s;
}
