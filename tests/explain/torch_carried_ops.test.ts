/**
 * What `qconform explain` carries through in a torch forward that gives the tensor's values as they are, or under
 * another shape. It stopped the chain at any tensor op it did not know: x.contiguous(), .clone() or .detach() before
 * the QuantStub made --input refused, and between layers made every later layer run on generated data (or be listed
 * as not modelled); so did x.reshape / x.view into a linear, and a torch.flatten whose result went through another op
 * or was taken in a container's forward (it was dropped, the linear ran on generated data). Measured on torch 1.13
 * (conformance/backends/torch/python/tensor_op_args.py): contiguous, clone and detach, nn.Identity, the quantized
 * Dropout convert() puts, and a float nn.Dropout in eval mode give the integers and qparams as they are; reshape, and
 * view of a contiguous tensor, give them in row-major order under the shape torch resolves (torch_reshape.ts). Models
 * built, converted and run here by real torch 1.13 on qnnpack and onednn, on a batch of 2; every analysed layer's
 * integers are compared with torch's, element by element. What torch does not give as it is stays listed as not
 * modelled: a view of a conv's (channels_last) output, which torch refuses; a reshape whose target explain cannot
 * resolve, or that torch refuses on the tensor it gets; a float nn.Dropout saved in training mode, and F.dropout training.
 * torch.dropout and F.dropout whose training flag is False (a constant, or self.training of a model in eval mode) give
 * the tensor as it is, as ATen's dropout returns its input when not training.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { consoleTable } from '../../conformance/explain/console_table.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readTorchModel } from '../../conformance/explain/torch_model.js';
import { type TorchEngineRun, buildTorchModels, explainBuiltModel } from '../support/torch_explain_models.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-torch-carried-ops-'));
const ENGINES = ['qnnpack', 'onednn'] as const;

let runs: Record<string, Record<string, TorchEngineRun>>;

/** Per model: the steps explain lists (conv2d steps with where their input came from). */
const CARRIED: Record<string, string[]> = {
  // the op before the QuantStub (floats), between the convs, and between the linears
  Contiguous: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'flatten flatten (before fc)', 'conv2d fc (chain)', 'conv2d fc2 (chain)'],
  Clone: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'flatten flatten (before fc)', 'conv2d fc (chain)', 'conv2d fc2 (chain)'],
  Detach: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'flatten flatten (before fc)', 'conv2d fc (chain)', 'conv2d fc2 (chain)'],
  IdentityModule: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'flatten flatten (before fc)', 'conv2d fc (chain)', 'conv2d fc2 (chain)'],
  QuantizedDropout: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'flatten flatten (before fc)', 'conv2d fc (chain)', 'conv2d fc2 (chain)'],
  FloatDropoutEval: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'flatten flatten (before fc)', 'conv2d fc (chain)', 'conv2d fc2 (chain)'],
  // F.dropout(training=False) before the QuantStub, torch.dropout(train=False) between the convs, F.dropout(training=self.training) after fc
  FunctionalDropoutEval: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'flatten flatten (before fc)', 'conv2d fc (chain)', 'conv2d fc2 (chain)'],
  // conv -> reshape / view -> linear
  ReshapeSize: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'reshape aten::reshape #1 (after conv2)', 'conv2d fc (chain)', 'conv2d fc2 (chain)'],
  ReshapeShapeItem: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'reshape aten::reshape #1 (after conv2)', 'conv2d fc (chain)', 'conv2d fc2 (chain)'],
  ReshapeConstant: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'reshape aten::reshape #1 (after conv2)', 'conv2d fc (chain)', 'conv2d fc2 (chain)'],
  ViewOfContiguous: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'reshape aten::view #2 (after aten::contiguous #1 (after conv2))', 'conv2d fc (chain)', 'conv2d fc2 (chain)'],
  // a view of a quantized linear's output, and of torch.flatten(x, 1) (both contiguous in torch 1.13)
  ViewOfLinear: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'flatten flatten (before fc)', 'conv2d fc (chain)', 'reshape aten::view #1 (after fc)', 'conv2d fc2 (chain)'],
  ViewOfLinearReLU: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'flatten flatten (before fc)', 'conv2d fc (chain)', 'reshape aten::view #1 (after relu)', 'conv2d fc2 (chain)'],
  ViewOfFlatten: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'flatten aten::flatten #1 (after conv2)', 'reshape aten::view #2 (after aten::flatten #1 (after conv2))', 'conv2d fc (chain)', 'conv2d fc2 (chain)'],
  // a torch.flatten whose result goes through another op, and one in a container's forward
  FlattenThenContiguous: ['conv2d conv1 (chain)', 'conv2d conv2 (chain)', 'flatten aten::flatten #1 (after conv2)', 'conv2d fc (chain)', 'conv2d fc2 (chain)'],
  FlattenInBlock: ['conv2d conv1 (chain)', 'conv2d head.conv (chain)', 'flatten aten::flatten #1 (after head.conv)', 'conv2d head.fc (chain)'],
  // DeQuantStub -> contiguous -> QuantStub: still a requantization to the stub's qparams
  StubsAroundContiguous: ['conv2d conv1 (chain)', 'stub_requantize q2', 'conv2d conv2 (chain)', 'flatten flatten (before fc)', 'conv2d fc (chain)', 'conv2d fc2 (chain)'],
};
const LAYERS = ['conv1', 'conv2', 'fc', 'fc2', 'head.conv', 'head.fc'];
/** The models explain also runs on onednn (whose convs, like qnnpack's, give channels_last tensors); on every model torch's integers are checked on both engines against the model without the op (Plain). */
const ON_ONEDNN = ['Contiguous', 'ReshapeSize', 'ViewOfContiguous', 'ViewOfLinear', 'ViewOfLinearReLU', 'ViewOfFlatten', 'FlattenThenContiguous'];
/** The models with Plain's layers, weights and qparams (the op aside). */
const PLAIN_TWINS = Object.keys(CARRIED).filter((name) => !['FlattenInBlock', 'StubsAroundContiguous', 'ViewOfLinearReLU'].includes(name));

function build(): void {
  runs = buildTorchModels(
    dir,
    `
class Base(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.conv1 = nn.Conv2d(3, 4, 3, padding=1); self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.fc = nn.Linear(4 * 8 * 8, 6); self.fc2 = nn.Linear(6, 5); self.dequant = Q.DeQuantStub()
class Plain(Base):
    def forward(self, x):
        return self.dequant(self.fc2(self.fc(torch.flatten(self.conv2(self.conv1(self.quant(x))), 1))))
class Contiguous(Base):
    def forward(self, x):
        x = self.conv1(self.quant(x.contiguous())).contiguous()
        return self.dequant(self.fc2(self.fc(torch.flatten(self.conv2(x), 1)).contiguous()))
class Clone(Base):
    def forward(self, x):
        x = self.conv1(self.quant(x.clone())).clone()
        return self.dequant(self.fc2(self.fc(torch.flatten(self.conv2(x), 1)).clone()))
class Detach(Base):
    def forward(self, x):
        x = self.conv1(self.quant(x.detach())).detach()
        return self.dequant(self.fc2(self.fc(torch.flatten(self.conv2(x), 1)).detach()))
class IdentityModule(Base):
    def __init__(self):
        super().__init__(); self.same0 = nn.Identity(); self.same1 = nn.Identity(); self.same2 = nn.Identity()
    def forward(self, x):
        x = self.same1(self.conv1(self.quant(self.same0(x))))
        return self.dequant(self.fc2(self.same2(self.fc(torch.flatten(self.conv2(x), 1)))))
class QuantizedDropout(Base):
    def __init__(self):
        super().__init__(); self.drop0 = nn.Dropout(0.5); self.drop1 = nn.Dropout(0.5); self.drop2 = nn.Dropout(0.2)  # another p: another (mangled) TorchScript type
    def forward(self, x):
        x = self.drop1(self.conv1(self.quant(self.drop0(x))))
        return self.dequant(self.fc2(self.drop2(self.fc(torch.flatten(self.conv2(x), 1)))))
class FloatDropoutEval(QuantizedDropout):
    """the same, its Dropouts kept float (no qconfig), in eval mode"""
class FunctionalDropoutEval(Base):
    def forward(self, x):
        x = torch.dropout(self.conv1(self.quant(F.dropout(x, 0.5, training=False))), 0.3, False)
        return self.dequant(self.fc2(F.dropout(self.fc(torch.flatten(self.conv2(x), 1)), p=0.2, training=self.training)))
class FunctionalDropoutTrain(Base):
    def forward(self, x):
        return self.dequant(self.fc2(self.fc(torch.flatten(self.conv2(self.conv1(self.quant(F.dropout(x, 0.5, True)))), 1))))
class ReshapeSize(Base):
    def forward(self, x):
        x = self.conv2(self.conv1(self.quant(x)))
        x = x.reshape(x.size(0), -1)
        return self.dequant(self.fc2(self.fc(x)))
class ReshapeShapeItem(Base):
    def forward(self, x):
        x = self.conv2(self.conv1(self.quant(x)))
        x = x.reshape(x.shape[0], -1)
        return self.dequant(self.fc2(self.fc(x)))
class ReshapeConstant(Base):
    def forward(self, x):
        return self.dequant(self.fc2(self.fc(self.conv2(self.conv1(self.quant(x))).reshape(-1, 4 * 8 * 8))))
class ViewOfContiguous(Base):
    def forward(self, x):
        x = self.conv2(self.conv1(self.quant(x))).contiguous()
        return self.dequant(self.fc2(self.fc(x.view(x.size(0), -1))))
class ViewOfLinear(Base):
    def forward(self, x):
        x = self.fc(torch.flatten(self.conv2(self.conv1(self.quant(x))), 1))
        return self.dequant(self.fc2(x.view(x.size(0), 6)))
class ViewOfLinearReLU(Base):
    """fc and relu fused into a LinearReLU (relu becomes an nn.Identity)"""
    def __init__(self):
        super().__init__(); self.relu = nn.ReLU()
    def forward(self, x):
        x = self.relu(self.fc(torch.flatten(self.conv2(self.conv1(self.quant(x))), 1)))
        return self.dequant(self.fc2(x.view(x.size(0), 6)))
class ViewOfFlatten(Base):
    def forward(self, x):
        x = torch.flatten(self.conv2(self.conv1(self.quant(x))), 1)
        return self.dequant(self.fc2(self.fc(x.view(-1, 4 * 8 * 8))))
class FlattenThenContiguous(Base):
    def forward(self, x):
        x = self.conv2(self.conv1(self.quant(x)))
        return self.dequant(self.fc2(self.fc(torch.flatten(x, 1).contiguous())))
class Head(nn.Module):
    def __init__(self):
        super().__init__(); self.conv = nn.Conv2d(4, 4, 3, padding=1); self.fc = nn.Linear(4 * 8 * 8, 6)
    def forward(self, x):
        return self.fc(torch.flatten(self.conv(x), 1))
class FlattenInBlock(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.conv1 = nn.Conv2d(3, 4, 3, padding=1); self.head = Head(); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        return self.dequant(self.head(self.conv1(self.quant(x))))
class StubsAroundContiguous(Base):
    def __init__(self):
        super().__init__(); self.dq = Q.DeQuantStub(); self.q2 = Q.QuantStub()
    def forward(self, x):
        x = self.q2(self.dq(self.conv1(self.quant(x))).contiguous())
        return self.dequant(self.fc2(self.fc(torch.flatten(self.conv2(x), 1))))
class ViewOfConv(Base):
    def forward(self, x):
        x = self.conv2(self.conv1(self.quant(x)))
        return self.dequant(self.fc2(self.fc(x.view(x.size(0), -1))))
class ReshapeOtherTensor(Base):
    def forward(self, x):
        y = self.conv1(self.quant(x))
        return self.dequant(self.fc2(self.fc(self.conv2(y).reshape(y.size(0), -1))))
class ReshapeFixedBatch(Base):
    """runs on the calibration batch of 4, not on the input's 2"""
    def forward(self, x):
        return self.dequant(self.fc2(self.fc(self.conv2(self.conv1(self.quant(x))).reshape(4, 4 * 8 * 8))))
runs = {}
for cls in (Plain, Contiguous, Clone, Detach, IdentityModule, QuantizedDropout, FloatDropoutEval, FunctionalDropoutEval, FunctionalDropoutTrain, ReshapeSize, ReshapeShapeItem, ReshapeConstant,
            ViewOfContiguous, ViewOfLinear, ViewOfLinearReLU, ViewOfFlatten, FlattenThenContiguous, FlattenInBlock, StubsAroundContiguous, ViewOfConv, ReshapeOtherTensor, ReshapeFixedBatch):
    torch.manual_seed(7)
    m = cls().eval(); m.qconfig = Q.get_default_qconfig('qnnpack')
    if cls is FloatDropoutEval:
        for d in (m.drop0, m.drop1, m.drop2): d.qconfig = None
    if cls is ViewOfLinearReLU:
        m = Q.fuse_modules(m, [['fc', 'relu']])
    if cls is StubsAroundContiguous:
        m.q2.qconfig = Q.QConfig(activation=Q.MinMaxObserver.with_args(quant_min=0, quant_max=127), weight=Q.default_weight_observer)
    runs[cls.__name__] = calibrate_and_run(cls.__name__, m, ${JSON.stringify(LAYERS)}, shape=(2, 3, 8, 8))
# what the Dropouts are in the saved models: convert() swaps nn.Dropout for the quantized one unless its qconfig is None
runs['dropout_types'] = {name: [[d._c._type().qualified_name(), d.training] for d in (s.drop0, s.drop1, s.drop2)] for name, s in ((n, torch.jit.load(f'{DIR}/{n}.pt')) for n in ('QuantizedDropout', 'FloatDropoutEval'))}
# the float Dropouts saved in training mode: on the floats before the QuantStub they zero elements at random
s = torch.jit.load(f'{DIR}/FloatDropoutEval.pt'); s.train(); torch.jit.save(s, f'{DIR}/FloatDropoutTrain.pt')
x = torch.from_numpy(np.load(f'{DIR}/FloatDropoutEval.npy'))
torch.manual_seed(1)
runs['FloatDropoutTrain'] = {'drop0_changes_values': bool(not torch.equal(s.drop0(x), x))}
save_result(runs)`,
  );
}

const explainRuns = new Map<string, ReturnType<typeof explainBuiltModel>>();
/** explain's run of model `name` on `engine` (each model read once per engine: a torch process each). */
function explained(name: string, engine: string): ReturnType<typeof explainBuiltModel> {
  const key = `${name} ${engine}`;
  if (!explainRuns.has(key)) explainRuns.set(key, explainBuiltModel(dir, name, engine));
  return explainRuns.get(key)!;
}

const torchLayers = (name: string, engine: string) => (runs[name]![engine] as { layers: Record<string, number[]> }).layers;

const stepList = (steps: ReturnType<typeof explainBuiltModel>['r']['steps']) => steps.map((s) => `${s.kind} ${s.name}${s.kind === 'conv2d' ? ` (${s.inputOrigin})` : ''}`);

beforeAll(build, 300_000);

describe('explain carries the torch ops that give the tensor as it is, or under another shape', () => {
  it.each(ENGINES)("torch (%s) gives each model's layers the integers of the model without the op", (engine) => {
    for (const name of PLAIN_TWINS) {
      for (const layer of ['conv1', 'conv2', 'fc', 'fc2']) expect(torchLayers(name, engine)[layer], `${name} ${layer} on ${engine}: the same as Plain's`).toEqual(torchLayers('Plain', engine)[layer]);
    }
  });

  it.each([...Object.keys(CARRIED).map((name) => [name, 'qnnpack'] as const), ...ON_ONEDNN.map((name) => [name, 'onednn'] as const)])('%s (%s): every layer is torch\'s, on the input file', (name, engine) => {
    const torch = runs[name]![engine]!;
    expect(torch, `torch ran ${name} on ${engine}`).toHaveProperty('layers');
    const { layers, scriptedAgrees } = torch as { layers: Record<string, number[]>; scriptedAgrees: boolean };
    expect(scriptedAgrees, `the saved ${name}.pt loaded on ${engine} gives the converted model's result`).toBe(true);
    const { r, outputs } = explained(name, engine);
    expect(stepList(r.steps)).toEqual(CARRIED[name]);
    expect(r.input.shape, 'the --input file ran').toEqual([2, 3, 8, 8]);
    for (const layer of r.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d')) {
      const replay = `replay: model ${name} (torch seed 7), engine ${engine}, layer ${layer.name}: explain vs torch (npx vitest run tests/explain/torch_carried_ops.test.ts -t '${name} \\(${engine}\\)')`;
      expect(Array.from(outputs.get(layer.name)!.data), replay).toEqual(layers[layer.name]);
      expect(new Set(layers[layer.name]).size, `${name} ${layer.name}'s outputs are not all one value`).toBeGreaterThan(3);
    }
  }, 120_000);

  it('a note names the ops and Dropouts carried as they are (an nn.Identity, as fusion leaves, is no news); the Dropouts were what the models say', () => {
    expect(explained('Contiguous', 'qnnpack').r.model.notes).toContain('carried through as they are (values and qparams unchanged in torch 1.13): aten::contiguous #1, aten::contiguous #2 (after conv1), aten::contiguous #3 (after fc)');
    expect(explained('IdentityModule', 'qnnpack').r.model.notes.join('\n')).not.toContain('carried through');
    const quantized = ['__torch__.torch.ao.nn.quantized.modules.dropout.Dropout', true];
    const floatEval = ['__torch__.torch.nn.modules.dropout.Dropout', false];
    // (convert() makes the quantized Dropout in training mode: it gives its input whatever the mode)
    const types = runs.dropout_types as unknown as Record<string, [string, boolean][]>;
    expect(types.FloatDropoutEval![2]![0], 'drop2 (another p) has a mangled type name').toMatch(/___torch_mangle_\d+\.Dropout$/);
    const unmangled = Object.fromEntries(Object.entries(types).map(([k, v]) => [k, v.map(([name, training]) => [name.replace(/\.___torch_mangle_\d+/, ''), training])]));
    expect(unmangled).toEqual({ QuantizedDropout: [quantized, quantized, quantized], FloatDropoutEval: [floatEval, floatEval, floatEval] });
    expect(explained('FloatDropoutEval', 'qnnpack').r.model.notes).toContain('carried through as they are (values and qparams unchanged in torch 1.13): drop0, drop1, drop2');
    expect(explained('FunctionalDropoutEval', 'qnnpack').r.model.notes).toContain('carried through as they are (values and qparams unchanged in torch 1.13): torch.nn.functional.dropout #1, aten::dropout #2 (after conv1), torch.nn.functional.dropout #3 (after fc)');
  }, 120_000);

  it('a reshape is shown with its target and the shape it gave', () => {
    const { r } = explained('ReshapeSize', 'qnnpack');
    expect(r.steps[2]).toEqual({ kind: 'reshape', name: 'aten::reshape #1 (after conv2)', opType: 'aten::reshape', target: '[x.size(0), -1]', shape: [2, 256] });
    expect(consoleTable(r)).toContain('aten::reshape #1 (after conv2)  aten::reshape to [x.size(0), -1] = [2, 256]: the same values in row-major order (carried exactly on the integers)');
  }, 120_000);
});

describe('explain still stops the chain where torch does not give the tensor as it is', () => {
  const stepsOf = (name: string) => explained(name, 'qnnpack').r.steps;

  it.each(ENGINES)("a view of a conv's output (%s): torch refuses it (channels_last), explain lists it as not modelled", (engine) => {
    expect((runs.ViewOfConv![engine] as { error: string }).error).toMatch(/^view size is not compatible with input tensor's size and stride/);
    const steps = stepsOf('ViewOfConv');
    expect(steps[2]).toMatchObject({ kind: 'not_modelled', name: 'aten::view #1 (after conv2)', opType: 'aten::view' });
    expect((steps[2] as { reason: string }).reason).toContain('view size is not compatible with input tensor\'s size and stride');
    // fc's input qparams are unknown after it; fc's output has the qparams fc stores, so fc2 is analysed on generated data of them
    expect(stepList(steps).slice(3)).toEqual(['not_modelled fc', 'conv2d fc2 (generated)']);
  }, 120_000);

  it("a reshape to another tensor's x.size(0): torch runs it, explain cannot resolve the target and lists it as not modelled", () => {
    expect(runs.ReshapeOtherTensor!.qnnpack).toHaveProperty('layers');
    expect(stepsOf('ReshapeOtherTensor')[2]).toEqual({ kind: 'not_modelled', name: 'aten::reshape #1 (after conv2)', opType: 'aten::reshape', reason: 'aten::reshape to [?, -1] is not modelled: a dim (?) the forward computes otherwise than as a constant or x.size(d) of the tensor reshaped' });
  }, 120_000);

  it.each(ENGINES)('a reshape torch refuses on the input (%s): not modelled, with torch\'s message', (engine) => {
    const torch = (runs.ReshapeFixedBatch![engine] as { error: string }).error;
    expect(torch).toBe("shape '[4, 256]' is invalid for input of size 512");
    expect(stepsOf('ReshapeFixedBatch')[2]).toEqual({ kind: 'not_modelled', name: 'aten::reshape #1 (after conv2)', opType: 'aten::reshape', reason: `torch refuses it on the chain's [2x4x8x8] tensor: ${torch}` });
  }, 120_000);

  it('F.dropout(x, training=True): not modelled, and an --input it would take first is refused', () => {
    const model = readTorchModel(join(dir, 'FunctionalDropoutTrain.pt'), undefined, 'qnnpack');
    expect(model.steps[0]).toEqual({ kind: 'not_modelled', name: 'torch.nn.functional.dropout #1', opType: 'torch.nn.functional.dropout', reason: 'torch.nn.functional.dropout with training=True zeroes elements at random: not modelled (with training=False, or self.training in eval mode, it gives its input as it is)' });
    expect(() => explainModel(model, readInputTensor(join(dir, 'FunctionalDropoutTrain.npy')), { seed: '1' })).toThrow(/does not take this input: it reaches torch.nn.functional.dropout #1/);
  }, 120_000);

  it('a float nn.Dropout saved in training mode: not modelled, and an --input it would take first is refused', () => {
    expect(runs.FloatDropoutTrain).toEqual({ drop0_changes_values: true });
    const model = readTorchModel(join(dir, 'FloatDropoutTrain.pt'), undefined, 'qnnpack');
    expect(model.steps[0]).toEqual({ kind: 'not_modelled', name: 'drop0', opType: 'Dropout', reason: 'a float nn.Dropout saved in training mode is not modelled: it zeroes elements at random (on a quantized tensor torch 1.13 fails); save the model after .eval()' });
    expect(() => explainModel(model, readInputTensor(join(dir, 'FloatDropoutEval.npy')), { seed: '1' })).toThrow(/does not take this input: it reaches drop0/);
  }, 120_000);
});
