/**
 * The README's `qconform explain` example: the committed page docs/explain_example.html is regenerated from
 * examples/quantized_cnn (through torch 1.13) and must match byte for byte; every line of the README excerpt is
 * in the console table; and the README's remark on conv3's bias (torch 5121, its ONNX export 5120) and fc's
 * (-9706 in both) holds.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { consoleTable } from '../../conformance/explain/console_table.js';
import { explainHtml } from '../../conformance/explain/explain_html.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { readTorchModel } from '../../conformance/explain/torch_model.js';

const DIR = 'examples/quantized_cnn';

function readmeExcerpt(): string[] {
  const readme = readFileSync('README.md', 'utf8');
  const start = readme.indexOf('\nconv1  torch QuantizedConvReLU2d');
  const end = readme.indexOf('```', start);
  expect(start).toBeGreaterThan(0);
  return readme.slice(start + 1, end).trimEnd().split('\n');
}

describe('the explain example (README)', () => {
  const input = readInputTensor(`${DIR}/input.npy`);
  const result = explainModel(readTorchModel(`${DIR}/model.pt`, `${DIR}/observers.pt`, 'qnnpack'), input, { seed: '1' });

  it('docs/explain_example.html is what qconform explain writes for it', () => {
    expect(explainHtml(result)).toBe(readFileSync('docs/explain_example.html', 'utf8'));
  }, 60_000);

  it("every line of the README's excerpt is in the console table", () => {
    const table = consoleTable(result);
    const lines = readmeExcerpt();
    expect(lines.length).toBeGreaterThan(8);
    for (const line of lines) expect(table, line).toContain(line);
  });

  it("conv3's channel-0 bias: torch quantizes it to 5121, the ONNX export stores 5120; fc's is -9706 in both", () => {
    const torchConv3 = result.steps.find((s) => s.name === 'conv3') as ConvLayerReport;
    const onnx = explainModel(readOnnxModel(`${DIR}/model.onnx`), input, { seed: '1' });
    const onnxConv3 = onnx.steps.find((s) => s.name === '/conv3/Conv') as ConvLayerReport;
    const q = (l: ConvLayerReport) => l.requantization.find((r) => r.scheme === 'torch-qnnpack@1')!.params['bias_q (int32)'];
    expect(q(torchConv3)).toBe(5121);
    expect(onnxConv3.requantization.find((r) => r.scheme === 'onnxruntime@1')!.params['b (int32)']).toBe(5120);
    // fc's bias is the same in both (README)
    const torchFc = result.steps.find((s) => s.name === 'fc') as ConvLayerReport;
    const onnxFc = onnx.steps.find((s) => s.name === '/fc/Gemm') as ConvLayerReport;
    expect(q(torchFc)).toBe(-9706);
    expect(onnxFc.requantization.find((r) => r.scheme === 'onnxruntime@1')!.params['b (int32)']).toBe(-9706);
  });
});
