/**
 * TorchScript models `qconform explain` used to misread (a probe's findings): a model saved with torch.jit.trace
 * (its Quantize keeps no dtype attribute and its Linear no scale or zero point: they are constants of its forward)
 * failed with "'RecursiveScriptModule' object has no attribute 'dtype'"; and a NaN or infinite output scale, bias or
 * weight scale made the adapter print bare NaN, reported as "the torch adapter printed no JSON". Now a traced model
 * reads as its scripted twin, and a non-finite stored value is refused naming the layer and the field. Built here by
 * real torch 1.13.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import type { IntTensor } from '../../contract/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-torch-variants-'));

function build(): void {
  const py = `
import numpy as np, torch, torch.nn as nn
torch.manual_seed(5); torch.backends.quantized.engine = 'qnnpack'
Q = torch.ao.quantization
class M(nn.Module):
    def __init__(self):
        super().__init__(); self.quant = Q.QuantStub(); self.conv = nn.Conv2d(3, 4, 3); self.fc = nn.Linear(4 * 6 * 6, 5); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        return self.dequant(self.fc(torch.flatten(self.conv(self.quant(x)), 1)))
m = M().eval(); m.qconfig = Q.get_default_qconfig('qnnpack'); p = Q.prepare(m)
for _ in range(4): p(torch.randn(2, 3, 8, 8))
c = Q.convert(p)
x = torch.randn(1, 3, 8, 8)
np.save('${dir}/x.npy', x.numpy().astype(np.float32))
torch.jit.save(torch.jit.script(c), '${dir}/scripted.pt')
torch.jit.save(torch.jit.trace(c, x), '${dir}/traced.pt')
for field, value in [('scale', float('nan')), ('scale', float('inf'))]:
    c.conv.scale = value
    torch.jit.save(torch.jit.script(c), f'${dir}/conv_{field}_{value}.pt')`;
  writeFileSync(join(dir, 'build.py'), py);
  const built = spawnSync(TORCH_PYTHON, [join(dir, 'build.py')], { encoding: 'utf8', timeout: 120_000 });
  expect(built.status, built.stderr).toBe(0);
}

describe('TorchScript variants in explain', () => {
  beforeAll(build, 120_000);

  it('a traced model reads as its scripted twin: the same layers, qparams and outputs', () => {
    const input = readInputTensor(join(dir, 'x.npy'));
    const run = (file: string) => {
      const outputs = new Map<string, IntTensor>();
      const r = explainModel(readTorchModel(join(dir, file)), input, { seed: '1', outputs });
      return { r, outputs };
    };
    const scripted = run('scripted.pt');
    const traced = run('traced.pt');
    const layers = (x: typeof scripted) => x.r.steps.map((s) => (s.kind === 'conv2d' ? { name: s.name, x: s.stored.x, y: s.stored.y } : { name: s.name, kind: s.kind }));
    expect(layers(traced)).toEqual(layers(scripted));
    expect(layers(scripted).map((l) => l.name)).toEqual(['conv', 'flatten (before fc)', 'fc']);
    for (const name of ['conv', 'fc']) {
      expect(Array.from(traced.outputs.get(name)!.data), name).toEqual(Array.from(scripted.outputs.get(name)!.data));
      expect(new Set(scripted.outputs.get(name)!.data).size, `${name}'s outputs are not all one value`).toBeGreaterThan(2);
    }
  }, 120_000);

  it.each([
    ['conv_scale_nan.pt', /conv: stored scale nan is not a finite number/],
    ['conv_scale_inf.pt', /conv: stored scale inf is not a finite number/],
  ])('%s: refused, naming the layer and the field', (file, message) => {
    expect(() => readTorchModel(join(dir, file))).toThrow(message);
  });
});
