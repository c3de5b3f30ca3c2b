/**
 * `qconform explain` runs a residual add on the qnnpack engine as torch does: QNNPACK's add (qnnpack_add@1), not ATen's
 * qadd_kernel. A residual block built, converted and run by real torch 1.13 under the qnnpack engine
 * (tests/fixtures/explain/residual_add_qnnpack.py), its add's ratios both exactly 1/2 so that half its elements are
 * ties: explain's integers for the add and the conv after it equal torch's, and its report counts the outputs qadd_kernel
 * (the other engines' add, which rounds ties to even) gives otherwise.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import type { QuantizedAddReport } from '../../conformance/explain/quantized_add_step.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import { torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import type { IntTensor } from '../../contract/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-qnnpack-add-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.runIf(torchAvailable())('explain on a residual block on the qnnpack engine, against torch', () => {
  it("gives torch's integers for QNNPACK's add and the conv after it, and counts where qadd_kernel parts from it", () => {
    const built = spawnSync(TORCH_PYTHON, [join('tests', 'fixtures', 'explain', 'residual_add_qnnpack.py'), dir], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
    const torch = JSON.parse(built.stdout) as { skip: number[]; head: number[] };
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readTorchModel(join(dir, 'Net.pt'), undefined, 'qnnpack'), readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs });
    expect(r.steps.filter((s) => s.kind === 'not_modelled')).toEqual([]);
    const add = r.steps.find((s): s is QuantizedAddReport => s.kind === 'quantized_add');
    expect(add && [add.name, add.kernel, add.reads], JSON.stringify(r.steps.map((s) => [s.kind, s.name]))).toEqual(['skip', 'qnnpack', ['conv2', 'stem']]);
    expect(Array.from(outputs.get('skip')!.data)).toEqual(torch.skip);
    expect(Array.from(outputs.get('head')!.data)).toEqual(torch.head);
    // not vacuous: the ties make qadd_kernel's answer another one, and the add's outputs are not one value
    expect(add!.elsewhere.length).toBe(1);
    expect(add!.elsewhere[0]!.differing).toBeGreaterThan(20);
    expect(new Set(torch.skip).size).toBeGreaterThan(5);
  }, 300_000);
});
