/**
 * `qconform explain` on a TorchScript model chains its layers in the order the forward calls them, not in the order
 * __init__ defines them (explain_ops.py forward_call_order). Before, a model defining conv2 before conv1 but running
 * conv1 -> conv2 had conv2 analysed on the QuantStub's qparams instead of conv1's output, exit 0: every number printed
 * for it was wrong. The model is built and run here by real torch 1.13 (qnnpack); explain's chain must give torch's
 * own int8 outputs for every layer, and a layer the forward never calls is left out.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import type { IntTensor } from '../../contract/tensor.js';
import type { ConvLayer } from '../../conformance/explain/model_types.js';

function buildSwappedModel(dir: string): Record<string, number[]> {
  const py = `
import json, sys, numpy as np, torch, torch.nn as nn
torch.manual_seed(3); torch.backends.quantized.engine = 'qnnpack'
Q = torch.ao.quantization
class Block(nn.Module):
    def __init__(self):
        super().__init__(); self.second = nn.Conv2d(4, 4, 1); self.first = nn.Conv2d(4, 4, 3, padding=1)
    def forward(self, x):
        return self.second(self.first(x))
class M(nn.Module):
    def __init__(self):
        super().__init__()
        self.quant = Q.QuantStub()
        self.conv2 = nn.Conv2d(4, 4, 3, padding=1)
        self.unused = nn.Conv2d(4, 4, 1)
        self.body = nn.Sequential(Block())
        self.conv1 = nn.Conv2d(3, 4, 3, padding=1)
        self.dequant = Q.DeQuantStub()
    def forward(self, x):
        return self.dequant(self.body(self.conv2(self.conv1(self.quant(x)))))
m = M().eval()
m.qconfig = Q.get_default_qconfig('qnnpack')
p = Q.prepare(m)
for _ in range(4): p(torch.randn(2, 3, 8, 8))
c = Q.convert(p)
torch.jit.save(torch.jit.script(c), '${dir}/m.pt')
x = torch.randn(1, 3, 8, 8)
np.save('${dir}/x.npy', x.numpy().astype(np.float32))
q = c.quant(x); y1 = c.conv1(q); y2 = c.conv2(y1); f = c.body[0].first(y2); s = c.body[0].second(f)
json.dump({k: v.int_repr().reshape(-1).tolist() for k, v in {'conv1': y1, 'conv2': y2, 'body.0.first': f, 'body.0.second': s}.items()}, sys.stdout)`;
  writeFileSync(join(dir, 'build.py'), py); // torch.jit.script reads the classes' source from a file
  const built = spawnSync(TORCH_PYTHON, [join(dir, 'build.py')], { encoding: 'utf8', timeout: 120_000 });
  expect(built.status, built.stderr).toBe(0);
  return JSON.parse(built.stdout) as Record<string, number[]>;
}

describe('explain on TorchScript follows the forward', () => {
  it('layers defined out of order, one nested in a Sequential, one never called: the chain is the forward, every output is torch\'s', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-forward-order-'));
    const torch = buildSwappedModel(dir);
    const outputs = new Map<string, IntTensor>();
    // torch ran it on qnnpack: explain loads it on qnnpack too (the default engine here is onednn, whose integers differ)
    const r = explainModel(readTorchModel(join(dir, 'm.pt'), undefined, 'qnnpack'), readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs });
    const convs = r.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d');
    expect(convs.map((s) => s.name)).toEqual(['conv1', 'conv2', 'body.0.first', 'body.0.second']);
    expect(convs[1]!.stored.x, "conv2's input qparams are conv1's output qparams").toEqual(convs[0]!.stored.y);
    for (const name of ['conv1', 'conv2', 'body.0.first', 'body.0.second']) {
      expect(Array.from(outputs.get(name)!.data), name).toEqual(torch[name]);
      expect(new Set(torch[name]).size, `${name}'s outputs are not all one value`).toBeGreaterThan(3);
    }
  }, 120_000);

  it('a helper method, a residual add, a Sequential classifier after flatten, a ModuleList loop, an if and a fork: each chain is what the forward does, or stops where it cannot be modelled', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-forward-shapes-'));
    const py = `
import torch, torch.nn as nn
torch.manual_seed(3); torch.backends.quantized.engine = 'qnnpack'
Q = torch.ao.quantization
def conv(i, o): return nn.Conv2d(i, o, 3, padding=1)
class Helper(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.conv1 = conv(3, 4); self.conv2 = conv(4, 4); self.dequant = Q.DeQuantStub()
    def body(self, x):
        return self.conv2(self.conv1(x))
    def forward(self, x):
        return self.dequant(self.body(self.quant(x)))
class Residual(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.conv1 = conv(3, 4); self.conv2 = conv(4, 4); self.conv3 = conv(4, 4)
        self.skip = nn.quantized.FloatFunctional(); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        a = self.conv1(self.quant(x))
        return self.dequant(self.conv3(self.skip.add(a, self.conv2(a))))
class Classifier(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.features = nn.Sequential(conv(3, 4)); self.classifier = nn.Sequential(nn.Linear(4 * 8 * 8, 5)); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        return self.dequant(self.classifier(torch.flatten(self.features(self.quant(x)), 1)))
class Loop(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.layers = nn.ModuleList([conv(3, 4), conv(4, 4)]); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        x = self.quant(x)
        for l in self.layers:
            x = l(x)
        return self.dequant(x)
class Branch(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.a = conv(3, 4); self.b = conv(3, 4); self.c = conv(4, 4); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        x = self.quant(x)
        if x.size(0) > 1:
            x = self.a(x)
        else:
            x = self.b(x)
        return self.dequant(self.c(x))
class Fork(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.conv1 = conv(3, 4); self.conv2 = conv(4, 4); self.conv3 = conv(4, 4); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        a = self.conv1(self.quant(x))
        b = self.conv2(a)
        d = self.conv3(a)
        return self.dequant(b), d.dequantize()
class Downsample(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.conv1 = nn.Conv2d(3, 4, 3, stride=2, padding=1); self.conv2 = conv(4, 4)
        self.downsample = nn.Conv2d(3, 4, 1, stride=2); self.skip = nn.quantized.FloatFunctional(); self.conv3 = conv(4, 4); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        x = self.quant(x)
        out = self.conv2(self.conv1(x))
        return self.dequant(self.conv3(self.skip.add_relu(out, self.downsample(x))))
class Inverted(nn.Module):
    """torchvision's QuantizableInvertedResidual: the if's condition is a bool attribute, fixed per block"""
    def __init__(self, res):
        super().__init__(); self.use_res_connect = res; self.conv = conv(4, 4); self.skip_add = nn.quantized.FloatFunctional()
    def forward(self, x):
        if self.use_res_connect:
            return self.skip_add.add(x, self.conv(x))
        else:
            return self.conv(x)
class Static(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.stem = conv(3, 4); self.blocks = nn.Sequential(Inverted(False), Inverted(True), Inverted(False))
        self.fc = nn.Linear(4, 3); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        x = self.blocks(self.stem(self.quant(x)))
        return self.dequant(self.fc(torch.flatten(nn.functional.adaptive_avg_pool2d(x, (1, 1)), 1)))
built = {}
for cls in (Helper, Residual, Classifier, Loop, Branch, Fork, Downsample, Static):
    m = cls().eval(); m.qconfig = Q.get_default_qconfig('qnnpack')
    p = Q.prepare(m); p(torch.randn(2, 3, 8, 8)); c = Q.convert(p)
    torch.jit.save(torch.jit.script(c), f'${dir}/{cls.__name__}.pt')
    built[cls.__name__] = c
import json, sys, numpy as np
x = torch.randn(1, 3, 8, 8)
np.save(f'${dir}/x.npy', x.numpy())
c = built['Downsample']
q = c.quant(x); y1 = c.conv1(q); y2 = c.conv2(y1); d = c.downsample(q); added = c.skip.add_relu(y2, d); y3 = c.conv3(added)
s = built['Static']
stem = s.stem(s.quant(x)); b0 = s.blocks[0].conv(stem); b1 = s.blocks[1].conv(b0)
pooled = nn.functional.adaptive_avg_pool2d(s.blocks(stem), (1, 1)); sk = s.blocks[1](b0); b2 = s.blocks[2].conv(sk); fcv = s.fc(torch.flatten(pooled, 1))
ints = {k: v.int_repr().reshape(-1).tolist() for k, v in {'conv1': y1, 'conv2': y2, 'downsample': d, 'skip': added, 'conv3': y3, 'stem': stem, 'blocks.0.conv': b0, 'blocks.1.conv': b1, 'blocks.1.skip_add': sk, 'blocks.2.conv': b2, 'fc': fcv}.items()}
json.dump({**ints, 'pooled': [pooled.q_scale(), pooled.q_zero_point()]}, sys.stdout)`;
    writeFileSync(join(dir, 'build.py'), py);
    const built = spawnSync(TORCH_PYTHON, [join(dir, 'build.py')], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
    const steps = (model: string) =>
      readTorchModel(join(dir, `${model}.pt`)).steps.map((s) => (s.kind === 'conv2d' ? s.name : s.kind === 'not_modelled' ? `not modelled: ${s.name}` : `${s.kind}: ${s.name}`));
    expect(steps('Helper')).toEqual(['conv1', 'conv2']);
    // read on torch's default engine (onednn), the add is quantized::add (qadd_kernel): a step; conv3's input qparams
    // are the add's output qparams (tests/explain/torch_residual_add.test.ts runs such adds against torch)
    expect(steps('Residual')).toEqual(['conv1', 'conv2', 'quantized_add: skip', 'conv3']);
    const residual = readTorchModel(join(dir, 'Residual.pt')).steps;
    const [conv2, conv3] = [residual[1] as ConvLayer, residual[3] as ConvLayer];
    expect(conv3.x).not.toEqual(conv2.y);
    expect(conv3.x).toEqual(JSON.parse(spawnSync(TORCH_PYTHON, ['-c', `import torch, json; m = torch.jit.load('${dir}/Residual.pt'); print(json.dumps({'scale': float(m.skip.scale), 'zeroPoint': int(m.skip.zero_point), 'dtype': 'quint8'}))`], { encoding: 'utf8' }).stdout));
    expect(steps('Classifier')).toEqual(['features.0', 'flatten: flatten (before classifier.0)', 'classifier.0']);
    expect(steps('Loop')).toEqual(['layers.0', 'layers.1']);
    // both branches of the if are layers of the forward, never one after the other: the chain stops at the if; a and b
    // read the QuantStub's output, so each runs on generated data of its qparams (b reads another tensor than a's
    // output: another branch); c reads the if's result, which no step gave: not modelled
    expect(steps('Branch')).toEqual(['not modelled: control flow prim::If', 'a', 'b', 'not modelled: c']);
    const branchModel = readTorchModel(join(dir, 'Branch.pt'));
    for (const k of [1, 2]) expect((branchModel.steps[k] as ConvLayer).x).toEqual(branchModel.input);
    expect((branchModel.steps[3] as { reason: string }).reason).toMatch(/^it reads a tensor no step before it gave, not the output of the step before it/);
    // conv3 reads conv1's output, not conv2's: it was analysed on conv2's integers in conv2's output qparams (a silent
    // wrong answer); it is another branch (explain_ops.py in_forward_order), analysed on generated data of conv1's output
    // qparams; the dequant of b (after conv3) and d's dequantize (after the dequant of b), other branches too, are listed
    expect(steps('Fork')).toEqual(['conv1', 'conv2', 'conv3', 'not modelled: dequant', 'not modelled: aten::dequantize #1 (after dequant)']);
    const fork = readTorchModel(join(dir, 'Fork.pt'));
    const [conv1, forkConv3] = [fork.steps[0] as ConvLayer, fork.steps[2] as ConvLayer];
    expect(forkConv3.x, "conv3 reads conv1's output: its qparams").toEqual(conv1.y);
    expect(forkConv3.x).not.toEqual((fork.steps[1] as ConvLayer).y);
    expect(forkConv3.otherBranch).toEqual({ readsOutputOf: 'conv1', because: 'reads the output of conv1, not the output of the step before it: another branch of the forward' });
    expect((fork.steps[3] as { reason: string }).reason).toMatch(/^it reads the output of conv2, not the output of the step before it/);
    // a residual block's downsample reads the block's input (the QuantStub's output): analysed on generated data of
    // the stub's qparams, never on conv2's integers; conv3 reads the add's output (on the qnnpack engine below the add is
    // QNNPACK's, qnnpack_add@1, and the chain goes on through it)
    expect(steps('Downsample')).toEqual(['conv1', 'conv2', 'downsample', 'quantized_add: skip', 'conv3']);
    const downsampleModel = readTorchModel(join(dir, 'Downsample.pt'));
    const downsample = downsampleModel.steps[2] as ConvLayer;
    expect(downsample.x).toEqual(downsampleModel.input);
    expect(downsample.x).not.toEqual((downsampleModel.steps[1] as ConvLayer).y);
    expect(downsample.otherBranch).toEqual({ readsOutputOf: null, because: "reads the model's quantized input (quant's output), not the output of the step before it: another branch of the forward" });
    // on the input the model quantized (the 8x8 one, not the chain's 4x4 tensor: conv1 has stride 2), as torch runs it
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readTorchModel(join(dir, 'Downsample.pt'), undefined, 'qnnpack'), readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs });
    const reports = r.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d');
    expect(reports.map((s) => [s.name, s.inputOrigin])).toEqual([['conv1', 'chain'], ['conv2', 'chain'], ['downsample', 'chain'], ['conv3', 'chain']]);
    expect(reports[2]!.geometry.inputShape).toEqual([1, 3, 8, 8]);
    expect(reports[2]!.otherBranch).toBe("it reads the model's quantized input (quant's output), not the output of the step before it: another branch of the forward");
    const torch = JSON.parse(built.stdout) as Record<string, number[]>;
    for (const name of ['conv1', 'conv2', 'downsample', 'skip', 'conv3']) {
      expect(Array.from(outputs.get(name)!.data), name).toEqual(torch[name]);
      expect(new Set(torch[name]).size, `${name}'s outputs are not all one value`).toBeGreaterThan(3);
    }
    // an if on a bool attribute (torchvision's MobileNetV2 blocks: \`if self.use_res_connect:\`) is the block it picks:
    // once it stopped the chain (control flow) and every layer after it was not modelled
    // and F.adaptive_avg_pool2d (MobileNetV2's tail) is a step that keeps its input's qparams in torch: the linear after it reads them
    expect(steps('Static')).toEqual(['stem', 'blocks.0.conv', 'blocks.1.conv', 'quantized_add: blocks.1.skip_add', 'blocks.2.conv', 'adaptive_avg_pool2d: torch.nn.functional.adaptive_avg_pool2d #1 (after blocks.2.conv)', 'flatten: flatten (before fc)', 'fc']);
    const staticModel = readTorchModel(join(dir, 'Static.pt'));
    const fc = staticModel.steps.at(-1) as ConvLayer;
    const [pooledScale, pooledZeroPoint] = torch['pooled']!;
    expect([Math.fround(fc.x.scale), fc.x.zeroPoint]).toEqual([Math.fround(pooledScale!), pooledZeroPoint]);
    expect(fc.x).toEqual((staticModel.steps[4] as ConvLayer).y);
    const staticOutputs = new Map<string, IntTensor>();
    const s = explainModel(readTorchModel(join(dir, 'Static.pt'), undefined, 'qnnpack'), readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs: staticOutputs });
    expect(s.steps.filter((l): l is ConvLayerReport => l.kind === 'conv2d').map((l) => [l.name, l.inputOrigin])).toEqual([['stem', 'chain'], ['blocks.0.conv', 'chain'], ['blocks.1.conv', 'chain'], ['blocks.2.conv', 'chain'], ['fc', 'chain']]);
    // on the qnnpack engine the block's add and the pool are QNNPACK's (qnnpack_add@1, qnnpack_avg_pool2d@1): the chain reaches fc
    for (const name of ['stem', 'blocks.0.conv', 'blocks.1.conv', 'blocks.1.skip_add', 'blocks.2.conv', 'fc']) {
      expect(Array.from(staticOutputs.get(name)!.data), name).toEqual(torch[name]);
      // (fc has 3 outputs)
      expect(new Set(torch[name]).size, `${name}'s outputs are not all one value`).toBeGreaterThan(Math.min(3, torch[name]!.length - 1));
    }
  }, 120_000);
});

