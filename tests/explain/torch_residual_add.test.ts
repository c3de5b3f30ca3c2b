/**
 * `qconform explain` carries a torch model's residual adds (QFunctional.add_relu) on the integers, as torch 1.13
 * computes them on the CPU path it runs: a two-block ResNet (stem, max pool, a block adding its input, a block with a
 * downsample conv; each add reads its block's conv through the nn.Identity a fused BatchNorm leaves, as in torchvision) built and run by real torch on the onednn engine (tests/fixtures/explain/residual_add_build.py).
 * The first add's output scale is chosen so that one element of its AVX2 vector body lands on a half-integer in
 * qadd_kernel's vector form and not in its scalar form: torch's outputs part between ATen capabilities there, and from
 * that add on. Under each ATEN_CPU_CAPABILITY, explain's integers for both adds and the layer after them equal the
 * integers torch gives under it. So do those of an FX graph mode model's quantized::add_relu (convert_fx's residual
 * `+` and relu: tests/fixtures/explain/residual_add_fx.py) and the conv after it.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import type { QuantizedAddReport } from '../../conformance/explain/quantized_add_step.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import { torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import type { IntTensor } from '../../contract/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-residual-add-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));
const fixture = (name: string) => join('tests', 'fixtures', 'explain', name);
const STEPS = ['layer1.skip', 'layer2.skip', 'head'];

function withCapability<T>(capability: string, run: () => T): T {
  const saved = process.env.ATEN_CPU_CAPABILITY;
  process.env.ATEN_CPU_CAPABILITY = capability;
  try {
    return run();
  } finally {
    if (saved === undefined) delete process.env.ATEN_CPU_CAPABILITY;
    else process.env.ATEN_CPU_CAPABILITY = saved;
  }
}

describe.runIf(torchAvailable())('explain on a ResNet with residual adds, against torch on each CPU path', () => {
  it('gives torch\'s integers for both adds and the layer after them, under default, avx2 and avx512', () => {
    const built = spawnSync(TORCH_PYTHON, [fixture('residual_add_build.py'), dir], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
    const torchOn: Record<string, Record<string, number[]>> = {};
    const explainOn: Record<string, Record<string, number[]>> = {};
    for (const capability of ['default', 'avx2', 'avx512']) {
      const ran = spawnSync(TORCH_PYTHON, [fixture('residual_add_run.py'), dir], { encoding: 'utf8', timeout: 120_000, env: { ...process.env, ATEN_CPU_CAPABILITY: capability } });
      expect(ran.status, ran.stderr).toBe(0);
      const answer = JSON.parse(ran.stdout) as Record<string, number[]> & { capability: string };
      // AVX-512 only where the CPU has it (torch falls back to AVX2 elsewhere); default and avx2 on every x86-64 CI host
      if (answer.capability !== capability && capability === 'avx512') continue;
      expect(answer.capability).toBe(capability);
      torchOn[capability] = answer;
      const outputs = new Map<string, IntTensor>();
      const model = withCapability(capability, () => readTorchModel(join(dir, 'Net.pt')));
      const r = explainModel(model, readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs });
      const adds = r.steps.filter((s): s is QuantizedAddReport => s.kind === 'quantized_add');
      expect(adds.map((s) => [s.name, s.reads, s.cpuCapability, s.memoryFormat])).toEqual([
        ['layer1.skip', ['layer1.conv2', 'pool'], capability, 'channels_last'],
        ['layer2.skip', ['layer2.conv2', 'layer2.downsample'], capability, 'channels_last'],
      ]);
      expect(r.steps.some((s) => s.kind === 'not_modelled'), JSON.stringify(r.steps.filter((s) => s.kind === 'not_modelled'))).toBe(false);
      explainOn[capability] = Object.fromEntries(STEPS.map((name) => [name, Array.from(outputs.get(name)!.data)]));
      for (const name of STEPS) expect(explainOn[capability]![name], `${name} under ${capability}`).toEqual(torchOn[capability]![name]);
      // the FX model's quantized::add_relu (convert_fx's residual `+` and relu) reads c2's and c1's outputs
      const fxOutputs = new Map<string, IntTensor>();
      const fx = explainModel(withCapability(capability, () => readTorchModel(join(dir, 'Fx.pt'))), readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs: fxOutputs });
      const fxAdd = fx.steps.find((s): s is QuantizedAddReport => s.kind === 'quantized_add');
      expect(fxAdd?.reads, JSON.stringify(fx.steps.map((s) => [s.kind, s.name]))).toEqual(['c2', 'c1']);
      expect(Array.from(fxOutputs.get(fxAdd!.name)!.data), `the FX add under ${capability}`).toEqual(answer.fx_add);
      expect(Array.from(fxOutputs.get('c3')!.data), `the FX c3 under ${capability}`).toEqual(answer.fx_c3);
      expect(new Set(answer.fx_add).size, "the FX add's outputs are not all one value").toBeGreaterThan(3);
      // the first add's report names the outputs another path changes: the constructed element, on the other forms
      const first = adds[0]!;
      const vectorElsewhere = first.elsewhere.filter((e) => (e.cpuCapability === 'default') !== (capability === 'default'));
      expect(vectorElsewhere.every((e) => e.differing >= 1), JSON.stringify(first.elsewhere)).toBe(true);
    }
    // not vacuous: torch's outputs on the vector paths differ from DEFAULT's, at the add and after it
    for (const name of STEPS) expect(torchOn.avx2![name], name).not.toEqual(torchOn.default![name]);
    const built_ = JSON.parse(readFileSync(join(dir, 'built.json'), 'utf8')) as { element: number };
    expect(built_.element).toBeLessThan(384);
  }, 300_000);
});
