/**
 * `qconform explain` on a model whose input reaches no layer it models (input_reach.ts): without --input or
 * --shape it runs, and its input line (console, --json, --html) says that no input ran and how the layers got data
 * (each layer marked GENERATED on its own seeded integers, of the shape its line shows); --json's input shape is
 * null. Before, it said "seeded standard normal data, shape [..]" of data that never ran. A model whose declared
 * input shape is beyond the element limit runs too (nothing of that shape is drawn). A TorchScript model whose
 * forward has no QuantStub, built here by real torch 1.13, is such a model: --input and --shape are refused.
 */
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { explainCommand } from '../../conformance/explain/explain_command.js';
import { TORCH_PYTHON } from '../../conformance/explain/torch_model.js';
import { captureConsole } from '../support/console_capture.js';
import { qdqModel, qdqParts } from '../support/explain_qdq_model.js';

const printed = captureConsole();
const dir = mkdtempSync(join(tmpdir(), 'qconform-unreached-'));
const NOT_TAKEN = 'the model does not take this input';
const HINT = 'explain runs such a model on generated data only (leave out --input and --shape)';

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** explainCommand's exit 2 and its one error line (a second line, or a stack, fails the test). */
function explainError(model: string, extra: { input?: string; shape?: string }): string {
  expect(explainCommand(model, { seed: '1', ...extra })).toBe(2);
  expect(printed.err).toHaveLength(1);
  expect(printed.err[0]).not.toMatch(/\n\s+at /);
  return printed.err[0]!;
}

/** The input line explain prints when no input reaches a modelled layer (`why`), seed `seed`. */
const perLayer = (why: string, seed: string) =>
  `GENERATED, per layer: no input reaches a layer explain models (${why}); each layer marked GENERATED runs on its own seeded integers (seed ${seed}: its x zero point + round(24 x standard normal), clamped to its x dtype) of the shape its line shows, and the layers after it on its outputs`;

/** The base QDQ model with a Sigmoid on the float input before its QuantizeLinear (input dims `dims`). */
function sigmoidFirst(dims = [1, 3, 8, 8]): Uint8Array {
  const parts = qdqParts();
  parts.nodes[0]!.input![0] = 'xs';
  parts.nodes.unshift({ opType: 'Sigmoid', input: ['x'], output: ['xs'] });
  parts.inputDims = dims;
  return qdqModel(parts);
}
const SIGMOID_WHY = 'the graph input x (float32) goes into Sigmoid, not into a QuantizeLinear: explain takes a float input the model quantizes, or a uint8 / int8 input its first layer reads';

describe('explain says what ran when no input reaches a modelled layer', () => {
  it('console, --json and --html: no input ran, the layer ran on its own generated data (its shape on its line); --json input shape null', () => {
    const json = join(dir, 'e.json');
    const html = join(dir, 'e.html');
    expect(explainCommand(file('sigmoid_first.onnx', sigmoidFirst()), { seed: '7', json, html })).toBe(0);
    const table = printed.out.join('\n');
    expect(table).toContain(`input ${perLayer(SIGMOID_WHY, '7')}\n`);
    expect(table).not.toContain('standard normal data');
    expect(table).toContain('qconv  QDQ Conv  w[4x3x3x3] groups 1  in [1x3x8x8] (GENERATED input: the chain stopped before)');
    const result = JSON.parse(readFileSync(json, 'utf8'));
    expect(result.input).toEqual({ origin: 'generated', description: perLayer(SIGMOID_WHY, '7'), shape: null });
    expect(result.steps.find((s: { name: string }) => s.name === 'qconv')).toMatchObject({ inputOrigin: 'generated', geometry: { inputShape: [1, 3, 8, 8] } });
    expect(readFileSync(html, 'utf8')).toContain(`<p class="generated">Input: ${perLayer(SIGMOID_WHY, '7')}</p>`);
  });

  it('a declared input shape beyond the element limit is not drawn: the model runs', () => {
    expect(explainCommand(file('sigmoid_huge.onnx', sigmoidFirst([1, 3, 100000, 100000])), { seed: '1' })).toBe(0);
    expect(printed.err).toEqual([]);
    expect(printed.out.join('\n')).toContain(`input ${perLayer(SIGMOID_WHY, '1')}`);
  });
});

describe('a TorchScript model whose forward has no QuantStub (torch 1.13)', () => {
  const model = join(dir, 'no_quant_stub.pt');
  const input = join(dir, 'x.npy');
  const WHY = 'the forward has no Quantize stub (QuantStub) before its first layer: what that layer reads is a quantized tensor of unknown scale and zero point';

  beforeAll(() => {
    const py = `
import numpy as np, torch, torch.nn as nn
torch.manual_seed(5); torch.backends.quantized.engine = 'qnnpack'
Q = torch.ao.quantization
class M(nn.Module):
    def __init__(self):
        super().__init__(); self.conv = nn.Conv2d(3, 4, 3); self.dequant = Q.DeQuantStub()
    def forward(self, x):
        return self.dequant(self.conv(x))
m = M().eval(); m.qconfig = Q.get_default_qconfig('qnnpack'); p = Q.prepare(m)
for _ in range(4): p(torch.randn(2, 3, 8, 8))
c = Q.convert(p)
assert type(c.conv).__name__ == 'Conv2d' and c.conv.__module__.startswith('torch.ao.nn.quantized'), type(c.conv)
torch.jit.save(torch.jit.script(c), '${model}')
np.save('${input}', np.random.RandomState(5).randn(1, 3, 8, 8).astype(np.float32))`;
    writeFileSync(join(dir, 'build.py'), py); // a file: torch.jit.script reads the module's source
    const built = spawnSync(TORCH_PYTHON, [join(dir, 'build.py')], { encoding: 'utf8', timeout: 120_000 });
    expect(built.status, built.stderr).toBe(0);
  }, 120_000);

  it('--input is refused, naming why', () => {
    expect(explainError(model, { input })).toBe(`error: ${input}: ${NOT_TAKEN}: ${WHY}; ${HINT}`);
  }, 120_000);

  it('--shape is refused, naming why', () => {
    expect(explainError(model, { shape: '1,3,8,8' })).toBe(`error: --shape: ${NOT_TAKEN}: ${WHY}; ${HINT}`);
  }, 120_000);

  it('without either it runs, saying no input ran; its conv is listed as not modelled', () => {
    expect(explainCommand(model, { seed: '1' })).toBe(0);
    const table = printed.out.join('\n');
    expect(table).toContain(`input ${perLayer(WHY, '1')}`);
    expect(table).toContain('conv  QuantizedConv2d: NOT MODELLED (no Quantize stub or quantized layer before it: its input qparams are unknown)');
  }, 120_000);
});
