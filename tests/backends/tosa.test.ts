import { describe, expect, it } from 'vitest';
import { MlirToolError, lowerAndRun, mlirToolsMissing } from '../../conformance/backends/tosa/mlir_tools.js';
import { type TosaProgram, runPrograms, tosaModule } from '../../conformance/backends/tosa/tosa_batch.js';
import { convProgram } from '../../conformance/backends/tosa/tosa_conv.js';
import { runTosaRequests } from '../../conformance/backends/tosa/tosa_programs.js';
import { builtinBackend } from '../../conformance/backends/registry.js';
import type { Conv2dArgs } from '../../contract/conv.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import { isQconformError } from '../../contract/errors.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { encodeTensor } from '../../contract/wire.js';
import { reference } from '../../reference/index.js';
import { convArgs } from '../support/conv_args.js';

const requantize = (id: string, scheme: string, acc: number[], multiplier: number, shift: number, zp = 0, lo = -(2 ** 31), hi = 2 ** 31 - 1) => ({
  id,
  op: 'requantize@1',
  attrs: { scheme, multiplier, shift, zero_point: zp, output_min: lo, output_max: hi },
  inputs: { acc: { dtype: 'int32', shape: [acc.length], values: acc } },
});

/** The reference's answer for a conv: its output, or its typed error code. */
function expected(a: Conv2dArgs): unknown {
  try {
    return encodeTensor(reference.quantizedConv2d(a));
  } catch (e) {
    if (isQconformError(e)) return e.code;
    throw e;
  }
}

const answerOf = (r: { outputs?: { y?: unknown }; error?: { code: string } }) => (r.error ? r.error.code : r.outputs?.y);

const iota = (n: number, f: (i: number) => number) => Array.from({ length: n }, (_, i) => f(i));

/** Convs that exercise each mapping: dense with padding/stride/dilation, depthwise with multiplier 2, grouped, quint8, ReLU, per-channel. */
const convs: Conv2dArgs[] = (['tosa-single-round@1', 'tosa-double-round@1'] as const).flatMap((scheme) => [
  convArgs({ scheme, accumulator: 'int32_wrap', x: intTensor('qint8', [1, 3, 5, 4], iota(60, (i) => ((i * 37) % 256) - 128)), weight: intTensor('qint8', [2, 3, 3, 2], iota(36, (i) => ((i * 53) % 255) - 127)), weightZeroPoint: 3, xZeroPoint: -5, padding: [1, 2], stride: [2, 1], dilation: [1, 2], xScale: 0.03, weightScales: f64Tensor([1], [0.011]), yScale: 0.37, yZeroPoint: 4, bias: intTensor('int32', [2], [1234, -777]) }),
  convArgs({ scheme, accumulator: 'int32_wrap', x: intTensor('quint8', [2, 2, 3, 3], iota(36, (i) => (i * 71) % 256)), weight: intTensor('qint8', [4, 1, 2, 2], iota(16, (i) => ((i * 29) % 200) - 100)), groups: 2, xZeroPoint: 120, padding: [1, 1], xScale: 0.02, weightQuantization: 'per_channel', weightScales: f64Tensor([4], [0.01, 0.02, 0.005, 0.04]), weightZeroPoints: intTensor('int64', [4], [0, 0, 0, 0]), yScale: 0.05, yZeroPoint: 130, relu: true }),
  convArgs({ scheme, accumulator: 'int32_wrap', x: intTensor('qint8', [1, 4, 3, 3], iota(36, (i) => ((i * 91) % 256) - 128)), weight: intTensor('qint8', [4, 2, 1, 2], iota(16, (i) => ((i * 13) % 256) - 128)), groups: 2, xScale: 0.1, weightScales: f64Tensor([1], [0.1]), yScale: 0.75, yZeroPoint: -3 }),
]);

describe('tosa-mlir built-in backend', () => {
  it('is registered with its own vector set and fuzz catalogue, and says how to install MLIR 19 when it is missing', () => {
    const b = builtinBackend('tosa-mlir');
    expect(b?.defaultVectors).toMatch(/vectors\/tosa-mlir-19$/);
    expect(b?.fuzzCatalog?.map((e) => e.op)).toEqual(['requantize@1', 'quantized_conv2d@1']);
    const availability = b!.availability();
    if (!availability.available) expect(availability.install).toBe('apt-get install -y mlir-19-tools libmlir-19');
  });

  it('puts one function per case in one module', () => {
    const p = (id: string): TosaProgram => ({ id, body: ['%c = "tosa.const"() {value = dense<1> : tensor<1xi32>} : () -> tensor<1xi32>'], printSizes: [], finish: () => ({ id, outputs: {} }) });
    const m = tosaModule([p('a'), p('b')]);
    expect(m.match(/^func\.func @case_\d+\(\)/gm)).toEqual(['func.func @case_0()', 'func.func @case_1()']);
    expect(m).toContain('call @case_1() : () -> ()');
  });

  describe.skipIf(mlirToolsMissing() !== null)('on MLIR 19', () => {
    it('rescales as the reference does, and the lowering tells double_round from single_round (right shift 32)', async () => {
      const acc = [6, -6, 5, -5, 7, 2 ** 31 - 1, -(2 ** 31)];
      const [single, double, int8] = await runTosaRequests([
        requantize('s', 'tosa-single-round@1', acc, 2 ** 30, -1),
        requantize('d', 'tosa-double-round@1', acc, 2 ** 30, -1),
        requantize('i8', 'tosa-double-round@1', acc, 2 ** 30 + 12345, -3, 7, -128, 127),
      ]);
      expect(single).toEqual({ id: 's', outputs: { y: { dtype: 'int32', shape: [7], values: [2, -1, 1, -1, 2, 536870912, -536870912] } } });
      expect(double).toEqual({ id: 'd', outputs: { y: { dtype: 'int32', shape: [7], values: [2, -2, 2, -1, 2, 536870912, -536870912] } } });
      expect(int8).toEqual({ id: 'i8', outputs: { y: encodeTensor(reference.requantize({ acc: intTensor('int32', [7], acc), scheme: 'tosa-double-round@1', multiplier: 2 ** 30 + 12345, shift: -3, zeroPoint: 7, outputMin: -128, outputMax: 127 })) } });
    });

    it('answers what TOSA REQUIREs with the contract typed error before running anything', async () => {
      const [shift, zp, value] = await runTosaRequests([requantize('a', 'tosa-single-round@1', [1], 2 ** 30, 30), requantize('b', 'tosa-single-round@1', [1], 2 ** 30, 0, 256), requantize('c', 'tosa-double-round@1', [2 ** 29], 2 ** 30, 1)]);
      expect([shift, zp, value].map((r) => r && 'error' in r && r.error.code)).toEqual(['requant_precondition', 'requant_precondition', 'requant_precondition']);
    });

    it('runs dense, grouped, depthwise, quint8, ReLU and per-channel convs as the reference does', async () => {
      const responses = await runPrograms(convs.map((a, i) => convProgram(String(i), a, checkConv2d(a))));
      expect(responses.map(answerOf)).toEqual(convs.map(expected));
      expect(responses.every((r) => 'outputs' in r)).toBe(true);
    });

    it('checks apply_scale_32 REQUIRE on the accumulators MLIR computed (bias past 2^30 with right shift 31)', async () => {
      const a = convArgs({ scheme: 'tosa-single-round@1', accumulator: 'int32_wrap', x: intTensor('qint8', [1, 1, 1, 1], [1]), weight: intTensor('qint8', [1, 1, 1, 1], [1]), xScale: 0.75, bias: intTensor('int32', [1], [2 ** 30]) });
      expect(expected(a)).toBe('requant_precondition');
      const [r] = await runPrograms([convProgram('req', a, checkConv2d(a))]);
      expect(r && 'error' in r ? r.error.code : r).toBe('requant_precondition');
    });

    it('isolates a case MLIR rejects: it alone answers backend_error, its batch neighbours their outputs', async () => {
      const bad: TosaProgram = { id: 'bad', body: ['%x = tosa.not_an_op'], printSizes: [1], finish: () => ({ id: 'bad', outputs: {} }) };
      const good = convs.slice(0, 3).map((a, i) => convProgram(String(i), a, checkConv2d(a)));
      const responses = await runPrograms([good[0]!, bad, good[1]!, good[2]!]);
      expect(responses.map((r) => ('error' in r ? r.error.code : 'outputs'))).toEqual(['outputs', 'backend_error', 'outputs', 'outputs']);
      expect('error' in responses[1]! && responses[1].error.message).toMatch(/mlir-opt-19 failed/);
    });

    it('turns a tool that overruns its time limit into a typed MlirToolError', async () => {
      await expect(lowerAndRun(tosaModule(convs.slice(0, 1).map((a) => convProgram('t', a, checkConv2d(a)))), 1)).rejects.toThrow(MlirToolError);
    });
  });
});
