/**
 * `qconform explain` on a TorchScript model analyses each layer against the kernel torch runs it with: on the quantized
 * engine the model is loaded under (--engine, else torch's default; torch.jit.load prepacks the layers for that engine),
 * quint8 layers on torch-qnnpack@1 or torch-onednn@1, qint8 layers on qnnpack through XNNPACK (xnnpack-fp32@1). Explain
 * used to name torch-qnnpack@1 for every model while torch here runs onednn by default (its per-layer numbers were not
 * torch's: a conv of the quint8 model below differs between the engines), and refused qint8 models ("torch-qnnpack@1
 * takes quint8 activations") that torch runs. Models built here by real torch 1.13 (/usr/bin/python3), converted and run
 * on each engine; every analysed layer's integers are compared with torch's, element by element.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainCommand } from '../../conformance/explain/explain_command.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { generatedInput } from '../../conformance/explain/input_tensor.js';
import { torchEngineProblem } from '../../conformance/explain/torch_engine.js';
import { readTorchModel } from '../../conformance/explain/torch_model.js';
import type { IntTensor } from '../../contract/tensor.js';
import { type TorchEngineRun, buildTorchModels, explainBuiltModel } from '../support/torch_explain_models.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-torch-engines-'));

/** Per model and engine: each quantized module's integers (NCHW, flattened), or torch's error when it refused the model. */
let runs: Record<string, Record<string, TorchEngineRun>>;
let defaultEngine: string;

const LAYERS = ['conv1', 'conv2', 'fc'];

function build(): void {
  ({ default: defaultEngine, runs } = buildTorchModels<{ default: string; runs: typeof runs }>(
    dir,
    `
default_engine = torch.backends.quantized.engine
LAYERS = ['conv1', 'conv2', 'fc']
class M(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.conv1 = nn.Conv2d(3, 8, 3, padding=1); self.relu1 = nn.ReLU()
        self.conv2 = nn.Conv2d(8, 8, 3, padding=1); self.fc = nn.Linear(8 * 8 * 8, 6); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        return self.dequant(self.fc(torch.flatten(F.relu(self.conv2(self.relu1(self.conv1(self.quant(x))))), 1)))
pc_sym = Q.PerChannelMinMaxObserver.with_args(dtype=torch.qint8, qscheme=torch.per_channel_symmetric, quant_min=-64, quant_max=63)
MODELS = {
    # quint8, quant range [0, 63]: conv2 differs between qnnpack and onednn on this input
    'u8': dict(act=Q.MinMaxObserver.with_args(quant_min=0, quant_max=63), weight=pc_sym),
    # qint8 activations, symmetric weights (per tensor; conv2 per channel)
    'i8': dict(act=Q.MinMaxObserver.with_args(dtype=torch.qint8), weight=Q.default_weight_observer, conv2=pc_sym),
    # qint8 with a per-channel linear, which torch refuses on qnnpack (XNNPACK)
    'i8_fc_per_channel': dict(act=Q.MinMaxObserver.with_args(dtype=torch.qint8), weight=Q.default_weight_observer, fc=Q.default_per_channel_weight_observer),
    # qint8 with per-tensor affine weights on conv1, which torch fails to run on qnnpack (XNNPACK)
    'i8_affine': dict(act=Q.MinMaxObserver.with_args(dtype=torch.qint8), weight=Q.default_weight_observer, conv1=Q.MinMaxObserver.with_args(dtype=torch.qint8, qscheme=torch.per_tensor_affine)),
    # qint8 with per-channel affine weights on conv1, which torch runs on qnnpack as if their zero points were 0
    'i8_pc_affine': dict(act=Q.MinMaxObserver.with_args(dtype=torch.qint8), weight=Q.default_weight_observer, conv1=Q.PerChannelMinMaxObserver.with_args(dtype=torch.qint8, qscheme=torch.per_channel_affine)),
}
runs = {}
for name, cfg in MODELS.items():
    torch.manual_seed(7)
    m = M().eval()
    if name.startswith('i8_') and 'affine' in name:
        m.conv1.weight.data = m.conv1.weight.data.abs() + 0.05  # all positive: affine zero points far from 0
    m.qconfig = Q.QConfig(activation=cfg['act'], weight=cfg['weight'])
    for layer in LAYERS:
        if layer in cfg: getattr(m, layer).qconfig = Q.QConfig(activation=cfg['act'], weight=cfg[layer])
    Q.fuse_modules(m, [['conv1', 'relu1']], inplace=True)
    runs[name] = calibrate_and_run(name, m, LAYERS)
save_result({'default': default_engine, 'runs': runs})`,
  ));
}

/** explain's run of model `name` on its input, loaded on `engine` (torch's default when undefined), with each layer's integers. */
const explained = (name: string, engine: string | undefined) => explainBuiltModel(dir, name, engine);

const layersOf = (run: TorchEngineRun) => (run as { layers: Record<string, number[]> }).layers;

/** Every analysed layer of explain's run equals torch's on that engine; returns how many outputs the layers have. */
function expectTorchLayers(name: string, engine: string, outputs: Map<string, IntTensor>): number {
  const torch = runs[name]![engine]!;
  expect(torch, `torch ran ${name} on ${engine}`).toHaveProperty('layers');
  expect((torch as { scriptedAgrees: boolean }).scriptedAgrees, `the saved ${name}.pt loaded on ${engine} gives the converted model's result`).toBe(true);
  let total = 0;
  for (const layer of LAYERS) {
    expect(Array.from(outputs.get(layer)!.data), `replay: model ${name} (seed 7), engine ${engine}, layer ${layer}: explain vs torch`).toEqual(layersOf(torch)[layer]);
    total += layersOf(torch)[layer]!.length;
  }
  return total;
}

describe('explain analyses a torch model on the engine torch runs it with', () => {
  beforeAll(build, 240_000);

  it('the two engines give different integers for the quint8 model (else the engine would not show)', () => {
    const [q, o] = [layersOf(runs.u8!.qnnpack!), layersOf(runs.u8!.onednn!)];
    const differing = LAYERS.reduce((n, l) => n + q[l]!.filter((v, i) => v !== o[l]![i]).length, 0);
    expect(differing).toBeGreaterThan(0);
  });

  it.each([['qnnpack', 'torch-qnnpack@1'], ['onednn', 'torch-onednn@1']])('quint8, --engine %s: every layer runs %s and equals torch on that engine', (engine, scheme) => {
    const { r, outputs } = explained('u8', engine);
    expect(r.model.nativeScheme).toBe(scheme);
    expect(r.model.notes.join('\n')).toContain(`quantized engine ${engine} (--engine): ${scheme} for its layers`);
    for (const s of r.steps) if (s.kind === 'conv2d') expect(s.baseline, s.name).toBe(`${scheme} x int32_wrap`);
    expect(expectTorchLayers('u8', engine, outputs)).toBe(8 * 64 * 2 + 6);
  }, 120_000);

  it("quint8, no --engine: torch's default engine here, named in the header, and its integers", () => {
    const { r, outputs } = explained('u8', undefined);
    const scheme = { qnnpack: 'torch-qnnpack@1', onednn: 'torch-onednn@1' }[defaultEngine];
    expect(scheme, `torch's default engine ${defaultEngine} is one explain models`).toBeDefined();
    expect(r.model.nativeScheme).toBe(scheme);
    expect(r.model.notes.join('\n')).toContain(`quantized engine ${defaultEngine} (torch's default here; --engine picks another)`);
    expectTorchLayers('u8', defaultEngine, outputs);
  }, 120_000);

  it('qint8 activations, --engine qnnpack: torch runs them through XNNPACK, and explain on xnnpack-fp32@1 gives its integers', () => {
    const { r, outputs } = explained('i8', 'qnnpack');
    expect(r.model.nativeScheme).toBe('xnnpack-fp32@1');
    expect(r.steps.map((s) => s.kind)).toEqual(['conv2d', 'conv2d', 'relu', 'flatten', 'conv2d']);
    const layers = r.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d');
    expect(layers.map((l) => [l.name, l.inputOrigin, l.baseline, l.stored.x.dtype])).toEqual(LAYERS.map((l) => [l, 'chain', 'xnnpack-fp32@1 x int32_wrap', 'qint8']));
    // fc's input went through F.relu on qint8 (torch's qrelu kernel: max(q, zero point))
    expectTorchLayers('i8', 'qnnpack', outputs);
    expect(new Set(outputs.get('conv2')!.data).size, 'conv2 (per-channel weights) gives many values').toBeGreaterThan(20);
    expect(layers[1]!.stored.y.zeroPoint, "conv2's zero point is above qint8's lowest: the ReLU clamps something").toBeGreaterThan(-128);
  }, 120_000);

  it("qint8 activations on onednn: refused with torch's own message", () => {
    const torch = runs.i8!.onednn as { error: string };
    expect(torch.error).toBe('quantized::conv2d_relu (ONEDNN): data type of input should be QUint8.');
    expect(() => readTorchModel(join(dir, 'i8.pt'), undefined, 'onednn')).toThrow(`on the onednn engine, conv1 (QuantizedConvReLU2d): torch 1.13's onednn engine refuses its qint8 activations ("${torch.error}"); the qnnpack engine runs them through XNNPACK (--engine qnnpack)`);
  }, 120_000);

  it("qint8 with a per-channel linear (qnnpack): refused with torch's message", () => {
    const torch = runs.i8_fc_per_channel!.qnnpack as { error: string };
    expect(torch.error).toBe('quantized::linear (xnnpack): Unsupported config for dtype KQInt8');
    expect(() => readTorchModel(join(dir, 'i8_fc_per_channel.pt'), undefined, 'qnnpack')).toThrow(`fc (QuantizedLinear): torch 1.13 refuses a qint8 linear with per-channel weights ("${torch.error}")`);
  }, 120_000);

  it('qint8 with per-tensor affine weights (qnnpack): torch fails with an empty message, and the model is refused', () => {
    expect(runs.i8_affine!.qnnpack).toEqual({ error: '' });
    expect(() => readTorchModel(join(dir, 'i8_affine.pt'), undefined, 'qnnpack')).toThrow(/conv1 \(QuantizedConvReLU2d\): torch 1\.13 fails to run it \(a RuntimeError with an empty message\).*the weight zero point is -\d+/);
  }, 120_000);

  it('qint8 with per-channel affine weights (qnnpack): torch runs them as if their zero points were 0; conv1 is not modelled and conv2 runs on generated data', () => {
    expect(runs.i8_pc_affine!.qnnpack).toHaveProperty('layers');
    // no --input: the first layer is not modelled, so an input file would be refused (input_reach.ts)
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readTorchModel(join(dir, 'i8_pc_affine.pt'), undefined, 'qnnpack'), generatedInput([1, 3, 8, 8], '1'), { seed: '1', outputs });
    expect(r.steps[0]).toMatchObject({ kind: 'not_modelled', name: 'conv1' });
    expect((r.steps[0] as { reason: string }).reason).toContain('as if its weight zero points');
    expect(r.steps[1]).toMatchObject({ kind: 'conv2d', name: 'conv2', inputOrigin: 'generated' });
    expect(outputs.has('conv1')).toBe(false);
  }, 120_000);

  it('an engine this torch does not have, or --engine on an ONNX model: exit 2 with the reason', () => {
    expect(() => readTorchModel(join(dir, 'u8.pt'), undefined, 'fbgemm')).toThrow(/--engine 'fbgemm': this torch 1\.13\.\S+ has the quantized engines qnnpack, onednn/);
    expect(explainCommand(join(dir, 'u8.pt'), { seed: '1', engine: 'fbgemm' }), 'replay: npx tsx conformance/cli/main.ts explain u8.pt --engine fbgemm').toBe(2);
    expect(explainCommand('examples/quantized_cnn/model.onnx', { seed: '1', engine: 'qnnpack' }), 'replay: npx tsx conformance/cli/main.ts explain examples/quantized_cnn/model.onnx --engine qnnpack').toBe(2);
  }, 120_000);

  it('onednn on AVX-512 without VNNI (kernels not modelled) is refused, on AVX2 or SSE4.1 taken (torch_onednn_without_vnni.test.ts); qnnpack is taken on any CPU', () => {
    expect(torchEngineProblem('onednn', ['sse4_1', 'avx2', 'avx512f'])).toContain('--engine qnnpack');
    expect(torchEngineProblem('onednn', ['sse4_1', 'avx2'])).toBeNull();
    expect(torchEngineProblem('onednn', ['avx2', 'avx512f', 'avx512_vnni'])).toBeNull();
    expect(torchEngineProblem('qnnpack', ['sse4_1'])).toBeNull();
    expect(torchEngineProblem('fbgemm', ['avx2'])).toContain('models qnnpack and onednn');
  });
});
