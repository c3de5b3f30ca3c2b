/**
 * The HTML pages: the explain page (written from the same ExplainResult as the JSON) and `qconform run --html`
 * (from the same run info and results as the JSON report). Both are self-contained (no script, no external
 * asset) and escape every text they show; what they must show is checked on the markup here and on the page a
 * real browser renders in scripts/ci/browser_check.ts (.ci/run).
 */
import { describe, expect, it } from 'vitest';
import { explainHtml } from '../../conformance/explain/explain_html.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { generatedInput } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { htmlReport } from '../../conformance/runner/reports/html_report.js';
import type { RunInfo } from '../../conformance/runner/reports/run_info.js';
import type { CaseResult } from '../../conformance/runner/results.js';

function selfContained(html: string): void {
  expect(html.startsWith('<!doctype html>')).toBe(true);
  expect(html).not.toMatch(/<script|<link|<img|src=|url\(|href="(?!#)/i);
}

describe('explain page', () => {
  const model = readOnnxModel('examples/quantized_cnn/model.onnx');
  const softmax = { kind: 'not_modelled', name: 'softmax', opType: 'Softmax', reason: 'Softmax is not modelled' } as const;
  const result = explainModel({ ...model, path: 'models/<b>odd</b>.onnx', steps: [...model.steps, softmax] }, generatedInput([1, 3, 16, 16], '3'), { seed: '3' });
  const html = explainHtml(result);

  it('is self-contained and escapes what it shows', () => {
    selfContained(html);
    expect(html).toContain('models/&lt;b&gt;odd&lt;/b&gt;.onnx');
    expect(html).not.toContain('<b>odd</b>');
  });

  it('has a section per conv or linear layer with its tables and charts; unmodelled steps are listed', () => {
    const convs = result.steps.filter((s): s is ConvLayerReport => s.kind === 'conv2d');
    expect(convs.length).toBe(4);
    expect(convs.filter((c) => c.geometry.linear).map((c) => c.name)).toEqual(['/fc/Gemm']);
    expect(html).toContain('A linear layer, analysed as the 1x1 conv over the rows it is');
    for (const c of convs) expect(html).toContain(`<section class="layer" id="${c.name}">`);
    for (const heading of ['Stored quantization parameters', 'Clamp range', 'Effective requantization per scheme', 'Disagreement on this input']) {
      expect(html.split(heading).length - 1).toBe(4);
    }
    expect(html).toContain('Softmax: not modelled (Softmax is not modelled)');
    expect(html).toContain('class="generated"');
    const svgs = html.match(/<svg[\s\S]*?<\/svg>/g) ?? [];
    expect(svgs.length).toBeGreaterThanOrEqual(3);
    expect(svgs.filter((s) => s.includes('<rect class="bar"')).length).toBeGreaterThanOrEqual(3);
    for (const scheme of ['torch-qnnpack@1', 'onnxruntime@1', 'tflite-double-rounding@1', 'xnnpack-rndnu@1']) expect(html).toContain(scheme);
  });
});

describe('run --html report', () => {
  const info = { backend: { name: 'my-backend', version: '1.0', capabilities: { ops: [] }, info: {}, warnings: [] }, started: '2026-12-04T00:00:00Z' } as unknown as RunInfo;
  const results: CaseResult[] = [
    { id: 'q-1', op: 'quantize_per_tensor@1', scheme: 'torch-1.13', verdict: 'pass', location: 'vectors/torch-1.13/quantize_per_tensor.v1.jsonl:1', ms: 1 },
    {
      id: 'q-2',
      op: 'quantize_per_tensor@1',
      scheme: 'torch-1.13',
      verdict: 'fail',
      detail: 'output q[3]: expected 5, got 4 [tie] <script>',
      element: { output: 'q', index: 3, expected: '5', got: '4', tags: ['tie'] },
      location: 'vectors/torch-1.13/quantize_per_tensor.v1.jsonl:2',
      ms: 1,
    },
    { id: 'c-1', op: 'quantized_conv2d@1', scheme: 'onnxruntime@1', verdict: 'timeout', detail: 'no answer in 10000 ms', location: 'vectors/onnxruntime-1.30/quantized_conv2d.v1.jsonl:9', ms: 10000 },
  ];
  const html = htmlReport(info, results);

  it('is self-contained, says FAILED, and escapes details', () => {
    selfContained(html);
    expect(html).toContain('FAILED');
    expect(html).toContain('got 4 [tie] &lt;script&gt;');
  });

  it('has the op x scheme x verdict matrix and each non-passing case with its first difference and replay line', () => {
    expect(html).toMatch(/<td>quantize_per_tensor@1<\/td><td>torch-1.13<\/td><td class="pass">1<\/td><td class="fail">1<\/td>/);
    expect(html.split('q[3]: expected 5, got 4 [tie]').length - 1).toBe(1); // the detail already names the element: not repeated
    expect(html).toContain('npx qconform run --backend my-backend --vectors vectors/torch-1.13/quantize_per_tensor.v1.jsonl --case q-2');
    expect(html).toContain('--case c-1');
    expect(html).not.toContain('--case q-1');
  });
});
