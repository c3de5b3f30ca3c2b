/**
 * `qconform explain` on ONNX models with something between two quantized layers (onnx_between_layers.ts), each model
 * built here and run in onnxruntime-node 1.30, every step explain analyses compared with ORT's integers:
 *   - QLinearConv -> DequantizeLinear -> Relu -> QuantizeLinear -> QLinearConv, and -> DequantizeLinear -> QuantizeLinear
 *     (another scale and zero point) ->: a requantize step, quantize(relu?(dequantize(q))) in ORT's float32 arithmetic.
 *     Before, the nodes were skipped and qconv2 read qconv1's integers (252 and 227 of 256 outputs other than ORT's);
 *   - QLinearConv -> Relu on int8 (opset 14): an int_relu step, max(q, 0). Before, explain took it as a fused ReLU
 *     clamping qconv1 at its zero point (-10), where ORT's Relu clamps its integers at 0;
 *   - the same from torch.onnx.export of a torch 1.13 model with an unfused nn.ReLU between two convs (QDQ form);
 *   - an int8 graph input through a Relu into the first layer: the user's integers, clamped at 0, as ORT runs them;
 *   - a Relu on uint8, or on int8 at opset 13, is refused as ORT 1.30 refuses the model, quoting it (explain analysed it);
 *   - a requantization whose integers depend on ORT's graph optimizations (scale 3e38: QDQFinalCleanup removes the pair,
 *     without it the integers saturate) is listed as not modelled, and the layer after it runs on generated data;
 *   - the chain's invariant (explain_run.ts): a layer whose x qparams are not those of the integers the chain holds runs
 *     on generated data, labelled with the reason (before, it read them), and an --input that would reach it first is
 *     refused.
 * Replay one case: npx vitest run tests/explain/between_layers.test.ts -t '<case name>'
 */
import { spawnSync } from 'node:child_process';
import onnxProto from 'onnx-proto';
import { mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import type { IntTensor } from '../../contract/tensor.js';
import { consoleTable } from '../../conformance/explain/console_table.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { generatedInput, readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { OrtRefusedModelError } from '../../conformance/explain/ort_refused_model.js';
import { TORCH_PYTHON } from '../../conformance/explain/torch_model.js';
import { captureConsole } from '../support/console_capture.js';
import { type ChainParts, X_SHAPE, chainInput, chainModel, f32, ortValues, zp } from '../support/explain_chain_models.js';
import { explainError, explainFiles } from '../support/explain_files.js';
import { X_SHAPE as INT_SHAPE, opsBefore, ortRun, qlinearConvCase } from '../support/explain_integer_model.js';
import { explainReadError } from '../support/ort_load_verdicts.js';
import { installedOrt } from '../support/installed_ort.js';

const printed = captureConsole();
const { file, jsonInput } = explainFiles('qconform-between-layers-');

const dq = (x: string, s: string, z: string) => ({ opType: 'DequantizeLinear', name: 'dq', input: [x, s, z], output: ['y1f'] });
const relu = (x: string, out: string) => ({ opType: 'Relu', name: 'relu', input: [x], output: [out] });
const q = (x: string, s: string, z: string) => ({ opType: 'QuantizeLinear', name: 'q', input: [x, s, z], output: ['y1q'] });

/** [case, model parts, explain step -> the ORT value its integers are, the step kinds explain reads] */
type Case = readonly [name: string, parts: ChainParts, values: Readonly<Record<string, string>>, kinds: readonly string[]];
const CASES: readonly Case[] = [
  ['uint8 DequantizeLinear -> Relu -> QuantizeLinear, one scale and zero point 100', { dtype: 'uint8', between: [dq('y1', 'ys', 'yz'), relu('y1f', 'y1r'), q('y1r', 'ys', 'yz')] }, { qconv2: 'y', qconv1: 'y1', dq: 'y1q' }, ['conv2d', 'requantize', 'conv2d']],
  ['uint8 DequantizeLinear -> QuantizeLinear to scale 0.2, zero point 20', { dtype: 'uint8', between: [dq('y1', 'ys', 'yz'), q('y1f', 's2', 'z2')], inits: [f32('s2', 0.2), zp('z2', 'uint8', 20)], x2: ['s2', 'z2'] }, { qconv2: 'y', qconv1: 'y1', dq: 'y1q' }, ['conv2d', 'requantize', 'conv2d']],
  // ORT drops the Relu before a QuantizeLinear of zero point 0 (relu_quantizelinear.cc): the same integers
  ['uint8 DequantizeLinear -> Relu -> QuantizeLinear to zero point 0', { dtype: 'uint8', between: [dq('y1', 'ys', 'yz'), relu('y1f', 'y1r'), q('y1r', 'ys', 'z0')], inits: [zp('z0', 'uint8', 0)], x2: ['ys', 'z0'] }, { qconv2: 'y', qconv1: 'y1', dq: 'y1q' }, ['conv2d', 'requantize', 'conv2d']],
  ['int8 DequantizeLinear -> Relu -> QuantizeLinear to scale 0.1, zero point 5', { dtype: 'int8', between: [dq('y1', 'ys', 'yz'), relu('y1f', 'y1r'), q('y1r', 's2', 'z2')], inits: [f32('s2', 0.1), zp('z2', 'int8', 5)], x2: ['s2', 'z2'] }, { qconv2: 'y', qconv1: 'y1', dq: 'y1q' }, ['conv2d', 'requantize', 'conv2d']],
  ['int8 Relu after QLinearConv (y zero point -10, opset 14)', { dtype: 'int8', between: [relu('y1', 'y1q')], opset: 14 }, { qconv2: 'y', qconv1: 'y1', relu: 'y1q' }, ['conv2d', 'int_relu', 'conv2d']],
];

/** explain on `bytes` with the float input `x`: its steps' kinds, the result and each step's integers. */
function explained(name: string, bytes: Uint8Array, x: readonly number[]) {
  const outputs = new Map<string, IntTensor>();
  const r = explainModel(readOnnxModel(file(`${name}.onnx`, bytes)), readInputTensor(jsonInput(`${name}.json`, X_SHAPE, x)), { seed: '1', outputs });
  return { r, outputs };
}

describe('explain between two quantized ONNX layers, as onnxruntime-node 1.30 runs them', () => {
  it.each(CASES)('%s: every step explain analyses gives ORT\'s integers', async (name, parts, values, kinds) => {
    const bytes = chainModel({ ...parts, outputs: Object.values(values).filter((v) => v !== 'y') });
    const x = chainInput(`explain-between:${name}`);
    const { r, outputs } = explained(name.replace(/\W+/g, '_'), bytes, x);
    const ort = await ortValues(bytes, x, X_SHAPE, Object.values(values));
    // qconv2 first: before, it read qconv1's integers as they were
    for (const [step, value] of Object.entries(values)) expect(Array.from(outputs.get(step)?.data ?? []), `${step} (ORT's ${value})`).toEqual(ort[value]);
    expect(r.steps.map((s) => s.kind)).toEqual(kinds);
    for (const s of r.steps) if (s.kind === 'conv2d') expect(s.inputOrigin, s.name).toBe('chain');
    // not vacuous: the step between changes integers, and the model's own output, unexposed, is the same
    expect(ort['y1q']!.filter((v, i) => v !== ort['y1']![i]).length).toBeGreaterThan(20);
    expect((await ortValues(chainModel(parts), x, X_SHAPE, ['y']))['y']).toEqual(ort['y']);
  }, 60_000);

  it('the console names the requantization and its qparams', () => {
    const [name, parts] = CASES[0]!;
    const { r } = explained('console', chainModel(parts), chainInput(`explain-between:${name}`));
    expect(consoleTable(r)).toContain('dq  DequantizeLinear -> Relu -> QuantizeLinear, scale 0.05000000074505806, zero point 100, quint8 -> scale 0.05000000074505806, zero point 100, quint8 (carried exactly on the integers)');
    expect(consoleTable(r)).toContain('qconv2  QLinearConv  w[4x4x3x3] groups 1  in [1x4x8x8]\n');
  });

  it('torch.onnx.export of a torch 1.13 model with an unfused ReLU between two convs: every step gives ORT\'s integers', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-between-torch-'));
    const py = `
import torch, torch.nn as nn
torch.manual_seed(11); torch.backends.quantized.engine = 'qnnpack'
Q = torch.ao.quantization
class M(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.conv1 = nn.Conv2d(3, 4, 3, padding=1); self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        return self.dequant(self.conv2(self.relu1(self.conv1(self.quant(x)))))
m = M().eval(); m.qconfig = Q.get_default_qconfig('qnnpack')
p = Q.prepare(m)
with torch.no_grad():
    for _ in range(4): p(torch.randn(2, 3, 8, 8))
torch.onnx.export(Q.convert(p), torch.randn(1, 3, 8, 8), '${dir}/m.onnx', opset_version=13, input_names=['x'], output_names=['y'])`;
    const built = spawnSync(TORCH_PYTHON, ['-c', py], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
    const bytes = readFileSync(`${dir}/m.onnx`);
    const x = chainInput('explain-between-torch');
    const { r, outputs } = explained('torch_export', bytes, x);
    const values = { '/conv2/Conv': '/conv2/QuantizeLinear_output_0', '/conv1/Conv': '/conv1/QuantizeLinear_output_0', '/relu1/DequantizeLinear': '/relu1/QuantizeLinear_output_0' };
    const ort = await ortValues(bytes, x, X_SHAPE, Object.values(values));
    for (const [step, value] of Object.entries(values)) expect(Array.from(outputs.get(step)?.data ?? []), `${step} (ORT's ${value})`).toEqual(ort[value]);
    expect(r.steps.map((s) => `${s.name}:${s.kind}`)).toEqual(['/conv1/Conv:conv2d', '/relu1/DequantizeLinear:requantize', '/conv2/Conv:conv2d']);
    const zero = (r.steps[1] as { from: { zeroPoint: number } }).from.zeroPoint;
    expect(ort['/conv1/QuantizeLinear_output_0']!.filter((v) => v < zero).length, 'the ReLU clamps some of conv1\'s integers').toBeGreaterThan(10);
  }, 120_000);

  it.each([
    ['a Relu on uint8 at opset 14', 'uint8', 14],
    ['a Relu on int8 at opset 13', 'int8', 13],
  ] as const)('%s: refused, as ORT 1.30 refuses the model', async (_, dtype, opset) => {
    const bytes = chainModel({ dtype, between: [relu('y1', 'y1q')], opset });
    const ort = await installedOrt();
    const message = await ort.InferenceSession.create(bytes).then(
      () => 'loaded',
      (e: Error) => e.message,
    );
    const err = explainReadError(bytes);
    expect(err).toBeInstanceOf(OrtRefusedModelError);
    expect(message).toContain((err as OrtRefusedModelError).ort);
    expect((err as Error).message).toContain(`Relu node relu reads ${dtype} integers, which ONNX Relu at opset ${opset} does not take`);
  }, 60_000);

  it('a DequantizeLinear -> QuantizeLinear of scale 3e38, whose integers ORT\'s graph optimizations decide: not modelled, the next layer on generated data', async () => {
    // qconv2 reads x in qconv1's y qparams (ORT takes any): its own analysis stays finite
    const parts: ChainParts = { dtype: 'uint8', between: [dq('y1', 'big', 'yz'), q('y1f', 'big', 'yz')], inits: [f32('big', 3e38)] };
    const bytes = chainModel(parts);
    const x = chainInput('explain-between-big');
    const all = (await ortValues(bytes, x, X_SHAPE, ['y'], 'all'))['y']!;
    const disabled = (await ortValues(bytes, x, X_SHAPE, ['y'], 'disabled'))['y']!;
    expect(all.filter((v, i) => v !== disabled[i]).length, 'ORT gives other integers with graph optimizations than without').toBeGreaterThan(20);
    const { r } = explained('big_scale', bytes, x);
    expect(r.steps[1]).toMatchObject({ kind: 'not_modelled', name: 'dq', opType: 'DequantizeLinear -> QuantizeLinear' });
    expect((r.steps[1] as { reason: string }).reason).toMatch(/^ONNX Runtime's graph optimizations decide its integers: run as written it gives \d+ of the 256 inputs other integers than the integers unchanged \(qdq_final_cleanup\.cc\)/);
    expect((r.steps[2] as ConvLayerReport).inputOrigin).toBe('generated');
  }, 60_000);

  it('a layer whose x qparams are not those of the chain\'s integers runs on generated data, with the reason (a DequantizeLinear read twice is skipped)', () => {
    // y1 -> DequantizeLinear -> QuantizeLinear(0.2, 20) -> qconv2, the DequantizeLinear also read by an Identity: no requantize group
    const parts: ChainParts = { dtype: 'uint8', between: [dq('y1', 'ys', 'yz'), q('y1f', 's2', 'z2'), { opType: 'Identity', input: ['y1f'], output: ['yf'] }], inits: [f32('s2', 0.2), zp('z2', 'uint8', 20)], x2: ['s2', 'z2'], outputs: ['yf'] };
    const { r } = explained('two_readers', chainModel(parts), chainInput('explain-between-two-readers'));
    expect(r.steps.map((s) => s.kind)).toEqual(['conv2d', 'conv2d']);
    const qconv2 = r.steps[1] as ConvLayerReport;
    expect(qconv2.inputOrigin).toBe('generated');
    // y1q is another graph value than the chain's y1 (the DequantizeLinear -> QuantizeLinear is no step, so the run has
    // no integers of it): another branch, its qparams named
    const why = "it reads y1q, not y1, the graph value whose integers the chain holds (and in scale 0.20000000298023224, zero point 20, quint8, not the chain's scale 0.05000000074505806, zero point 100, quint8), of which this run has no integers";
    expect(qconv2.generatedBecause).toBe(why);
    expect(consoleTable(r)).toContain(`in [1x4x8x8] (GENERATED input: ${why})`);
  });

  it('a first layer whose x qparams are not the quantized input\'s: an --input is refused; generated data runs it labelled', () => {
    const path = file('first.onnx', chainModel({ dtype: 'uint8', between: [], x1Scale: 'xs2', inits: [f32('xs2', 0.04)] }));
    const input = jsonInput('first.json', X_SHAPE, chainInput('explain-between-first'));
    const why = 'its first layer qconv1 reads x in scale 0.03999999910593033, zero point 128, quint8, not the qparams of the integers the chain holds (scale 0.029999999329447746, zero point 128, quint8): explain cannot tell that it reads them';
    expect(explainError(printed.err, path, { input })).toBe(`error: ${input}: the model does not take this input: ${why}; explain runs such a model on generated data only (leave out --input and --shape)`);
    const r = explainModel(readOnnxModel(path), generatedInput(X_SHAPE, '1'), { seed: '1' });
    expect((r.steps[0] as ConvLayerReport).generatedBecause).toMatch(/^it reads x in scale 0\.03999999910593033/);
  });

  it('an int8 graph input -> Relu -> QLinearConv (opset 14): the user\'s integers pass the Relu, and the layer gives ORT\'s integers', async () => {
    const { bytes: one, x } = qlinearConvCase('qint8', 'explain-between-int-input');
    const m = onnxProto.onnx.ModelProto.decode(one);
    m.opsetImport![0]!.version = 14;
    const bytes = opsBefore(onnxProto.onnx.ModelProto.encode(m).finish(), 'x', [{ opType: 'Relu', name: 'relu' }], INT_SHAPE, onnxProto.onnx.TensorProto.DataType.INT8);
    const model = readOnnxModel(file('int_input_relu.onnx', bytes));
    expect(model.rawInput).toMatchObject({ kind: 'integers', through: ['relu'] });
    const outputs = new Map<string, IntTensor>();
    explainModel(model, readInputTensor(jsonInput('int_input_relu.json', INT_SHAPE, x)), { seed: '1', outputs });
    expect(Array.from(outputs.get('relu')!.data)).toEqual(x.map((v) => Math.max(v, 0)));
    expect(Array.from(outputs.get('QLinearConv_1')!.data)).toEqual(Array.from(await ortRun(bytes, 'qint8', x, INT_SHAPE)));
    expect(x.filter((v) => v < 0).length, 'the Relu clamps some inputs').toBeGreaterThan(5);
  }, 60_000);

  it('the CLI refuses a model with a uint8 Relu in one error line (exit 2)', () => {
    const path = file('u8_relu.onnx', chainModel({ dtype: 'uint8', between: [relu('y1', 'y1q')], opset: 14 }));
    expect(explainError(printed.err, path, {})).toMatch(/Relu node relu reads uint8 integers.*ONNX Runtime 1\.30 refuses it when it loads the model: "Type Error: Type 'tensor\(uint8\)' of input parameter \(y1\) of operator \(Relu\) in node \(relu\) is invalid\."/);
  });
});
