/**
 * MlasComputeLogistic on x86-64 with AVX2 and FMA (onnxruntime/core/mlas/lib/x86_64/LogisticKernelFma3.S, which
 * mlas/lib/platform.cpp selects on every CPU with FMA3: the AVX-512 hosts and Haswell alike), exact: the Eigen-style
 * rational approximation of 1 / (1 + e^-x), each step one float32 operation rounded on rationals. For one element x:
 *   v  = minps(18, maxps(-18, x))                 clamp (a NaN x passes through both)
 *   v2 = f32(v * v)
 *   p  = fma(v2, fma(v2, fma(v2, fma(v2, a9, a7), a5), a3), a1)        vfmadd231ps / vfmadd213ps, one rounding each
 *   q  = fma(v2, fma(v2, fma(v2, fma(v2, fma(v2, b10, b8), b6), b4), b2), b0)
 *   y  = maxps(0, f32(f32(f32(v * p) / q) + 0.5))  the FMA3 kernel clamps below only (the SSE2 kernel, not modelled,
 *                                                   multiplies and adds unfused and clamps to [0, 1])
 * The constants are the float32 roundings of logistic.cpp's MlasLogisticConstants decimal literals.
 */
import { f32Add, f32Div, f32Fma, f32Mul } from '../exact/float_arith.js';
import { maxps, minps } from '../exact/ieee_compare.js';
import { type IeeeValue } from '../exact/ieee_value.js';
import { f32Literal } from '../exact/f32_literal.js';
import { ZERO_F32 as ZERO } from '../constants.js';

/** MlasLogisticConstants (logistic.cpp), in its order. */
export const MLAS_LOGISTIC_CONSTANTS = {
  lowerRange: f32Literal(-18n, 0),
  upperRange: f32Literal(18n, 0),
  alpha9: f32Literal(437031012579801n, -25), // 4.37031012579801e-11f
  alpha7: f32Literal(115627324459942n, -21), // 1.15627324459942e-07f
  alpha5: f32Literal(608574864600143n, -19), // 6.08574864600143e-05f
  alpha3: f32Literal(851377133304701n, -17), // 8.51377133304701e-03f
  alpha1: f32Literal(248287947061529n, -15), // 2.48287947061529e-01f
  beta10: f32Literal(610247389755681n, -27), // 6.10247389755681e-13f
  beta8: f32Literal(576102136993427n, -23), // 5.76102136993427e-09f
  beta6: f32Literal(629106785017040n, -20), // 6.29106785017040e-06f
  beta4: f32Literal(170198817374094n, -17), // 1.70198817374094e-03f
  beta2: f32Literal(116817656904453n, -15), // 1.16817656904453e-01f
  beta0: f32Literal(993151921023180n, -15), // 9.93151921023180e-01f
  oneHalf: f32Literal(5n, -1),
} as const;


/** One element of MlasLogisticKernelFma3 (float32 in, float32 out). */
export function mlasLogisticFma3(x: IeeeValue): IeeeValue {
  const c = MLAS_LOGISTIC_CONSTANTS;
  const v = minps(c.upperRange, maxps(c.lowerRange, x));
  const v2 = f32Mul(v, v);
  let p = f32Fma(v2, c.alpha9, c.alpha7);
  for (const k of [c.alpha5, c.alpha3, c.alpha1]) p = f32Fma(v2, p, k);
  let q = f32Fma(v2, c.beta10, c.beta8);
  for (const k of [c.beta6, c.beta4, c.beta2, c.beta0]) q = f32Fma(v2, q, k);
  return maxps(ZERO, f32Add(f32Div(f32Mul(v, p), q), c.oneHalf));
}
