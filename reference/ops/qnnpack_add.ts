/**
 * qnnpack_add@1, exact reference: torch 1.13.1 quantized::add / add_relu on the qnnpack engine for quint8
 * (BinaryOps.cpp qnnpack_add; QNNPACK pytorch_qnnp_compute_add_quantization_params, qnnpack/src/qnnpack/requantization.h,
 * and pytorch_q8vadd_ukernel__sse2, src/q8vadd/sse2.c): contract/qnnpack_add.ts. The parameters are float32 steps,
 * each rounded once on rationals (reference/exact); lrintf is the half-even rounding of an exact product; every
 * element's arithmetic is bigint.
 */
import type { QnnpackAddAttrs } from '../../contract/qnnpack_add.js';
import { QNNPACK_ADD, checkIntegerAdd } from '../../contract/integer_add_checks.js';
import { qnnpackAddScalarLoopStart, qnnpackAddShiftOperands } from '../../contract/qnnpack_add_shift.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { floorDivision } from '../exact/rational.js';
import { clampInt } from '../exact/x86_conversions.js';
import { roundShiftHalfAway } from '../requant/fixed_point.js';
import { integerAddMultipliers } from './integer_add_multipliers.js';

/** QNNPACK's multipliers: shift = 21 - e, multipliers below 2^22. */
const QNNPACK_MULTIPLIER_BITS = 21;

/**
 * acc / 2^shift as the ukernel computes it (integer domain): below 32, rounded half away from zero; from 32, the x86
 * shift instructions' own result (contract/qnnpack_add_shift.ts): floor(acc / 2^count) plus one where
 * (acc mod 2^32 & mask) - [acc < 0] exceeds the threshold.
 */
function shifted(acc: bigint, shift: number, scalarLoop: boolean): bigint {
  if (shift < 32) return roundShiftHalfAway(acc, shift);
  const { count, mask, threshold } = qnnpackAddShiftOperands(shift, scalarLoop);
  const [quotient] = floorDivision(acc, 1n << BigInt(count));
  const remainder = (acc & BigInt(mask)) - (acc < 0n ? 1n : 0n);
  return quotient + (remainder > BigInt(threshold) ? 1n : 0n);
}

/**
 * quantized::add(a, b, scale, zero_point) and add_relu on the qnnpack engine: per element
 * y = clamp(shifted(m_a (a - z_a) + m_b (b - z_b)) + z, out_min, out_max).
 */
export function qnnpackAdd(a: IntTensor, b: IntTensor, attrs: QnnpackAddAttrs): IntTensor {
  const g = checkIntegerAdd(QNNPACK_ADD, a, b, attrs);
  const p = integerAddMultipliers(attrs, QNNPACK_MULTIPLIER_BITS);
  const scalarFrom = qnnpackAddScalarLoopStart(a.data.length);
  const [za, zb, z] = [BigInt(attrs.aZeroPoint), BigInt(attrs.bZeroPoint), BigInt(attrs.zeroPoint)];
  const y = new Int32Array(a.data.length);
  for (let i = 0; i < y.length; i++) {
    const acc = p.aMultiplier * (BigInt(a.data[i] as number) - za) + p.bMultiplier * (BigInt(b.data[i] as number) - zb);
    y[i] = Number(clampInt(shifted(acc, p.shift, i >= scalarFrom) + z, BigInt(g.outMin), BigInt(g.outMax)));
  }
  return intTensor('quint8', a.shape, y);
}
