/**
 * xnnpack_add@1, exact reference: torch 1.13.1 quantized::add / add_relu on the qnnpack engine for qint8 (BinaryOps.cpp
 * xnnp_add; XNNPACK's xnn_create_add_nd_qs8 and its qs8 vadd parameters and microkernels, Debian libxnnpack0
 * 0.0~git20220216): contract/xnnpack_add.ts. The parameters are float32 steps, each rounded once on rationals
 * (reference/exact); every element's arithmetic is bigint.
 */
import { XNNPACK_ADD, checkIntegerAdd } from '../../contract/integer_add_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import type { XnnpackAddAttrs } from '../../contract/xnnpack_add.js';
import { clampInt } from '../exact/x86_conversions.js';
import { roundShiftHalfUp } from '../requant/fixed_point.js';
import { integerAddMultipliers } from './integer_add_multipliers.js';

/** XNNPACK's multipliers: shift = 20 - e, multipliers below 2^21. */
const XNNPACK_MULTIPLIER_BITS = 20;

/**
 * quantized::add(a, b, scale, zero_point) and add_relu on qint8 under the qnnpack engine: per element
 * y = clamp(RHU(m_a (a - z_a) + m_b (b - z_b), shift) + z, out_min, out_max), RHU the division by 2^shift rounded half
 * toward +inf (the rounding constant 2^(shift - 1) added before the arithmetic shift).
 */
export function xnnpackAdd(a: IntTensor, b: IntTensor, attrs: XnnpackAddAttrs): IntTensor {
  const g = checkIntegerAdd(XNNPACK_ADD, a, b, attrs);
  const p = integerAddMultipliers(attrs, XNNPACK_MULTIPLIER_BITS);
  const [za, zb, z] = [BigInt(attrs.aZeroPoint), BigInt(attrs.bZeroPoint), BigInt(attrs.zeroPoint)];
  const y = new Int32Array(a.data.length);
  for (let i = 0; i < y.length; i++) {
    const acc = p.aMultiplier * (BigInt(a.data[i] as number) - za) + p.bMultiplier * (BigInt(b.data[i] as number) - zb);
    y[i] = Number(clampInt(roundShiftHalfUp(acc, p.shift) + z, BigInt(g.outMin), BigInt(g.outMax)));
  }
  return intTensor('qint8', a.shape, y);
}
