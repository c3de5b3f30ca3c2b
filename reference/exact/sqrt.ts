/** Correctly rounded float32 square roots of positive integers (sqrtf, or a double sqrt rounded to float32: the same). */
import { BINARY32, type IeeeValue, finite } from './ieee_value.js';
import { ieeeSqrt } from './float_arith.js';
import { Rational } from './rational.js';

/**
 * sqrtf(n) (or (float)sqrt((double)n)) for an integer 1 <= n < 2^46: the float32 nearest sqrt(n), used for the
 * 1 / sqrtf(head_size) of QAttention's alpha (reference/onnx/qattention.ts, onnxruntime
 * contrib_ops/cpu/bert/attention_cpu_base.h ComputeAttentionProbs). One roundTiesToEven rounding of the exact root:
 * ieeeSqrt (reference/exact/float_arith.ts) on the exact integer n, the one square root of the reference (the root of
 * an integer is never a tie, so the double rounding of the double form is innocuous). Exact bigint domain.
 */
export function f32SqrtOfInteger(n: bigint): IeeeValue {
  if (n < 1n || n >= 1n << 46n) throw new RangeError(`f32SqrtOfInteger: ${n} outside [1, 2^46)`);
  return ieeeSqrt(finite(Rational.fromInt(n)), BINARY32);
}
