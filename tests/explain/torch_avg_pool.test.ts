/**
 * `qconform explain` carries a torch model's average pools on the integers (tests/fixtures/explain/avg_pool_build.py,
 * onednn): an Inception v3-like block whose pool branches are F.avg_pool2d(x, 3, 1, 1) and F.max_pool2d(x, 3, 1, 1) on
 * the stem's output (another branch of the forward), joined by a QFunctional's cat, then nn.AvgPool2d(2, ceil_mode,
 * count_include_pad=False). explain's integers for every step equal torch's; the pool's line names the kernel the
 * tensor's layout picks, and counts what the other kernel (a tie rounded apart: the cat's zero point is odd) and AVX512
 * (QuantizeAvx512's repeated channels) would change.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainModel } from '../../conformance/explain/explain_run.js';
import type { AvgPoolReport } from '../../conformance/explain/avg_pool_step.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import { torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import type { IntTensor } from '../../contract/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-avg-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(torchAvailable())('explain on a model with average and max pool branches, against torch', () => {
  it("gives torch's integers for every pool, branch, the cat and the layer after them", () => {
    const built = spawnSync(TORCH_PYTHON, [join('tests', 'fixtures', 'explain', 'avg_pool_build.py'), dir], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
    const torch = JSON.parse(readFileSync(join(dir, 'torch.json'), 'utf8')) as Record<string, number[]>;
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readTorchModel(join(dir, 'Block.pt')), readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs });
    expect(r.steps.filter((s) => s.kind === 'not_modelled')).toEqual([]);
    expect(r.steps.filter((s) => s.kind === 'conv2d' && s.inputOrigin !== 'chain').map((s) => s.name)).toEqual([]);
    const pools = r.steps.filter((s): s is AvgPoolReport => s.kind === 'avg_pool2d');
    expect(pools.map((p) => [p.opType, p.ran?.kernel, p.ran?.outputShape, p.otherBranch !== undefined])).toEqual([
      ['aten::avg_pool2d', 'nhwc', [1, 24, 9, 7], true],
      ['AvgPool2d', 'nhwc', [1, 24, 5, 4], false],
    ]);
    const ints = (name: string) => Array.from(outputs.get(name)!.data);
    expect(ints(pools[0]!.name)).toEqual(torch.avg);
    for (const name of ['stem', 'branch_pool', 'branch_max', 'cat', 'pool', 'after']) expect(ints(name), name).toEqual(torch[name]);
    // non-vacuity: the pool after the cat meets ties the NCHW kernel rounds otherwise, and AVX512 stores repeated channels
    expect(pools[1]!.ran!.otherLayoutDiffering).toBeGreaterThan(0);
    // (under AVX512 its 24 channels' block of 16 repeats channels: whichever capability this torch runs, another one parts)
    expect(Math.max(...pools[1]!.ran!.elsewhere.map((e) => e.differing))).toBeGreaterThan(0);
  });
});
