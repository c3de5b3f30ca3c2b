/**
 * `qconform explain` runs a model on the qnnpack engine as torch does: its residual add as QNNPACK's add
 * (qnnpack_add@1) and its average pools as QNNPACK's (qnnpack_avg_pool2d@1), not ATen's kernels. A residual block and
 * two pools built, converted and run by real torch 1.13 under the qnnpack engine (tests/fixtures/explain/qnnpack_ops_build.py):
 * the add's ratios are both exactly 1/2, so half its elements are ties; the AvgPool2d asks count_include_pad=False,
 * which QNNPACK ignores. explain's integers for the add, the conv after it and both pools equal torch's, and its reports
 * count the outputs ATen's kernels (the other engines') give otherwise. A qint8 add on the same engine runs as XNNPACK's
 * (xnnpack_add@1) on torch-measured values.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import type { AdaptiveAvgPoolReport } from '../../conformance/explain/adaptive_avg_pool_step.js';
import type { AvgPoolReport } from '../../conformance/explain/avg_pool_step.js';
import { explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { type QuantizedAddReport, runQuantizedAdd } from '../../conformance/explain/quantized_add_step.js';
import type { QuantizedAddStep } from '../../conformance/explain/model_types.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import { torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-qnnpack-ops-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(torchAvailable())('explain on a residual block and pools on the qnnpack engine, against torch', () => {
  it("gives torch's integers for QNNPACK's add and pools and the conv between them, and counts where ATen's kernels part from them", () => {
    const built = spawnSync(TORCH_PYTHON, [join('tests', 'fixtures', 'explain', 'qnnpack_ops_build.py'), dir], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
    const torch = JSON.parse(built.stdout) as Record<'skip' | 'head' | 'pool' | 'gap', number[]>;
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readTorchModel(join(dir, 'Net.pt'), undefined, 'qnnpack'), readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs });
    expect(r.steps.filter((s) => s.kind === 'not_modelled')).toEqual([]);
    const add = r.steps.find((s): s is QuantizedAddReport => s.kind === 'quantized_add');
    expect(add && [add.name, add.kernel, add.reads], JSON.stringify(r.steps.map((s) => [s.kind, s.name]))).toEqual(['skip', 'qnnpack', ['conv2', 'stem']]);
    const pool = r.steps.find((s): s is AvgPoolReport => s.kind === 'avg_pool2d');
    const gap = r.steps.find((s): s is AdaptiveAvgPoolReport => s.kind === 'adaptive_avg_pool2d');
    expect([pool?.name, pool?.ran?.kernel, gap?.name, gap?.ran?.kernel]).toEqual(['pool', 'qnnpack', 'gap', 'qnnpack']);
    for (const name of ['skip', 'head', 'pool', 'gap'] as const) expect(Array.from(outputs.get(name)!.data), name).toEqual(torch[name]);
    // not vacuous: the add's ties and the pool's ignored count_include_pad make ATen's kernels answer otherwise
    expect(add!.elsewhere.length).toBe(1);
    expect(add!.elsewhere[0]!.differing).toBeGreaterThan(20);
    expect(pool!.ran!.atenDiffering).toBeGreaterThan(10);
    expect(new Set(torch.skip).size).toBeGreaterThan(5);
    expect(torch.gap.length).toBe(4);
  }, 300_000);
});

describe("explain's add on the qnnpack engine, qint8", () => {
  it("runs XNNPACK's add (ties half up, as torch 1.13.1 gives them) and counts the outputs qadd_kernel gives otherwise", () => {
    const x = (q: number) => ({ scale: q, zeroPoint: 0, dtype: 'qint8' as const });
    const step: QuantizedAddStep = { kind: 'quantized_add', name: 'skip', opType: 'QFunctional.add', reads: ['a', 'b'], x: [x(0.5), x(0.25)], y: x(0.5), relu: false, kernel: 'xnnpack', cpuCapability: 'avx2', threads: 1, memoryFormat: 'contiguous' };
    const operand = (values: number[]) => ({ xq: intTensor('qint8', [8], values), xf: null, q: null });
    const r = runQuantizedAdd(step, operand([0, 0, 0, 0, 1, -1, 3, -3]), operand([1, -1, 3, -3, 0, 0, 1, -1]));
    expect(Array.from(r.xq.data)).toEqual([1, 0, 2, -1, 1, -1, 4, -3]);
    // qadd_kernel rounds the ties 1/2, -1/2, 3/2, -3/2, 7/2, -7/2 to even: 0, 0, 2, -2, 4, -4 (three differ)
    expect(r.report.elsewhere).toEqual([{ cpuCapability: 'avx2', threads: 1, differing: 3 }]);
  });
});
