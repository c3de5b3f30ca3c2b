/**
 * MLAS's tanh (MlasComputeTanhF32KernelFma3, the Eigen-constant kernel ORT 1.30 runs): the impl's float32 constants are
 * the exact roundings of tanh.cpp's decimal literals, and the exact reference and the impl agree bit for bit on a sweep
 * of float32 inputs, the clamp ends and the special values; the sweep is not vacuous (the fused multiply-adds change
 * some results against the same steps unfused).
 */
import { describe, expect, it } from 'vitest';
import { CaseRandom } from '../../conformance/cases/random.js';
import { f32Div, f32Mul } from '../../impl/float32.js';
import { MLAS_TANH_F32, mlasTanhFma3 } from '../../impl/onnx/mlas_tanh.js';
import { fromFloat32, toNumber } from '../../reference/exact/ieee_bits.js';
import { MLAS_TANH_CONSTANTS, mlasTanhFma3 as exactTanh } from '../../reference/onnx/mlas_tanh.js';

const bits = (x: number) => new Uint32Array(new Float32Array([x]).buffer)[0];

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
    for (const [name, exact] of Object.entries(MLAS_TANH_CONSTANTS)) {
      expect(bits(MLAS_TANH_F32[name as keyof typeof MLAS_TANH_F32]), name).toBe(bits(toNumber(exact)));
    }
  });

  it('reference and impl agree on a float32 sweep, not vacuously', () => {
    const r = new CaseRandom('mlas-tanh-sweep');
    const xs = [0, -0, 9, -9, 8.999999, -8.999999, 9.000001, 100, -100, Infinity, -Infinity, NaN, 2 ** -149, 1e-30, -1e-30, 0.5, -0.5];
    for (let k = 0; k < 4000; k++) xs.push(Math.fround((r.next() * 2 - 1) * 2 ** r.int(-12, 4)));
    let fusedMatters = 0;
    for (const x of xs) {
      const exact = toNumber(exactTanh(fromFloat32(x)));
      const fast = mlasTanhFma3(x);
      if (Number.isNaN(exact)) expect(fast, `x = ${x}`).toBeNaN();
      else expect(bits(fast), `x = ${x} (0x${bits(x)!.toString(16)})`).toBe(bits(exact));
      if (!Number.isNaN(fast) && fast !== unfusedTanh(x)) fusedMatters++;
    }
    expect(Object.is(mlasTanhFma3(-0), -0)).toBe(true);
    expect(mlasTanhFma3(100)).toBe(mlasTanhFma3(9));
    expect(mlasTanhFma3(-Infinity)).toBe(mlasTanhFma3(-9));
    expect(fusedMatters, 'inputs where the fused multiply-adds change the float32 result').toBeGreaterThan(100);
  });
});
