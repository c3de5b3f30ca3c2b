/**
 * MLAS's logistic (MlasLogisticKernelFma3): the impl's float32 constants are the exact roundings of logistic.cpp's
 * decimal literals (no double rounding through a JS double), and the exact reference and the impl agree bit for bit
 * on a sweep of float32 inputs, the clamp ends and the special values; the sweep is not vacuous (the fused
 * multiply-adds change some results against the same steps unfused).
 */
import { describe, expect, it } from 'vitest';
import { unfusedLogistic } from '../../conformance/cases/qlinear_sigmoid_witness.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { MLAS_LOGISTIC_F32, mlasLogisticFma3 } from '../../impl/onnx/mlas_logistic.js';
import { fromFloat32, toNumber } from '../../reference/exact/ieee_bits.js';
import { MLAS_LOGISTIC_CONSTANTS, mlasLogisticFma3 as exactLogistic } from '../../reference/onnx/mlas_logistic.js';

const bits = (x: number) => new Uint32Array(new Float32Array([x]).buffer)[0];

describe('MlasLogisticKernelFma3', () => {
  it('uses the float32 roundings of the decimal constants', () => {
    for (const [name, exact] of Object.entries(MLAS_LOGISTIC_CONSTANTS)) {
      expect(bits(MLAS_LOGISTIC_F32[name as keyof typeof MLAS_LOGISTIC_F32]), name).toBe(bits(toNumber(exact)));
    }
  });

  it('reference and impl agree on a float32 sweep, not vacuously', () => {
    const r = new CaseRandom('mlas-logistic-sweep');
    const xs = [0, -0, 18, -18, 17.999998, -17.999998, 18.000002, 100, -100, Infinity, -Infinity, NaN, 2 ** -149, 1e-30, -1e-30, 0.5, -0.5];
    for (let k = 0; k < 4000; k++) xs.push(Math.fround((r.next() * 2 - 1) * 2 ** r.int(-12, 5)));
    let fusedMatters = 0;
    for (const x of xs) {
      const exact = toNumber(exactLogistic(fromFloat32(x)));
      const fast = mlasLogisticFma3(x);
      if (Number.isNaN(exact)) expect(fast, `x = ${x}`).toBeNaN();
      else expect(bits(fast), `x = ${x} (0x${bits(x)!.toString(16)})`).toBe(bits(exact));
      if (!Number.isNaN(fast) && fast !== unfusedLogistic(x)) fusedMatters++;
    }
    expect(mlasLogisticFma3(0)).toBe(0.5);
    expect(mlasLogisticFma3(100)).toBe(mlasLogisticFma3(18));
    expect(mlasLogisticFma3(-Infinity)).toBe(mlasLogisticFma3(-18));
    expect(fusedMatters, 'inputs where the fused multiply-adds change the float32 result').toBeGreaterThan(100);
  });
});
