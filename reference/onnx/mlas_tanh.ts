/**
 * MlasComputeTanh on x86-64 with AVX2 and FMA as onnxruntime-node 1.30 runs it (platform.cpp selects
 * MlasComputeTanhF32KernelFma3, mlas/lib/x86_64/TanhKernelFma3.S, on every CPU with FMA3: the AVX-512 hosts and
 * Haswell alike), exact: Eigen's rational approximation of tanh, each step one float32 operation rounded on rationals.
 * For one element x:
 *   v  = minps(9, maxps(-9, x))                                  clamp (a NaN x passes through both)
 *   v2 = f32(v * v)
 *   p  = fma(v2, ... fma(v2, fma(v2, a13, a11), a9) ..., a1)     vfmadd231ps / vfmadd213ps, one rounding each
 *   q  = fma(v2, fma(v2, fma(v2, b6, b4), b2), b0)
 *   y  = f32(f32(v * p) / q)
 * The constants are the float32 roundings of tanh.cpp's MlasTanhConstants decimal literals. (Newer MLAS sources
 * replace this kernel by a [5]-bounded rational one with other constants; ORT 1.30's output follows this one:
 * measured through DynamicQuantizeLSTM, whose gates call MlasComputeTanh, tests/vectors.)
 */
import { f32Div, f32Fma, f32Mul } from '../exact/float_arith.js';
import { maxps, minps } from '../exact/ieee_compare.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { f32Literal } from '../exact/f32_literal.js';

/** MlasTanhConstants (tanh.cpp), in its order. */
export const MLAS_TANH_CONSTANTS = {
  lowerRange: f32Literal(-9n, 0),
  upperRange: f32Literal(9n, 0),
  alpha13: f32Literal(-276076847742355n, -30), // -2.76076847742355e-16f
  alpha11: f32Literal(200018790482477n, -27), // 2.00018790482477e-13f
  alpha9: f32Literal(-860467152213735n, -25), // -8.60467152213735e-11f
  alpha7: f32Literal(512229709037114n, -22), // 5.12229709037114e-08f
  alpha5: f32Literal(148572235717979n, -19), // 1.48572235717979e-05f
  alpha3: f32Literal(637261928875436n, -18), // 6.37261928875436e-04f
  alpha1: f32Literal(489352455891786n, -17), // 4.89352455891786e-03f
  beta6: f32Literal(119825839466702n, -20), // 1.19825839466702e-06f
  beta4: f32Literal(118534705686654n, -18), // 1.18534705686654e-04f
  beta2: f32Literal(226843463243900n, -17), // 2.26843463243900e-03f
  beta0: f32Literal(489352518554385n, -17), // 4.89352518554385e-03f
} as const;

/** One element of MlasComputeTanhF32KernelFma3 (float32 in, float32 out). */
export function mlasTanhFma3(x: IeeeValue): IeeeValue {
  const c = MLAS_TANH_CONSTANTS;
  const v = minps(c.upperRange, maxps(c.lowerRange, x));
  const v2 = f32Mul(v, v);
  let p = f32Fma(v2, c.alpha13, c.alpha11);
  for (const k of [c.alpha9, c.alpha7, c.alpha5, c.alpha3, c.alpha1]) p = f32Fma(v2, p, k);
  let q = f32Fma(v2, c.beta6, c.beta4);
  for (const k of [c.beta2, c.beta0]) q = f32Fma(v2, q, k);
  return f32Div(f32Mul(v, p), q);
}
