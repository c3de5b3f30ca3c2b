/**
 * onnx-free, torch-free rows of torch_model.ts torchSteps, built from the PyModel object explain_ops.py prints: what the
 * chain's state is after a module. A conv met while the tensor is not quantized (after a DeQuantStub) is not modelled
 * and the state is lost: the QuantStub after it starts anew, it is no DeQuantStub -> QuantStub requantization of the
 * first stub's integers (stub_requantize), which would feed them through a conv explain never ran. The control row
 * (DeQuantStub straight into QuantStub) is one.
 * Replay: npx vitest run tests/explain/torch_steps_rows.test.ts -t '<row name>'
 */
import { describe, expect, it } from 'vitest';
import { type PyModel, type PyModule, torchSteps } from '../../conformance/explain/torch_model.js';

const quant = (name: string, scale: number, zero_point: number): PyModule => ({ name, kind: 'quantize', type: 'Quantize', scale, zero_point, dtype: 'quint8' });
const dequant = (name: string): PyModule => ({ name, kind: 'other', type: 'DeQuantize' });
const floatConv: PyModule = { name: 'conv', kind: 'conv2d', type: 'Conv2d', stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 1 };
const pyModel = (modules: PyModule[]): PyModel => ({ format: 'torchscript', torch: '1.13.1', engine: 'qnnpack', cpu_flags: [], modules, observers: null });

const ROWS = [
  ['DeQuantStub -> conv on floats -> QuantStub', [quant('quant', 0.05, 128), dequant('dq'), floatConv, quant('q2', 0.1, 10)], ['not_modelled'], false],
  ['DeQuantStub -> QuantStub (control)', [quant('quant', 0.05, 128), dequant('dq'), quant('q2', 0.1, 10)], ['stub_requantize'], true],
] as const;

describe('torchSteps on PyModel rows', () => {
  it.each(ROWS)('%s', (name, modules, kinds, requantizes) => {
    const { input, steps } = torchSteps('model.pt', pyModel([...modules]), 'qnnpack');
    const replay = `replay: npx vitest run tests/explain/torch_steps_rows.test.ts -t '${name}'`;
    expect(input, replay).toEqual({ scale: 0.05, zeroPoint: 128, dtype: 'quint8' });
    expect(steps.map((s) => s.kind), replay).toEqual(kinds);
    expect(steps.some((s) => s.kind === 'stub_requantize'), replay).toBe(requantizes);
  });
});
