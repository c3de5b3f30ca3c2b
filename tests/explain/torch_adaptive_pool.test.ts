/**
 * `qconform explain` carries a torch model's adaptive average pools on the integers, in the kernel torch 1.13 picks by
 * the pooled tensor's memory format (tests/fixtures/explain/adaptive_pool_build.py, onednn): an nn.AdaptiveAvgPool2d
 * on a conv's channels_last output (the NHWC kernel) before a linear, and F.adaptive_avg_pool2d on the Quantize stub's
 * contiguous output (the NCHW kernel) and on a conv's output. explain's integers for each pool and the layer after it
 * equal torch's, and the report names the kernel and how many outputs the other one would change.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import type { AdaptiveAvgPoolReport } from '../../conformance/explain/adaptive_avg_pool_step.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import { torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import type { IntTensor } from '../../contract/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-adaptive-pool-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(torchAvailable())('explain on models with adaptive average pools, against torch', () => {
  it("gives torch's integers for each pool and the layer after it, in the kernel the tensor's layout picks", () => {
    const built = spawnSync(TORCH_PYTHON, [join('tests', 'fixtures', 'explain', 'adaptive_pool_build.py'), dir], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
    const torch = JSON.parse(readFileSync(join(dir, 'torch.json'), 'utf8')) as Record<string, Record<string, number[]>>;
    const run = (model: string) => {
      const outputs = new Map<string, IntTensor>();
      const r = explainModel(readTorchModel(join(dir, `${model}.pt`)), readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs });
      expect(r.steps.filter((s) => s.kind === 'not_modelled'), model).toEqual([]);
      const pools = r.steps.filter((s): s is AdaptiveAvgPoolReport => s.kind === 'adaptive_avg_pool2d');
      return { pools, ints: (name: string) => Array.from(outputs.get(name)!.data) };
    };

    const head = run('Head');
    expect(head.pools.map((p) => [p.name, p.memoryFormat, p.ran?.kernel, p.ran?.outputShape])).toEqual([['pool', 'channels_last', 'nhwc', [1, 8, 1, 1]]]);
    expect(head.ints('pool')).toEqual(torch.Head!.pool);
    expect(head.ints('fc')).toEqual(torch.Head!.fc);

    const stem = run('Stem');
    const [first, second] = stem.pools;
    expect(stem.pools.map((p) => [p.memoryFormat, p.ran?.kernel, p.ran?.outputShape])).toEqual([
      ['contiguous', 'nchw', [1, 3, 3, 2]],
      ['channels_last', 'nhwc', [1, 6, 1, 1]],
    ]);
    expect(stem.ints(first!.name)).toEqual(torch.Stem!.pool1);
    expect(stem.ints('conv1')).toEqual(torch.Stem!.conv1);
    expect(stem.ints(second!.name)).toEqual(torch.Stem!.pool2);
    expect(stem.ints('conv2')).toEqual(torch.Stem!.conv2);
    // the fixture's odd stub zero point puts a tie in the first pool: the NHWC kernel would round it otherwise (non-vacuity)
    expect(first!.ran!.otherLayoutDiffering).toBeGreaterThan(0);
    expect(new Set(torch.Stem!.pool1).size, "the pool's outputs are not all one value").toBeGreaterThan(3);
  });
});
