/** MlasLogisticKernelFma3 on one float32 element, fast twin of reference/onnx/mlas_logistic.ts (f32Fma: one rounding). */
import { f32Add, f32Div, f32Fma, f32Mul } from '../float32.js';

/** MlasLogisticConstants (mlas/lib/logistic.cpp) as float32; tests check them against the exact decimal roundings. */
export const MLAS_LOGISTIC_F32 = {
  lowerRange: -18,
  upperRange: 18,
  alpha9: Math.fround(4.37031012579801e-11),
  alpha7: Math.fround(1.15627324459942e-7),
  alpha5: Math.fround(6.08574864600143e-5),
  alpha3: Math.fround(8.51377133304701e-3),
  alpha1: Math.fround(2.48287947061529e-1),
  beta10: Math.fround(6.10247389755681e-13),
  beta8: Math.fround(5.76102136993427e-9),
  beta6: Math.fround(6.2910678501704e-6),
  beta4: Math.fround(1.70198817374094e-3),
  beta2: Math.fround(1.16817656904453e-1),
  beta0: Math.fround(9.9315192102318e-1),
  oneHalf: 0.5,
} as const;

export function mlasLogisticFma3(x: number): number {
  const c = MLAS_LOGISTIC_F32;
  let v = c.lowerRange > x ? c.lowerRange : x; // maxps(lower, x): x unless lower is greater (NaN passes)
  v = c.upperRange < v ? c.upperRange : v; // minps(upper, v)
  const v2 = f32Mul(v, v);
  let p = f32Fma(v2, c.alpha9, c.alpha7);
  p = f32Fma(v2, p, c.alpha5);
  p = f32Fma(v2, p, c.alpha3);
  p = f32Fma(v2, p, c.alpha1);
  let q = f32Fma(v2, c.beta10, c.beta8);
  q = f32Fma(v2, q, c.beta6);
  q = f32Fma(v2, q, c.beta4);
  q = f32Fma(v2, q, c.beta2);
  q = f32Fma(v2, q, c.beta0);
  const y = f32Add(f32Div(f32Mul(v, p), q), c.oneHalf);
  return 0 > y ? 0 : y; // maxps(0, y): y unless 0 is greater (NaN passes)
}
