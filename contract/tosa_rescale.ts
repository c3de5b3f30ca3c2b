/**
 * The REQUIREs of TOSA's RESCALE that depend on the data (arm/tosa-specification
 * pseudocode/library/scale_helpers.tosac apply_scale_32): the value fed to apply_scale_32 must lie in
 * [-2^(shift-1), 2^(shift-1)), so that (value * multiplier + round) >> shift fits int32. TOSA leaves a
 * violation undefined (a lowering computes something); qconform answers it with a typed error. Shared by
 * reference/requant/tosa_rescale.ts, impl/requant/tosa_rescale.ts, contract/requantize.ts and the tosa-mlir
 * backend (which checks it on the accumulators the lowered conv computed).
 */
import { QconformError } from './errors.js';

/** TOSA's right shift for a TFLite-style exponent (positive = left): s = 31 - shift (requantization-schemes.md §12). */
export function tosaRightShift(tfliteShift: number): number {
  return 31 - tfliteShift;
}

/** apply_scale_32's REQUIRE on its value (an int32 number) for the right shift `shift` in [2, 62]. */
export function assertApplyScale32Value(what: string, value: number, shift: number): void {
  const half = 2 ** (shift - 1);
  if (value < -half || value >= half) throw new QconformError('requant_precondition', `${what}: TOSA apply_scale_32 value`, value, `shift ${shift} takes values in [-2^${shift - 1}, 2^${shift - 1})`);
}
