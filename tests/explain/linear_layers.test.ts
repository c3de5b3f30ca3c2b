/**
 * Linear layers in `qconform explain`, analysed as 1x1 convs over the rows (conformance/explain/linear_layer.ts):
 * the example's fc layer in both formats (torch QuantizedLinear through torch 1.13; the ONNX export's QDQ Gemm)
 * and a fused LinearReLU with per-channel weights built by torch here, are analysed like a conv (stored qparams,
 * observers, every scheme's requantization, every scheme x accumulator
 * run on the data flowing into it, fake-quant), and the chain's outputs through flatten into fc are the real
 * runtimes' own (torch on qnnpack, onnxruntime-node); a QOperator QLinearMatMul with per-column int8 weights reads
 * back to the same outputs as ORT runs; what stays unmodelled says why.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { oneNodeModel } from '../../conformance/backends/onnxruntime/one_node_model.js';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { consoleTable } from '../../conformance/explain/console_table.js';
import { type ConvLayerReport, type ExplainResult, explainModel } from '../../conformance/explain/explain_run.js';
import { type ExplainInput, readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import { type IntTensor, f32Tensor } from '../../contract/tensor.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { installedOrt } from '../support/installed_ort.js';

const DIR = 'examples/quantized_cnn';
const input = readInputTensor(`${DIR}/input.npy`);

/** The layer is analysed, not vacuously: outputs, scheme runs, a requantization per scheme, a fake-quant count. */
function expectAnalysedLinear(r: ExplainResult, name: string, source: string): ConvLayerReport {
  const fc = r.steps.find((s) => s.name === name);
  expect(fc?.kind, `${name} is analysed`).toBe('conv2d');
  const l = fc as ConvLayerReport;
  expect(l.source).toBe(source);
  expect(l.inputOrigin).toBe('chain');
  expect(l.geometry).toMatchObject({ linear: true, weightShape: [10, 256], inputShape: [1, 256], outputShape: [1, 10] });
  expect(l.fakeQuant.total).toBe(10);
  expect(l.combinations.filter((c) => c.refused === null).length).toBeGreaterThan(20);
  expect(l.requantization.length).toBeGreaterThan(10);
  expect(l.stored.bias).toEqual({ kind: expect.any(String), count: 10 });
  const step = r.steps.indexOf(fc!);
  expect(r.steps[step - 1]!.kind, 'a flatten feeds fc').toBe('flatten');
  return l;
}

/** The quantized outputs of each layer of the example as torch 1.13 computes them (qnnpack engine). */
function torchOutputs(): Record<string, number[]> {
  const py = `
import json, sys, numpy as np, torch
torch.backends.quantized.engine = 'qnnpack'
m = torch.jit.load('${DIR}/model.pt')
x = torch.from_numpy(np.load('${DIR}/input.npy'))
c1 = m.conv1(m.quant(x)); c2 = m.conv2(m.pool1(c1)); c3 = m.conv3(m.pool2(c2)); fc = m.fc(torch.flatten(c3, 1))
json.dump({k: v.int_repr().reshape(-1).tolist() for k, v in [('conv1', c1), ('conv2', c2), ('conv3', c3), ('fc', fc)]}, sys.stdout)`;
  const r = spawnSync(TORCH_PYTHON, ['-c', py], { encoding: 'utf8', timeout: 120_000 });
  expect(r.status, r.stderr).toBe(0);
  return JSON.parse(r.stdout) as Record<string, number[]>;
}

describe('linear layers in qconform explain', () => {
  it('torch: fc (QuantizedLinear) is analysed with its observers, and every layer through flatten equals torch', () => {
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readTorchModel(`${DIR}/model.pt`, `${DIR}/observers.pt`, 'qnnpack'), input, { seed: '1', outputs });
    const fc = expectAnalysedLinear(r, 'fc', 'torch QuantizedLinear');
    expect(fc.observer?.observer).toBe('HistogramObserver');
    expect(fc.weightObserver?.observer).toBe('MinMaxObserver');
    expect(fc.clamp.qconfig).toEqual({ quantMin: 0, quantMax: 127, from: 'observer' });
    expect(fc.requantization.find((q) => q.scheme === 'torch-qnnpack@1')!.params['bias_q (int32)']).toBe(-9706);
    const torch = torchOutputs();
    for (const name of ['conv1', 'conv2', 'conv3', 'fc']) expect(Array.from(outputs.get(name)!.data), name).toEqual(torch[name]);
    expect(new Set(torch['fc']).size, 'fc outputs are not all one value').toBeGreaterThan(3);
    expect(consoleTable(r)).toContain('fc  torch QuantizedLinear  w[10x256] (a 1x1 conv over the rows)  in [1x256]');
  }, 120_000);

  it('torch: a fused LinearReLU with per-channel weights on 2-d input, built here by torch, equals torch', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-linear-'));
    const py = `
import json, sys, numpy as np, torch, torch.nn as nn
sys.path.insert(0, '${process.cwd()}/conformance/backends/torch/python')
from explain_ops import observer_state
torch.manual_seed(7); torch.backends.quantized.engine = 'qnnpack'
Q = torch.ao.quantization
class M(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.fc = nn.Linear(12, 6); self.relu = nn.ReLU(); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        return self.dequant(self.relu(self.fc(self.quant(x))))
m = M().eval()
m.qconfig = Q.QConfig(activation=Q.MinMaxObserver.with_args(dtype=torch.quint8), weight=Q.default_per_channel_weight_observer)
Q.fuse_modules(m, [['fc', 'relu']], inplace=True)
p = Q.prepare(m)
for _ in range(4): p(torch.randn(8, 12))
torch.save(observer_state(p), '${dir}/obs.pt')
c = Q.convert(p)
torch.jit.save(torch.jit.script(c), '${dir}/m.pt')
x = torch.randn(4, 12) * 1.3
np.save('${dir}/x.npy', x.numpy().astype(np.float32))
json.dump(c.fc(c.quant(x)).int_repr().reshape(-1).tolist(), sys.stdout)`;
    writeFileSync(join(dir, 'build.py'), py); // torch.jit.script reads the class's source from a file
    const built = spawnSync(TORCH_PYTHON, [join(dir, 'build.py')], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
    const expected = JSON.parse(built.stdout) as number[];
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readTorchModel(join(dir, 'm.pt'), join(dir, 'obs.pt'), 'qnnpack'), readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs });
    const fc = r.steps[0] as ConvLayerReport;
    expect(fc).toMatchObject({ kind: 'conv2d', source: 'torch QuantizedLinearReLU', inputOrigin: 'chain', geometry: { linear: true, relu: true, weightShape: [6, 12], inputShape: [4, 12], outputShape: [4, 6] } });
    expect(fc.stored.weight.quantization).toBe('per_channel');
    expect(fc.weightObserver?.observer).toBe('PerChannelMinMaxObserver');
    expect(Array.from(outputs.get('fc')!.data)).toEqual(expected);
    expect(expected.filter((v) => v === 0).length, 'the ReLU clamps some outputs').toBeGreaterThan(0);
    expect(new Set(expected).size).toBeGreaterThan(5);
  }, 120_000);

  it('ONNX: the QDQ Gemm is analysed, its bias is torch\'s, and its outputs are what onnxruntime-node runs', async () => {
    const model = readOnnxModel(`${DIR}/model.onnx`);
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(model, input, { seed: '1', outputs });
    const fc = expectAnalysedLinear(r, '/fc/Gemm', 'QDQ Gemm');
    expect(fc.requantization.find((q) => q.scheme === 'onnxruntime@1')!.params['b (int32)']).toBe(-9706);
    const ort = await installedOrt();
    const session = await ort!.InferenceSession.create(`${DIR}/model.onnx`);
    const y = (await session.run({ x: new ort!.Tensor('float32', input.tensor.data, [...input.tensor.shape]) }))['y']!.data as Float32Array;
    // the model's output is fc's, dequantized: (q - zp) * scale in float32, exactly invertible for |q - zp| <= 255
    const q = Array.from(y, (v) => Math.round(v / Math.fround(fc.stored.y.scale)) + fc.stored.y.zeroPoint);
    expect(Array.from(outputs.get('/fc/Gemm')!.data)).toEqual(q);
  }, 120_000);

  it('QOperator QLinearMatMul with per-column int8 weights: read as a linear layer, the outputs ORT runs', async () => {
    const rng = new CaseRandom('explain-qlinear-matmul');
    const [rows, features, oc] = [3, 12, 5];
    const a = Array.from({ length: rows * features }, () => rng.int(0, 255));
    const b = Array.from({ length: features * oc }, () => rng.int(-20, 20)); // [F, OC]; small: no pair saturation on any CPU
    const bScale = Array.from({ length: oc }, () => Math.fround(0.001 + rng.int(1, 50) / 4000));
    const bytes = oneNodeModel({
      opType: 'QLinearMatMul',
      domain: '',
      opset: 13,
      inputs: [
        ['a', { elem: 'uint8', dims: [rows, features], values: a }],
        ['a_scale', { elem: 'float32', dims: [], values: [0.02] }],
        ['a_zero_point', { elem: 'uint8', dims: [], values: [128] }],
        ['b', { elem: 'int8', dims: [features, oc], values: b }],
        ['b_scale', { elem: 'float32', dims: [oc], values: bScale }],
        ['b_zero_point', { elem: 'int8', dims: [oc], values: new Array(oc).fill(0) }],
        ['y_scale', { elem: 'float32', dims: [], values: [0.05] }],
        ['y_zero_point', { elem: 'uint8', dims: [], values: [100] }],
      ],
      graphInputs: ['a'],
      output: { name: 'y', elem: 'uint8' },
    });
    const model = readOnnxModel('mem.onnx', bytes);
    const step = model.steps[0]!;
    if (step.kind !== 'conv2d') throw new Error(`not analysed: ${JSON.stringify(step)}`);
    expect(step).toMatchObject({ source: 'QLinearMatMul', linear: true, weightShape: [oc, features, 1, 1], weightQuantization: 'per_channel', bias: null });
    expect(step.weight[1 * features + 2]).toBe(b[2 * oc + 1]); // w[c=1, k=2] is B[k=2, c=1]
    // the graph input a is uint8, read by the layer itself: explain takes its integers (integer_input.ts)
    expect(model.rawInput).toEqual({ kind: 'integers', name: 'a', layer: step.name, x: step.x, through: [] });
    const explained: ExplainInput = { origin: 'file', description: 'a', tensor: f32Tensor([rows, features], a) };
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(model, explained, { seed: '1', outputs });
    expect((r.steps[0] as ConvLayerReport).inputOrigin).toBe('chain');
    const ort = await loadOrt();
    expect(ort).not.toBeNull();
    const session = await ort!.InferenceSession.create(bytes);
    const y = (await session.run({ a: new ort!.Tensor('uint8', Uint8Array.from(a), [rows, features]) }))['y']!.data as Uint8Array;
    expect(Array.from(outputs.get(step.name)!.data)).toEqual(Array.from(y));
    expect(new Set(y).size).toBeGreaterThan(3);
  }, 60_000);

  it('what is not modelled says precisely what', () => {
    const matmulInteger = oneNodeModel({
      opType: 'MatMulInteger',
      domain: '',
      opset: 13,
      inputs: [
        ['a', { elem: 'uint8', dims: [2, 4], values: new Array(8).fill(1) }],
        ['b', { elem: 'int8', dims: [4, 3], values: new Array(12).fill(1) }],
      ],
      graphInputs: ['a'],
      output: { name: 'y', elem: 'int32' },
    });
    expect(readOnnxModel('mi.onnx', matmulInteger).steps[0]).toMatchObject({ kind: 'not_modelled', reason: expect.stringMatching(/int32 output is not requantized/) });
    const small = (bElem: 'int8' | 'uint8', graphInputs: string[]) =>
      oneNodeModel({
        opType: 'QLinearMatMul',
        domain: '',
        opset: 13,
        inputs: [
          ['a', { elem: 'uint8', dims: [2, 4], values: new Array(8).fill(1) }],
          ['a_scale', { elem: 'float32', dims: [], values: [0.5] }],
          ['a_zero_point', { elem: 'uint8', dims: [], values: [0] }],
          ['b', { elem: bElem, dims: [4, 3], values: new Array(12).fill(1) }],
          ['b_scale', { elem: 'float32', dims: [], values: [0.5] }],
          ['b_zero_point', { elem: bElem, dims: [], values: [0] }],
          ['y_scale', { elem: 'float32', dims: [], values: [0.5] }],
          ['y_zero_point', { elem: 'uint8', dims: [], values: [0] }],
        ],
        graphInputs,
        output: { name: 'y', elem: 'uint8' },
      });
    expect(readOnnxModel('s8.onnx', small('int8', ['a'])).steps[0]!.kind).toBe('conv2d');
    expect(readOnnxModel('u8.onnx', small('uint8', ['a'])).steps[0]).toMatchObject({ kind: 'not_modelled', reason: 'uint8 weights are not modelled (int8 weights only)' });
    expect(readOnnxModel('aa.onnx', small('int8', ['a', 'b'])).steps[0]).toMatchObject({ kind: 'not_modelled', reason: expect.stringMatching(/B is not a constant/) });
  });
});
