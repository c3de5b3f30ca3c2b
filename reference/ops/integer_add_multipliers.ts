/**
 * The integer multipliers of the qnnpack engine's adds (exact reference): QNNPACK's
 * pytorch_qnnp_compute_add_quantization_params (qnnpack/src/qnnpack/requantization.h, 21 multiplier bits) and XNNPACK's
 * xnn_init_qs8_add_minmax_*_params (src/params-init.c, 20 bits). Float32 domain for the ratios, then integers.
 */
import type { BinaryQparams } from '../../contract/quantized_add.js';
import { f32Div, toF32 } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { exactValue } from '../exact/ieee_value.js';
import { Rational, floorLog2 } from '../exact/rational.js';
import { roundRational } from '../exact/rounding.js';

/** Two multipliers (lrintf(r 2^shift), below 2^(bits + 1)) and their shift, bits - e. */
export interface IntegerAddMultipliers {
  readonly aMultiplier: bigint;
  readonly bMultiplier: bigint;
  readonly shift: number;
}

/**
 * On r_a = f32(f32(s_a) / f32(s)) and r_b likewise (normal float32 values: the contract check keeps them in range): e
 * the exponent of max(r_a, r_b), shift = bits - e, each multiplier lrintf(r 2^shift) (an exact product, rounded half to
 * even).
 */
export function integerAddMultipliers(attrs: BinaryQparams, bits: number): IntegerAddMultipliers {
  const s = toF32(fromFloat64(attrs.scale));
  const ra = exactValue(f32Div(toF32(fromFloat64(attrs.aScale)), s));
  const rb = exactValue(f32Div(toF32(fromFloat64(attrs.bScale)), s));
  const shift = bits - floorLog2(ra.lt(rb) ? rb : ra);
  const multiplier = (r: Rational) => roundRational(r.mul(Rational.pow2(shift)), 'half_even');
  return { aMultiplier: multiplier(ra), bMultiplier: multiplier(rb), shift };
}
