/**
 * explain's mean step (conformance/explain/quantized_mean_step.ts) reports the other memory format's path: on a
 * contiguous tensor of 1x1 pixels without keepdim, where torch refuses the channels_last layout, it says so instead of
 * failing; elsewhere it names that layout's path and counts the outputs it changes. On the qnnpack engine's kernel
 * (QNNPACK's global average pool) it counts the outputs ATen's kernels would change, and runs without a known layout.
 */
import { describe, expect, it } from 'vitest';
import { quantizedMeanText, runQuantizedMean } from '../../conformance/explain/quantized_mean_step.js';
import type { QuantizedMeanStep } from '../../conformance/explain/model_types.js';
import { intTensor } from '../../contract/tensor.js';

const STEP: QuantizedMeanStep = { kind: 'quantized_mean', name: 'm', opType: 'aten::mean', x: { scale: 0.1, zeroPoint: 3, dtype: 'quint8' }, dims: [2, 3], keepdim: false, kernel: 'aten', memoryFormat: 'contiguous', cpuCapability: 'avx2', threads: 1 };
const ramp = (shape: number[]) => intTensor('quint8', shape, Array.from({ length: shape.reduce((a, b) => a * b) }, (_, i) => i));

describe("explain's mean step", () => {
  it('reports the channels_last layout torch refuses for a contiguous tensor of 1x1 pixels without keepdim', () => {
    const r = runQuantizedMean(STEP, ramp([1, 8, 1, 1]));
    expect('notRun' in r ? r : [Array.from(r.xq.data), r.report.ran?.path, r.report.ran?.otherLayout]).toEqual([[0, 1, 2, 3, 4, 5, 6, 7], 'inner', null]);
  });

  it("names the other layout's path and counts what it changes", () => {
    const r = runQuantizedMean(STEP, ramp([1, 8, 2, 2]));
    // the integer path's means 1.5, 5.5, ... round to even; the float path's dequantized means quantize otherwise
    expect('notRun' in r ? r : r.report.ran?.otherLayout).toEqual({ memoryFormat: 'channels_last', path: 'float', differing: 8 });
  });

  // torch 1.13.1, measured (tests/contract/qnnpack_mean_bad_input.test.ts): [0, 1] at (0.1, 1) gives 1 on QNNPACK's pool
  // (the centered mean -0.5 rounds to even, then z) and 0 on ATen's integer path (the mean 0.5 rounds to even)
  it("runs QNNPACK's pool on the qnnpack engine and counts the outputs ATen's kernels change", () => {
    const x = intTensor('quint8', [1, 2, 1, 2], [0, 1, 4, 4]);
    const step: QuantizedMeanStep = { ...STEP, x: { scale: 0.1, zeroPoint: 1, dtype: 'quint8' }, kernel: 'qnnpack' };
    const r = runQuantizedMean(step, x);
    if ('notRun' in r) throw new Error(r.notRun);
    expect([Array.from(r.xq.data), r.report.ran?.path, r.report.ran?.atenDiffering]).toEqual([[1, 4], 'qnnpack', 1]);
    expect(quantizedMeanText(r.report)).toContain("QNNPACK's global average pool");
    const unknownLayout = runQuantizedMean({ ...step, memoryFormat: null }, x);
    expect('notRun' in unknownLayout ? unknownLayout : [Array.from(unknownLayout.xq.data), unknownLayout.report.ran?.atenDiffering]).toEqual([[1, 4], null]);
  });
});
