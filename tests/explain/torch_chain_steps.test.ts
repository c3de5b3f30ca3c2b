/**
 * What `qconform explain` carries between the layers of a TorchScript model. It skipped an nn.ReLU module and never saw
 * F.relu / torch.relu (no module call), so the next conv was fed the unclamped integers (most of its outputs differed
 * from torch's); and it skipped a DeQuantStub -> QuantStub pair, feeding the next conv the previous layer's integers
 * in that layer's qparams while showing the QuantStub's. Now a ReLU on a quantized tensor is max(q, zero point) with the
 * qparams kept (quantized_relu.ts), a DeQuantStub straight into a QuantStub is quantize_per_tensor(dequantize(q)) at
 * the stub's qparams (stub_requantize.ts), and a float op between the stubs (x * 3.0) is listed as not modelled: the
 * layer after it runs on generated data of its own qparams, labelled, and is not counted in the fake-quant summary.
 * Models built here by real torch 1.13 (/usr/bin/python3), converted and run on qnnpack and on onednn; every analysed
 * layer's integers (and the ReLU's and the stub's) are compared with torch's, element by element. The invariant of
 * explain_run.ts: a torch layer (or ReLU, or stub) whose input qparams are not its producer's output qparams is never
 * fed the producer's integers.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleTable } from '../../conformance/explain/console_table.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import type { ConvLayer, ExplainModel } from '../../conformance/explain/model_types.js';
import { readTorchModel } from '../../conformance/explain/torch_model.js';
import type { IntTensor } from '../../contract/tensor.js';
import { type TorchEngineRun, buildTorchModels, explainBuiltModel } from '../support/torch_explain_models.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-torch-chain-'));
const ENGINES = ['qnnpack', 'onednn'] as const;

/** Per model and engine: the integers of each hooked module (NCHW, flattened). */
let runs: Record<string, Record<string, TorchEngineRun>>;

function build(): void {
  runs = buildTorchModels(
    dir,
    `
def conv(i, o): return nn.Conv2d(i, o, 3, padding=1)
class ModuleRelu(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.conv1 = conv(3, 8); self.relu1 = nn.ReLU(); self.conv2 = conv(8, 4); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        return self.dequant(self.conv2(self.relu1(self.conv1(self.quant(x)))))
class FunctionalRelu(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.conv1 = conv(3, 8); self.conv2 = conv(8, 8); self.conv3 = conv(8, 4); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        x = F.relu(self.conv1(self.quant(x)))
        x = torch.relu_(self.conv2(x))
        return self.dequant(self.conv3(x))
class Requant(nn.Module):
    """conv1 -> DeQuantStub -> QuantStub (its own observer, range [0, 127]) -> conv2"""
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.conv1 = conv(3, 8); self.dq = Q.DeQuantStub(); self.q2 = Q.QuantStub(); self.conv2 = conv(8, 4); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        return self.dequant(self.conv2(self.q2(self.dq(self.conv1(self.quant(x))))))
class FloatBetween(Requant):
    """the same with a float op between the stubs"""
    def forward(self, x):
        return self.dequant(self.conv2(self.q2(self.dq(self.conv1(self.quant(x))) * 3.0)))
HOOKED = ['quant', 'conv1', 'relu1', 'conv2', 'conv3', 'q2']
runs = {}
for cls in (ModuleRelu, FunctionalRelu, Requant, FloatBetween):
    torch.manual_seed(7)
    m = cls().eval(); m.qconfig = Q.get_default_qconfig('qnnpack')
    if hasattr(m, 'q2'): m.q2.qconfig = Q.QConfig(activation=Q.MinMaxObserver.with_args(quant_min=0, quant_max=127), weight=Q.default_weight_observer)
    runs[cls.__name__] = calibrate_and_run(cls.__name__, m, HOOKED)
save_result(runs)`,
  );
}

/** explain's run of model `name` on its input, loaded on `engine`, with each carried step's integers. */
const explained = (name: string, engine: string) => explainBuiltModel(dir, name, engine);

/** torch's integers of module `module` (model `name`, `engine`), from a run whose saved model gives torch's result. */
function torchLayer(name: string, engine: string, module: string): number[] {
  const run = runs[name]![engine]!;
  expect(run, `torch ran ${name} on ${engine}`).toHaveProperty('layers');
  expect((run as { scriptedAgrees: boolean }).scriptedAgrees, `the saved ${name}.pt loaded on ${engine} gives the converted model's result`).toBe(true);
  return (run as { layers: Record<string, number[]> }).layers[module]!;
}

const stepList = (r: ReturnType<typeof explainModel>) => r.steps.map((s) => `${s.kind} ${s.name}${s.kind === 'conv2d' ? ` (${s.inputOrigin})` : ''}`);

/** explain's integers of step `step` equal torch's of module `module` (model `name`, `engine`), and are not all one value. */
function expectTorch(outputs: Map<string, IntTensor>, name: string, engine: string, step: string, module = step): void {
  const torch = torchLayer(name, engine, module);
  expect(Array.from(outputs.get(step)?.data ?? []), `replay: model ${name} (seed 7), engine ${engine}, ${step}: explain vs torch`).toEqual(torch);
  expect(new Set(torch).size, `${name} ${module}'s outputs are not all one value`).toBeGreaterThan(3);
}

describe('explain carries what a torch forward does between its layers', () => {
  beforeAll(build, 240_000);

  it.each(ENGINES)('an nn.ReLU module between two convs (%s): a quantized ReLU (max(q, zero point)), and conv2 is torch\'s', (engine) => {
    const { r, outputs } = explained('ModuleRelu', engine);
    expect(stepList(r)).toEqual(['conv2d conv1 (chain)', 'relu relu1', 'conv2d conv2 (chain)']);
    const [conv1, conv2] = r.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d');
    expect(conv2!.stored.x, "conv2's input qparams are conv1's output qparams (the ReLU keeps them)").toEqual(conv1!.stored.y);
    expect(conv1!.stored.y.zeroPoint, 'conv1 is not fused with the ReLU: its zero point is inside its range').toBeGreaterThan(0);
    for (const step of ['conv1', 'relu1', 'conv2']) expectTorch(outputs, 'ModuleRelu', engine, step);
    expect(consoleTable(r)).toContain('relu1  relu on the quantized tensor: max(q, zero point), qparams kept (carried exactly on the integers)');
  }, 120_000);

  it.each(ENGINES)('F.relu and torch.relu_ in the forward (%s, no module call): each is a quantized ReLU, and every conv is torch\'s', (engine) => {
    const { r, outputs } = explained('FunctionalRelu', engine);
    expect(stepList(r)).toEqual(['conv2d conv1 (chain)', 'relu torch.nn.functional.relu #1 (after conv1)', 'conv2d conv2 (chain)', 'relu aten::relu_ #2 (after conv2)', 'conv2d conv3 (chain)']);
    for (const step of ['conv1', 'conv2', 'conv3']) expectTorch(outputs, 'FunctionalRelu', engine, step);
  }, 120_000);

  it.each(ENGINES)('DeQuantStub -> QuantStub with its own observer (%s): requantized to the stub\'s qparams, and conv2 is torch\'s', (engine) => {
    const { r, outputs } = explained('Requant', engine);
    expect(stepList(r)).toEqual(['conv2d conv1 (chain)', 'stub_requantize q2', 'conv2d conv2 (chain)']);
    const [conv1, conv2] = r.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d');
    expect(conv2!.stored.x, 'the stub has its own qparams').not.toEqual(conv1!.stored.y);
    for (const [step, module] of [['conv1', 'conv1'], ['q2', 'q2'], ['conv2', 'conv2']] as const) expectTorch(outputs, 'Requant', engine, step, module);
    expect(conv2!.fakeQuant.chainedDiffering, "the fake-quant model's own chain reaches conv2").not.toBeNull();
  }, 120_000);

  it.each(ENGINES)('a float op between the stubs (%s, x * 3.0): not modelled; conv2 runs on generated data of its own qparams and is left out of the fake-quant summary', (engine) => {
    const { r, outputs } = explained('FloatBetween', engine);
    expect(stepList(r)).toEqual(['conv2d conv1 (chain)', 'not_modelled aten::mul #1 (after dq)', 'conv2d conv2 (generated)']);
    expect(r.steps[1]).toMatchObject({ opType: 'aten::mul', reason: 'aten::mul (a tensor op of the forward, no module) is not modelled' });
    expectTorch(outputs, 'FloatBetween', engine, 'conv1');
    const conv2 = r.steps[2] as ConvLayerReport;
    const q2 = torchLayer('FloatBetween', engine, 'q2');
    expect(conv2.stored.x.dtype).toBe('quint8');
    expect(conv2.fakeQuant.chainedDiffering).toBeNull();
    expect(r.fakeQuantPartsAt?.layer).not.toBe('conv2');
    expect(consoleTable(r)).toContain('(GENERATED input: the chain stopped before)');
    // torch's q2 output exists (the op ran in torch); explain does not claim to know it
    expect(q2.length).toBe(8 * 64);
    expect(outputs.has('q2')).toBe(false);
  }, 120_000);

  it('the invariant: a layer (torch or ONNX) whose input qparams are not its producer\'s runs on generated data, labelled', () => {
    const model = readTorchModel(join(dir, 'ModuleRelu.pt'), undefined, 'qnnpack');
    const input = readInputTensor(join(dir, 'ModuleRelu.npy'));
    const conv2 = model.steps[2] as ConvLayer;
    const other = { ...conv2.x, scale: conv2.x.scale * 2 };
    const run = (m: ExplainModel) => explainModel(m, input, { seed: '1' }).steps.map((s) => (s.kind === 'conv2d' ? `${s.name} ${s.inputOrigin}` : s.name));
    expect(run(model)).toEqual(['conv1 chain', 'relu1', 'conv2 chain']);
    // conv2 stores other input qparams than conv1's output (and the ReLU's): not fed conv1's integers
    expect(run({ ...model, steps: [model.steps[0]!, model.steps[1]!, { ...conv2, x: other }] })).toEqual(['conv1 chain', 'relu1', 'conv2 generated']);
    // the ReLU takes other qparams than conv1 gave: the chain stops there
    const relu = model.steps[1]!;
    expect(run({ ...model, steps: [model.steps[0]!, { ...relu, x: other } as typeof relu, conv2] })).toEqual(['conv1 chain', 'relu1', 'conv2 generated']);
    // ... also before the first layer: the user's input would reach no layer it is read by, refused (input_reach.ts)
    expect(() => run({ ...model, steps: [{ ...relu, x: other } as typeof relu, conv2] })).toThrow(/does not take this input: .*relu1.*not the qparams of the integers the chain holds/);
    // the same layers read as ONNX layers: ORT would feed the bare integers, but explain cannot tell that conv2 reads
    // conv1's output (it chains steps in node order): generated data, labelled (explain_run.ts, the ONNX tests in
    // between_layers.test.ts)
    const asOnnx = (l: ConvLayer): ConvLayer => ({ ...l, framework: 'onnx' });
    expect(run({ ...model, steps: [asOnnx(model.steps[0] as ConvLayer), asOnnx({ ...conv2, x: other })] })).toEqual(['conv1 chain', 'conv2 generated']);
  }, 120_000);
});
