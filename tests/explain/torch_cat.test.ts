/**
 * `qconform explain` carries a torch model's branch concatenations on the integers (tests/fixtures/explain/cat_build.py,
 * onednn): a GoogLeNet-like block whose branches (two convs, and a max pool on the stem's output before a conv) a helper
 * method returns as a list to a QFunctional's cat on channels. explain's integers for every branch, the cat and the conv
 * after it equal torch's; the report names torch's path (qcat_nhwc_kernel on channels_last tensors), how many channels
 * of each input the vector form takes under this torch's ATen capability, and how many outputs another capability
 * would change.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import type { QuantizedCatReport } from '../../conformance/explain/quantized_cat_step.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import { torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import type { IntTensor } from '../../contract/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-cat-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(torchAvailable())('explain on a model whose branches meet in a QFunctional.cat, against torch', () => {
  it("gives torch's integers for every branch, the pool branch, the cat and the layer after it", () => {
    const built = spawnSync(TORCH_PYTHON, [join('tests', 'fixtures', 'explain', 'cat_build.py'), dir], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
    const torch = JSON.parse(readFileSync(join(dir, 'torch.json'), 'utf8')) as Record<string, number[]>;
    const model = readTorchModel(join(dir, 'Block.pt'));
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(model, readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs });
    expect(r.steps.filter((s) => s.kind === 'not_modelled')).toEqual([]);
    expect(r.steps.filter((s) => s.kind === 'conv2d' && s.inputOrigin !== 'chain').map((s) => s.name)).toEqual([]);
    const ints = (name: string) => Array.from(outputs.get(name)!.data);
    for (const name of ['branch1', 'branch2', 'branch3', 'cat', 'after']) expect(ints(name), name).toEqual(torch[name]);

    const [cat] = r.steps.filter((s): s is QuantizedCatReport => s.kind === 'quantized_cat');
    expect(cat!.path).toBe('nhwc');
    expect(cat!.memoryFormat).toBe('channels_last');
    expect(cat!.shape).toEqual([1, 35, 9, 8]);
    expect(cat!.inputs.map((i) => i.reads)).toEqual(['branch1', 'branch2', 'branch3']);
    // this torch's capability (avx2 or avx512, the host's): its vector blocks of 8 or 16 channels
    const lanes = cat!.cpuCapability === 'avx512' ? 16 : cat!.cpuCapability === 'avx2' ? 8 : 0;
    expect(cat!.inputs.map((i) => (i.form.kind === 'nhwc' ? i.form.vectorChannels : -1))).toEqual([16, 13, 6].map((c) => Math.floor(c / (lanes || Infinity)) * lanes));
    // the cat's scale puts branch1's values on halves: the forms part there, so another capability changes outputs (non-vacuity)
    expect(cat!.elsewhere.find((e) => e.cpuCapability === 'default')!.differing).toBeGreaterThan(0);
  });
});
