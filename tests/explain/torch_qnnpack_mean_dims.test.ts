/**
 * On torch's qnnpack engine, how the dims of a quint8 mean are written picks its kernel: torch 1.13's
 * mean_out_quantized_cpu sends x.mean([2, 3]) to QNNPACK's global average pool and x.mean([-2, -1]) to ATen's kernels
 * (here the float path: a conv's channels_last output). explain follows torch (torch_model.ts torchMeanStep): two
 * models of the same weights (tests/fixtures/explain/qnnpack_mean_dims_build.py), read with --engine qnnpack, give
 * torch's integers, the path each takes, and the count of outputs the other kernel changes; on 1x2 pixels some ties
 * round apart, so torch's two answers differ (not vacuous).
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import type { QuantizedMeanReport } from '../../conformance/explain/quantized_mean_step.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import { torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import type { IntTensor } from '../../contract/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-qnnpack-mean-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type TorchMeans = Record<'Dims23' | 'DimsNeg', { conv: number[]; mean: number[] }>;

describe.runIf(torchAvailable())("explain on the qnnpack engine: x.mean([2, 3]) is QNNPACK's, x.mean([-2, -1]) ATen's, as in torch", () => {
  let torch: TorchMeans;
  beforeAll(() => {
    const built = spawnSync(TORCH_PYTHON, [join('tests', 'fixtures', 'explain', 'qnnpack_mean_dims_build.py'), dir], { encoding: 'utf8', timeout: 240_000 });
    expect(built.status, built.stderr).toBe(0);
    torch = JSON.parse(built.stdout) as TorchMeans;
  }, 300_000);

  const meanOf = (model: keyof TorchMeans) => {
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readTorchModel(join(dir, `${model}.pt`), undefined, 'qnnpack'), readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs });
    expect(r.steps.filter((s) => s.kind === 'not_modelled')).toEqual([]);
    const mean = r.steps.find((s): s is QuantizedMeanReport => s.kind === 'quantized_mean')!;
    return { report: mean, y: Array.from(outputs.get(mean.name)!.data) };
  };

  it("gives torch's integers on both spellings, each on its kernel, and counts what the other kernel changes", () => {
    // the same conv output reaches both means; torch's two answers part on ties
    expect(torch.Dims23.conv).toEqual(torch.DimsNeg.conv);
    const parted = torch.Dims23.mean.filter((v, i) => v !== torch.DimsNeg.mean[i]).length;
    expect(parted).toBeGreaterThan(0);
    const qnnpack = meanOf('Dims23');
    expect([qnnpack.report.ran?.path, qnnpack.y]).toEqual(['qnnpack', torch.Dims23.mean]);
    expect(qnnpack.report.ran?.atenDiffering).toBe(parted);
    const aten = meanOf('DimsNeg');
    expect([aten.report.ran?.path, aten.y]).toEqual(['float', torch.DimsNeg.mean]);
  }, 120_000);
});
