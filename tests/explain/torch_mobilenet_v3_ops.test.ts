/**
 * `qconform explain` runs MobileNetV3's ops as torch does: Hardswish (quantized_hardswish@1), the squeeze-excitation's
 * Hardsigmoid (quantized_hardsigmoid@1, fixed output qparams) and its mul of the [N, C, 1, 1] gate and the block's
 * tensor (quantized_mul@1, a broadcast). A MobileNetV3 block built, converted in eager mode and run module by module by
 * real torch 1.13 on the onednn engine (tests/fixtures/explain/mobilenet_v3_block_build.py): explain carries every step
 * on the integers, and its integers for the activations, the gate, the mul, the residual add and the head conv equal
 * torch's; likewise on the qnnpack engine, whose quint8 Hardswish and Hardsigmoid are QNNPACK's lookup tables
 * (qnnpack_hardswish@1, qnnpack_hardsigmoid@1), and for an FX graph mode gate, whose F.hardsigmoid is a function call
 * of the forward and whose product is convert_fx's quantized::mul op.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { explainModel } from '../../conformance/explain/explain_run.js';
import type { HardActivationReport } from '../../conformance/explain/hard_activation_step.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import type { QuantizedMulReport } from '../../conformance/explain/quantized_mul_step.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import { torchAvailable } from '../../conformance/backends/torch/torch_process.js';
import type { IntTensor } from '../../contract/tensor.js';

const dir = mkdtempSync(join(tmpdir(), 'qconform-mobilenet-v3-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const COMPARED = ['hs1', 'hs2', 'se.gate', 'se.mul', 'skip', 'head'] as const;

describe.runIf(torchAvailable())('explain on a MobileNetV3 block on the onednn engine, against torch', () => {
  it("carries Hardswish, Hardsigmoid and the gate's mul on the integers, and gives torch's integers for them and the steps after", () => {
    const built = spawnSync(TORCH_PYTHON, [join('tests', 'fixtures', 'explain', 'mobilenet_v3_block_build.py'), dir], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
    const torch = JSON.parse(built.stdout) as Record<(typeof COMPARED)[number], number[]> & { gate_qparams: [number, number] };
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readTorchModel(join(dir, 'Net.pt'), undefined, 'onednn'), readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs });
    expect(r.steps.filter((s) => s.kind === 'not_modelled')).toEqual([]);
    const activations = r.steps.filter((s): s is HardActivationReport => s.kind === 'hard_activation');
    expect(activations.map((s) => [s.name, s.fn, s.idle ?? false])).toEqual([
      ['hs1', 'hardswish', false],
      ['hs2', 'hardswish', false],
      ['se.gate', 'hardsigmoid', false],
    ]);
    const mul = r.steps.find((s): s is QuantizedMulReport => s.kind === 'quantized_mul');
    expect(mul && [mul.name, mul.reads, mul.broadcast, mul.shape]).toEqual(['se.mul', ['se.gate', 'hs2'], true, [1, 16, 12, 12]]);
    // hardsigmoid's fixed output qparams are torch's
    expect([activations[2]!.y.scale, activations[2]!.y.zeroPoint]).toEqual(torch.gate_qparams);
    for (const name of COMPARED) expect(Array.from(outputs.get(name)!.data), name).toEqual(torch[name]);
    // not vacuous: the activations and the gate take many values
    for (const name of COMPARED) expect(new Set(torch[name]).size, name).toBeGreaterThan(name === 'se.gate' ? 4 : 30);
  }, 300_000);

  it("on the qnnpack engine runs QNNPACK's Hardswish and Hardsigmoid tables, and gives torch's integers", () => {
    const built = spawnSync(TORCH_PYTHON, [join('tests', 'fixtures', 'explain', 'mobilenet_v3_block_build.py'), dir], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
    const torch = (JSON.parse(built.stdout) as { qnnpack: Record<(typeof COMPARED)[number], number[]> }).qnnpack;
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readTorchModel(join(dir, 'Net.pt'), undefined, 'qnnpack'), readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs });
    expect(r.steps.filter((s) => s.kind === 'not_modelled')).toEqual([]);
    const activations = r.steps.filter((s): s is HardActivationReport => s.kind === 'hard_activation');
    expect(activations.map((s) => [s.name, s.kernel])).toEqual([
      ['hs1', 'qnnpack'],
      ['hs2', 'qnnpack'],
      ['se.gate', 'qnnpack'],
    ]);
    for (const name of COMPARED) expect(Array.from(outputs.get(name)!.data), name).toEqual(torch[name]);
    // each report counts the outputs ATen's kernel (the other engines') gives otherwise
    expect(activations.every((s) => s.ran?.elsewhere.length === 1)).toBe(true);
  }, 300_000);

  it("carries an FX graph mode gate the same way (F.hardsigmoid called in the forward, convert_fx's quantized::mul), and gives torch's integers", () => {
    const built = spawnSync(TORCH_PYTHON, [join('tests', 'fixtures', 'explain', 'mobilenet_v3_block_build.py'), dir], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
    const torch = (JSON.parse(built.stdout) as { fx: Record<'hs' | 'gate' | 'mul' | 'head', number[]> }).fx;
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readTorchModel(join(dir, 'Fx.pt'), undefined, 'onednn'), readInputTensor(join(dir, 'x.npy')), { seed: '1', outputs });
    expect(r.steps.filter((s) => s.kind === 'not_modelled')).toEqual([]);
    const gate = r.steps.find((s): s is HardActivationReport => s.kind === 'hard_activation' && s.fn === 'hardsigmoid');
    expect(gate?.opType).toBe('torch.nn.functional.hardsigmoid');
    const mul = r.steps.find((s): s is QuantizedMulReport => s.kind === 'quantized_mul');
    expect(mul && [mul.reads, mul.broadcast]).toEqual([[gate!.name, 'hs'], true]);
    for (const [name, step] of [['hs', 'hs'], ['gate', gate!.name], ['mul', mul!.name], ['head', 'head']] as const) expect(Array.from(outputs.get(step)!.data), name).toEqual(torch[name]);
    expect(new Set(torch.mul).size).toBeGreaterThan(30);
  }, 300_000);
});
