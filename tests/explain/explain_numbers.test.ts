/**
 * The numbers `qconform explain` reports, checked against the exact reference: on the example model's first conv
 * and the example input, every (scheme, accumulator) run's differing count and ±k histogram are recomputed from
 * whole-layer reference convs; the first differences were recomputed by the reference (referenceAgrees); the
 * effective multipliers are the float32 values the README states; the fake-quant clamp count is the number of
 * converted outputs beyond quant_max; a chain broken by an unmodelled op feeds generated data, labelled.
 */
import { describe, expect, it } from 'vitest';
import { f32Tensor } from '../../contract/tensor.js';
import { f32ToHex } from '../../contract/wire.js';
import { impl } from '../../impl/index.js';
import { quantizedConv2d as referenceConv2d } from '../../reference/conv/conv2d.js';
import { convArgsFor } from '../../conformance/explain/conv_args.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { generatedInput, readInputTensor } from '../../conformance/explain/input_tensor.js';
import { BASELINE_ACCUMULATOR, analyseLayer } from '../../conformance/explain/layer_analysis.js';
import type { ConvLayer, ExplainModel } from '../../conformance/explain/model_types.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';

const model = readOnnxModel('examples/quantized_cnn/model.onnx');
const input = readInputTensor('examples/quantized_cnn/input.npy');
const conv1 = model.steps[0] as ConvLayer;
const x1 = impl.quantizePerTensor(input.tensor, { scale: model.input!.scale, zeroPoint: model.input!.zeroPoint, dtype: model.input!.dtype });

describe('explain numbers against the exact reference', () => {
  it('every run of conv1: differing count and k histogram equal the reference convs', () => {
    const run = analyseLayer(conv1, x1, 'onnxruntime@1');
    const refBase = referenceConv2d(convArgsFor(conv1, x1, 'onnxruntime@1', BASELINE_ACCUMULATOR));
    expect(Array.from(run.output.data)).toEqual(Array.from(refBase.data));
    const ran = run.combinations.filter((c) => c.refused === null);
    expect(ran.length).toBeGreaterThan(20);
    let differing = 0;
    for (const c of ran) {
      const ref = referenceConv2d(convArgsFor(conv1, x1, c.scheme, c.accumulator));
      const hist: Record<string, number> = {};
      ref.data.forEach((y, i) => {
        const k = y - refBase.data[i]!;
        if (k !== 0) hist[String(k)] = (hist[String(k)] ?? 0) + 1;
      });
      expect(c.histogram, `${c.scheme} x ${c.accumulator}`).toEqual(hist);
      expect(c.differing).toBe(Object.values(hist).reduce((a, b) => a + b, 0));
      if (c.differing) {
        differing++;
        expect(c.first?.referenceAgrees, `${c.scheme} x ${c.accumulator}`).toBe(true);
        expect(ref.data[c.first!.index]).toBe(c.first!.other);
      }
    }
    expect(differing, 'some scheme differs from onnxruntime@1 on this input (not vacuous)').toBeGreaterThan(0);
  }, 120_000);

  it('the effective multipliers: qnnpack M is one float32 ulp above ORT S on conv1 (README, "one conv, three answers")', () => {
    const r = explainModel(model, input, { seed: '1' });
    const l = r.steps[0] as ConvLayerReport;
    const byScheme = Object.fromEntries(l.requantization.map((q) => [q.scheme, q]));
    const sx = conv1.x.scale;
    const sw = conv1.weightScales[0]!;
    const sy = conv1.y.scale;
    const m = Math.fround(Math.fround(sw * sx) * Math.fround(1 / sy));
    const s = Math.fround(Math.fround(Math.fround(sx) * Math.fround(sw)) / Math.fround(sy));
    expect(byScheme['torch-qnnpack@1']!.params['M']).toBe(`${m} (f32 0x${f32ToHex(m)})`);
    expect(byScheme['onnxruntime@1']!.params['S']).toBe(`${s} (f32 0x${f32ToHex(s)})`);
    expect(parseInt(f32ToHex(m), 16) - parseInt(f32ToHex(s), 16)).toBe(1);
    expect(l.requantization.every((q) => q.formula.length > 10)).toBe(true);
  });

  it('fake-quant with quant_max 127: the clamp-range count is the converted outputs above 127', () => {
    const observed: ExplainModel = {
      ...model,
      steps: model.steps.map((s) =>
        s.kind === 'conv2d' ? { ...s, activationObserver: { observer: 'HistogramObserver', dtype: 'quint8', qscheme: 'per_tensor_affine', reduceRange: true, quantMin: 0, quantMax: 127, minVal: [0], maxVal: [1] } } : s,
      ),
    };
    const big = { ...input, tensor: f32Tensor(input.tensor.shape, input.tensor.data.map((v) => v * 3)) };
    const r = explainModel(observed, big, { seed: '1' });
    const l = r.steps[0] as ConvLayerReport;
    const xq = impl.quantizePerTensor(big.tensor, { scale: model.input!.scale, zeroPoint: model.input!.zeroPoint, dtype: 'quint8' });
    const out = impl.quantizedConv2d(convArgsFor(conv1, xq, 'onnxruntime@1', 'int32_wrap'));
    const above = out.data.filter((y) => y > 127).length;
    expect(above).toBeGreaterThan(0);
    expect(l.fakeQuant.clampRange).toBe(above);
    expect(l.clamp.aboveQuantMax).toBe(above);
    expect(l.clamp.atHigh).toBe(out.data.filter((y) => y === 255).length);
    expect(l.clamp.atLow).toBe(out.data.filter((y) => y === 0).length);
    expect(l.clamp.kernel).toEqual([0, 255]);
    expect(r.fakeQuantPartsAt?.layer).toBe('/conv1/Conv');
  });

  it('after an unmodelled op the next conv runs on generated data, and says so', () => {
    const broken: ExplainModel = { ...model, steps: [model.steps[0]!, { kind: 'not_modelled', name: 'odd', opType: 'Softmax', reason: 'Softmax is not modelled' }, model.steps[2]!] };
    const r = explainModel(broken, generatedInput([1, 3, 16, 16], '7'), { seed: '7' });
    expect(r.input.origin).toBe('generated');
    expect(r.input.description).toMatch(/^GENERATED/);
    expect((r.steps[0] as ConvLayerReport).inputOrigin).toBe('chain');
    expect((r.steps[2] as ConvLayerReport).inputOrigin).toBe('generated');
  });
});
