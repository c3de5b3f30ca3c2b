/**
 * MLAS's logistic (MlasLogisticKernelFma3): the impl's float32 constants are the exact roundings of logistic.cpp's
 * decimal literals (no double rounding through a JS double), and the exact reference and the impl agree bit for bit
 * on a sweep of float32 inputs, the clamp ends and the special values; the sweep is not vacuous (the fused
 * multiply-adds change some results against the same steps unfused).
 */
import { describe, expect, it } from 'vitest';
import { unfusedLogistic } from '../../conformance/cases/qlinear_sigmoid_witness.js';
import { MLAS_LOGISTIC_F32, mlasLogisticFma3 } from '../../impl/onnx/mlas_logistic.js';
import { MLAS_LOGISTIC_CONSTANTS, mlasLogisticFma3 as exactLogistic } from '../../reference/onnx/mlas_logistic.js';
import { expectFloat32Constants, sweepElementwiseKernel } from '../support/mlas_elementwise_sweep.js';

describe('MlasLogisticKernelFma3', () => {
  it('uses the float32 roundings of the decimal constants', () => {
    expectFloat32Constants(MLAS_LOGISTIC_F32, MLAS_LOGISTIC_CONSTANTS);
  });

  it('reference and impl agree on a float32 sweep, not vacuously', () => {
    const specials = [0, -0, 18, -18, 17.999998, -17.999998, 18.000002, 100, -100, Infinity, -Infinity, NaN, 2 ** -149, 1e-30, -1e-30, 0.5, -0.5];
    const fusedMatters = sweepElementwiseKernel({ exact: exactLogistic, fast: mlasLogisticFma3, unfused: unfusedLogistic }, 'mlas-logistic-sweep', specials, 5);
    expect(mlasLogisticFma3(0)).toBe(0.5);
    expect(mlasLogisticFma3(100)).toBe(mlasLogisticFma3(18));
    expect(mlasLogisticFma3(-Infinity)).toBe(mlasLogisticFma3(-18));
    expect(fusedMatters, 'inputs where the fused multiply-adds change the float32 result').toBeGreaterThan(100);
  });
});
