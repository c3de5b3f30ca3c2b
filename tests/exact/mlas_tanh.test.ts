/**
 * MLAS's tanh (MlasComputeTanhF32KernelFma3, the Eigen-constant kernel ORT 1.30 runs): the impl's float32 constants are
 * the exact roundings of tanh.cpp's decimal literals, and the exact reference and the impl agree bit for bit on a sweep
 * of float32 inputs, the clamp ends and the special values; the sweep is not vacuous (the fused multiply-adds change
 * some results against the same steps unfused).
 */
import { describe, expect, it } from 'vitest';
import { f32Div, f32Mul } from '../../impl/float32.js';
import { MLAS_TANH_F32, mlasTanhFma3 } from '../../impl/onnx/mlas_tanh.js';
import { MLAS_TANH_CONSTANTS, mlasTanhFma3 as exactTanh } from '../../reference/onnx/mlas_tanh.js';
import { expectFloat32Constants, sweepElementwiseKernel } from '../support/mlas_elementwise_sweep.js';

/** The kernel's steps with each multiply-add rounded twice (what an SSE2 build would compute). */
function unfusedTanh(x: number): number {
  const c = MLAS_TANH_F32;
  const v = Math.min(c.upperRange, Math.max(c.lowerRange, x));
  const v2 = f32Mul(v, v);
  const step = (acc: number, k: number) => Math.fround(f32Mul(v2, acc) + k);
  const p = [c.alpha11, c.alpha9, c.alpha7, c.alpha5, c.alpha3, c.alpha1].reduce(step, c.alpha13);
  const q = [c.beta4, c.beta2, c.beta0].reduce(step, c.beta6);
  return f32Div(f32Mul(v, p), q);
}

describe('MlasComputeTanhF32KernelFma3', () => {
  it('uses the float32 roundings of the decimal constants', () => {
    expectFloat32Constants(MLAS_TANH_F32, MLAS_TANH_CONSTANTS);
  });

  it('reference and impl agree on a float32 sweep, not vacuously', () => {
    const specials = [0, -0, 9, -9, 8.999999, -8.999999, 9.000001, 100, -100, Infinity, -Infinity, NaN, 2 ** -149, 1e-30, -1e-30, 0.5, -0.5];
    const fusedMatters = sweepElementwiseKernel({ exact: exactTanh, fast: mlasTanhFma3, unfused: unfusedTanh }, 'mlas-tanh-sweep', specials, 4);
    expect(Object.is(mlasTanhFma3(-0), -0)).toBe(true);
    expect(mlasTanhFma3(100)).toBe(mlasTanhFma3(9));
    expect(mlasTanhFma3(-Infinity)).toBe(mlasTanhFma3(-9));
    expect(fusedMatters, 'inputs where the fused multiply-adds change the float32 result').toBeGreaterThan(100);
  });
});
