/**
 * `qconform explain` on a model converted by FX graph mode (prepare_fx / convert_fx), scripted and saved. convert_fx
 * writes no QuantStub module: its forward quantizes the input with torch.quantize_per_tensor(x, self.<scale buffer>,
 * self.<zero point buffer>, dtype) and ends with Tensor.dequantize(). explain refused such a model's --input ("no
 * Quantize stub before its first layer"); it now takes the quantize as the input's qparams (tensor_op_args.py
 * _quantize_args) and the dequantize as a DeQuantStub; an op of another namespace (quantized::add) stops the chain;
 * observer_state reads prepare_fx's observer modules by the layer
 * each observes. Built, converted and run here by real torch 1.13, on qnnpack and onednn, on a batch of 2: every
 * layer's integers, computed by explain from the input file, equal torch's.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { carriedStepText } from '../../conformance/explain/console_table.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readTorchModel } from '../../conformance/explain/torch_model.js';
import type { IntTensor } from '../../contract/tensor.js';
import { type TorchEngineRun, buildTorchModels } from '../support/torch_explain_models.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-torch-fx-'));
const ENGINES = ['qnnpack', 'onednn'] as const;
let runs: Record<string, TorchEngineRun>;

beforeAll(() => {
  runs = buildTorchModels(
    dir,
    `
from torch.ao.quantization.quantize_fx import prepare_fx, convert_fx
class Net(nn.Module):
    def __init__(self):
        super().__init__(); self.c1 = nn.Conv2d(3, 4, 3, padding=1); self.relu = nn.ReLU(); self.c2 = nn.Conv2d(4, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 8 * 8, 6); self.fc2 = nn.Linear(6, 5)
    def forward(self, x):
        return self.fc2(self.fc(torch.flatten(self.c2(self.relu(self.c1(x))), 1)))
class Residual(nn.Module):
    def __init__(self):
        super().__init__(); self.c1 = nn.Conv2d(3, 4, 3, padding=1); self.c2 = nn.Conv2d(4, 4, 3, padding=1); self.c3 = nn.Conv2d(4, 4, 3, padding=1)
        self.pool = nn.AdaptiveAvgPool2d(1); self.fc = nn.Linear(4, 3)
    def forward(self, x):
        x = self.c1(x)
        return self.fc(torch.flatten(self.pool(self.c3(torch.relu(x + self.c2(x)))), 1))
runs = {}
torch.backends.quantized.engine = 'qnnpack'
torch.manual_seed(7)
p = prepare_fx(Residual().eval(), Q.get_default_qconfig_mapping('qnnpack'), example_inputs=(torch.randn(1, 3, 8, 8),))
p(torch.randn(4, 3, 8, 8))
c = convert_fx(p)
torch.jit.save(torch.jit.script(c), f'{DIR}/fx_residual.pt')
np.save(f'{DIR}/fx_residual.npy', (torch.randn(1, 3, 8, 8) * 4.0).numpy().astype(np.float32))
runs['residual_code'] = c.code
# the qparams of what c3 (after the add) and fc (after the pool) read, in torch
read = {}
for layer in ('c3', 'fc'):
    getattr(c, layer).register_forward_pre_hook(lambda mod, i, layer=layer: read.__setitem__(layer, [i[0].q_scale(), i[0].q_zero_point()]))
c(torch.randn(1, 3, 8, 8))
runs['residual_reads'] = read
class Pooled(nn.Module):
    def __init__(self):
        super().__init__(); self.c1 = nn.Conv2d(3, 4, 3, padding=1); self.pool = nn.AvgPool2d(3, stride=2, padding=1); self.c2 = nn.Conv2d(4, 4, 3, padding=1)
    def forward(self, x):
        return self.c2(self.pool(self.c1(x)))
torch.manual_seed(7)
p = prepare_fx(Pooled().eval(), Q.get_default_qconfig_mapping('qnnpack'), example_inputs=(torch.randn(1, 3, 8, 8),))
p(torch.randn(4, 3, 8, 8))
c = convert_fx(p)
torch.jit.save(torch.jit.script(c), f'{DIR}/fx_pooled.pt')
read = {}
c.c2.register_forward_pre_hook(lambda mod, i: read.__setitem__('c2', [i[0].q_scale(), i[0].q_zero_point()]))
c(torch.randn(1, 3, 8, 8))
runs['pooled_reads'] = read
for engine in ${JSON.stringify(ENGINES)}:
    torch.backends.quantized.engine = engine
    torch.manual_seed(7)
    p = prepare_fx(Net().eval(), Q.get_default_qconfig_mapping(engine), example_inputs=(torch.randn(1, 3, 8, 8),))
    for _ in range(6): p(torch.randn(4, 3, 8, 8))
    torch.save(observer_state(p), f'{DIR}/fx_{engine}_obs.pt')
    observers = {name: [o['activation']['quant_min'], o['activation']['quant_max'], o['activation']['observer'], o['weight']['observer']] for name, o in observer_state(p).items()}
    c = convert_fx(p)
    x = torch.randn(2, 3, 8, 8) * 4.0
    np.save(f'{DIR}/fx_{engine}.npy', x.numpy().astype(np.float32))
    torch.jit.save(torch.jit.script(c), f'{DIR}/fx_{engine}.pt')  # before the hooks (TorchScript would compile them)
    seen = {}
    for layer in ('c1', 'c2', 'fc', 'fc2'):
        getattr(c, layer).register_forward_hook(lambda mod, i, o, layer=layer: seen.__setitem__(layer, o.int_repr().reshape(-1).tolist()))
    final = c(x)
    runs[engine] = {'layers': seen, 'scriptedAgrees': bool(torch.equal(final, torch.jit.load(f'{DIR}/fx_{engine}.pt')(x))), 'code': c.code, 'observers': observers}
save_result(runs)`,
  );
}, 300_000);

describe('explain on an FX graph mode model (convert_fx, scripted)', () => {
  it.each(ENGINES)('(%s) the forward quantizes with torch.quantize_per_tensor and dequantizes with Tensor.dequantize, no stub modules', (engine) => {
    const code = (runs[engine] as unknown as { code: string }).code;
    expect(code).toMatch(/torch\.quantize_per_tensor\(x, \w+, \w+, torch\.quint8\)/);
    expect(code).toMatch(/\.dequantize\(\)/);
  });

  it.each(ENGINES)('(%s) takes the input file through every layer, each equal to torch\'s', (engine) => {
    const torch = runs[engine]!;
    expect(torch, `torch ran the FX model on ${engine}`).toHaveProperty('layers');
    const { layers, scriptedAgrees } = torch as { layers: Record<string, number[]>; scriptedAgrees: boolean };
    expect(scriptedAgrees, 'the saved model gives the converted model\'s result').toBe(true);
    const outputs = new Map<string, IntTensor>();
    const model = readTorchModel(join(dir, `fx_${engine}.pt`), join(dir, `fx_${engine}_obs.pt`), engine);
    const r = explainModel(model, readInputTensor(join(dir, `fx_${engine}.npy`)), { seed: '1', outputs });
    expect(r.steps.map((s) => `${s.kind} ${s.name}${s.kind === 'conv2d' ? ` (${s.inputOrigin})` : ''}`)).toEqual(['conv2d c1 (chain)', 'conv2d c2 (chain)', 'flatten flatten (before fc)', 'conv2d fc (chain)', 'conv2d fc2 (chain)']);
    expect(r.input.shape).toEqual([2, 3, 8, 8]);
    expect(r.steps.find((s) => s.kind === 'flatten'), 'the chain\'s integers go through the flatten').not.toHaveProperty('idle');
    const layerReports = r.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d');
    expect(layerReports).toHaveLength(4);
    for (const layer of layerReports) {
      const replay = `replay: FX model (torch seed 7), engine ${engine}, layer ${layer.name}: explain vs torch (npx vitest run tests/explain/torch_fx_models.test.ts -t '${engine}')`;
      expect(Array.from(outputs.get(layer.name)!.data), replay).toEqual(layers[layer.name]);
      expect(new Set(layers[layer.name]).size, `${layer.name}'s outputs are not all one value`).toBeGreaterThan(3);
    }
  }, 120_000);

  it("the quantized::add_relu convert_fx writes for a residual `+` and relu, and the AdaptiveAvgPool2d, run on the integers as the qnnpack engine's (QNNPACK's add and pool); the layer after each reads their output's qparams (the add's arguments, the pool's input's), as torch's do", () => {
    const { residual_code: code, residual_reads: reads } = runs as unknown as { residual_code: string; residual_reads: Record<'c3' | 'fc', [number, number]> };
    expect(code).toMatch(/torch\.ops\.quantized\.add_relu\(/);
    const model = readTorchModel(join(dir, 'fx_residual.pt'), undefined, 'qnnpack');
    const r = explainModel(model, readInputTensor(join(dir, 'fx_residual.npy')), { seed: '1' });
    // the add was once skipped unseen (the next conv ran on the integers from before it, with their qparams), then it
    // stopped the chain with c3 and fc not modelled, then c3 and fc were analysed on generated data; now the qnnpack
    // engine's add and pool run on the integers (qnnpack_add@1, qnnpack_avg_pool2d@1) and the chain reaches fc
    expect(r.steps.map((s) => `${s.kind} ${s.name}${s.kind === 'conv2d' ? ` (${s.inputOrigin})` : ''}`)).toEqual(['conv2d c1 (chain)', 'conv2d c2 (chain)', 'quantized_add quantized::add_relu #2 (after c2)', 'conv2d c3 (chain)', 'adaptive_avg_pool2d pool', 'flatten flatten (before fc)', 'conv2d fc (chain)']);
    const layers = Object.fromEntries(r.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d').map((s) => [s.name, s]));
    for (const name of ['c3', 'fc'] as const) {
      const x = layers[name]!.stored.x;
      expect([Math.fround(x.scale), x.zeroPoint, x.dtype], `${name}'s input qparams: explain vs torch`).toEqual([Math.fround(reads[name][0]), reads[name][1], 'quint8']);
    }
    // the flatten after the pool carries the pool's integers
    const flatten = r.steps.find((s) => s.kind === 'flatten')!;
    expect(flatten).not.toHaveProperty('idle');
    expect(carriedStepText(flatten as Parameters<typeof carriedStepText>[0])).toBe('flatten (carried exactly on the integers)');
    // not vacuous: the add's output qparams are not c2's, and the pool's are c3's output's
    expect(layers.c3!.stored.x).not.toEqual(layers.c2!.stored.y);
    expect(layers.fc!.stored.x).toEqual(layers.c3!.stored.y);
  }, 120_000);

  it('an nn.AvgPool2d (kernel 3, stride 2, padding 1) on the quantized tensor runs as the qnnpack engine\'s (QNNPACK\'s pool); the layer after it reads the pool\'s input\'s qparams, as torch\'s does', () => {
    const { pooled_reads: reads } = runs as unknown as { pooled_reads: Record<'c2', [number, number]> };
    const r = explainModel(readTorchModel(join(dir, 'fx_pooled.pt'), undefined, 'qnnpack'), readInputTensor(join(dir, 'fx_residual.npy')), { seed: '1' });
    expect(r.steps.map((s) => `${s.kind} ${s.name}${s.kind === 'conv2d' ? ` (${s.inputOrigin})` : ''}`)).toEqual(['conv2d c1 (chain)', 'avg_pool2d pool', 'conv2d c2 (chain)']);
    const [c1, c2] = r.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d');
    expect([Math.fround(c2!.stored.x.scale), c2!.stored.x.zeroPoint, c2!.stored.x.dtype], "c2's input qparams: explain vs torch").toEqual([Math.fround(reads.c2[0]), reads.c2[1], 'quint8']);
    expect(c2!.stored.x, "the pool keeps c1's output qparams").toEqual(c1!.stored.y);
  }, 120_000);

  it.each(ENGINES)("(%s) observer_state reads prepare_fx's observers by the layers' names: explain shows each layer's qconfig range and min_val/max_val", (engine) => {
    const observers = (runs[engine] as unknown as { observers: Record<string, [number, number, string, string]> }).observers;
    // both engines' default qconfigs in torch 1.13 observe activations without reduce_range (0..255), weights per tensor
    // (qnnpack) or per channel (onednn); `from: 'observer'` says the range is the observer's, not the dtype's stand-in
    const range = [0, 255];
    expect(Object.keys(observers).sort()).toEqual(['c1', 'c2', 'fc', 'fc2']);
    for (const o of Object.values(observers)) expect(o).toEqual([...range, 'HistogramObserver', engine === 'qnnpack' ? 'MinMaxObserver' : 'PerChannelMinMaxObserver']);
    const model = readTorchModel(join(dir, `fx_${engine}.pt`), join(dir, `fx_${engine}_obs.pt`), engine);
    const r = explainModel(model, readInputTensor(join(dir, `fx_${engine}.npy`)), { seed: '1' });
    for (const layer of r.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d')) {
      expect(layer.observer, `${layer.name}'s observer`).not.toBeNull();
      expect([layer.clamp.qconfig.quantMin, layer.clamp.qconfig.quantMax, layer.clamp.qconfig.from], layer.name).toEqual([...range, 'observer']);
      expect(layer.weightObserver, `${layer.name}'s weight observer`).not.toBeNull();
    }
  }, 120_000);
});
