/** MlasComputeTanhF32KernelFma3 on one float32 element, fast twin of reference/onnx/mlas_tanh.ts (f32Fma: one rounding). */
import { f32Div, f32Fma, f32Mul } from '../float32.js';

/** MlasTanhConstants (mlas/lib/tanh.cpp) as float32; tests check them against the exact decimal roundings. */
export const MLAS_TANH_F32 = {
  lowerRange: -9,
  upperRange: 9,
  alpha13: Math.fround(-2.76076847742355e-16),
  alpha11: Math.fround(2.00018790482477e-13),
  alpha9: Math.fround(-8.60467152213735e-11),
  alpha7: Math.fround(5.12229709037114e-8),
  alpha5: Math.fround(1.48572235717979e-5),
  alpha3: Math.fround(6.37261928875436e-4),
  alpha1: Math.fround(4.89352455891786e-3),
  beta6: Math.fround(1.19825839466702e-6),
  beta4: Math.fround(1.18534705686654e-4),
  beta2: Math.fround(2.268434632439e-3),
  beta0: Math.fround(4.89352518554385e-3),
} as const;

export function mlasTanhFma3(x: number): number {
  const c = MLAS_TANH_F32;
  let v = c.lowerRange > x ? c.lowerRange : x; // maxps(lower, x): x unless lower is greater (NaN passes)
  v = c.upperRange < v ? c.upperRange : v; // minps(upper, v)
  const v2 = f32Mul(v, v);
  let p = f32Fma(v2, c.alpha13, c.alpha11);
  p = f32Fma(v2, p, c.alpha9);
  p = f32Fma(v2, p, c.alpha7);
  p = f32Fma(v2, p, c.alpha5);
  p = f32Fma(v2, p, c.alpha3);
  p = f32Fma(v2, p, c.alpha1);
  let q = f32Fma(v2, c.beta6, c.beta4);
  q = f32Fma(v2, q, c.beta2);
  q = f32Fma(v2, q, c.beta0);
  return f32Div(f32Mul(v, p), q);
}
