/**
 * QLinearSigmoid cases that refute the unfused reading of MLAS's logistic: parameters under which the table of
 * every code comes out different when MlasLogisticKernelFma3's fused multiply-adds (reference/onnx/mlas_logistic.ts)
 * are replaced by a float32 multiply and a float32 add each (the step order of the SSE2 MlasLogisticKernel).
 * Random parameters rarely separate the two, so the generator searches (seeded, bounded) for them; the expectations
 * still come from ORT. The unfused form below is the rejected hypothesis, not a model of anything.
 */
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { f32Add, f32Div, f32Mul } from '../../impl/float32.js';
import { MLAS_LOGISTIC_F32, mlasLogisticFma3 } from '../../impl/onnx/mlas_logistic.js';
import { quantizeLinearValue } from '../../impl/quantize_linear.js';
import { type CaseFactory, wireF32, wireInt } from './builders.js';
import type { CaseRandom } from './random.js';

/** MLAS's logistic steps with every multiply-add rounded twice, clamped below at 0 like the FMA3 kernel. */
export function unfusedLogistic(x: number): number {
  const c = MLAS_LOGISTIC_F32;
  const v = Math.min(c.upperRange, Math.max(c.lowerRange, x));
  const v2 = f32Mul(v, v);
  const ma = (a: number, b: number, k: number) => f32Add(f32Mul(a, b), k);
  let p = ma(v2, c.alpha9, c.alpha7);
  for (const k of [c.alpha5, c.alpha3, c.alpha1]) p = ma(v2, p, k);
  let q = ma(v2, c.beta10, c.beta8);
  for (const k of [c.beta6, c.beta4, c.beta2, c.beta0]) q = ma(v2, q, k);
  return Math.max(0, f32Add(f32Div(f32Mul(v, p), q), c.oneHalf));
}

/** The quantized table over the codes `grid` with the logistic `f` (QlinearBuildLookupTable's steps). */
export function sigmoidTable(f: (x: number) => number, grid: readonly number[], xs: number, zx: number, ys: number, zy: number, dtype: QuantDtype): number[] {
  const { min, max } = DTYPE_RANGE[dtype];
  return grid.map((v) => quantizeLinearValue(f(f32Mul(xs, v - zx)), ys, zy, min, max));
}

const TRIES = 2000;

export const qlinearSigmoidWitnessCase: CaseFactory = (r: CaseRandom) => {
  const dtype: QuantDtype = r.bool(0.5) ? 'quint8' : 'qint8';
  const { min, max } = DTYPE_RANGE[dtype];
  const grid = Array.from({ length: max - min + 1 }, (_, i) => min + i);
  let p = { xs: 0.05, zx: 0, ys: 1 / 256, zy: min };
  for (let t = 0; t < TRIES; t++) {
    p = { xs: Math.fround(2 ** (r.next() * 8 - 7)), zx: r.int(min, max), ys: Math.fround(2 ** (r.next() * 4 - 11)), zy: r.bool(0.5) ? min : r.int(min, max) };
    const fused = sigmoidTable(mlasLogisticFma3, grid, p.xs, p.zx, p.ys, p.zy, dtype);
    const plain = sigmoidTable(unfusedLogistic, grid, p.xs, p.zx, p.ys, p.zy, dtype);
    if (plain.some((v, i) => v !== fused[i])) break;
  }
  const inputs = {
    x: wireInt(dtype, [grid.length], grid),
    x_scale: wireF32([], [p.xs]),
    x_zero_point: wireInt(dtype, [], [p.zx]),
    y_scale: wireF32([], [p.ys]),
    y_zero_point: wireInt(dtype, [], [p.zy]),
  };
  return { op: 'qlinear_sigmoid@1', attrs: {}, inputs };
};
