/**
 * `qconform explain` on a Flatten between a DequantizeLinear and a QuantizeLinear (onnx_model.ts qdqRequantizeProblem),
 * as onnxruntime-node 1.30 runs it, with and without graph optimizations: when the QuantizeLinear's qparams are the
 * DequantizeLinear's, ORT's output is the integers unchanged (flattened), and explain carries them as a flatten step;
 * when they differ, ORT requantizes them, and explain lists the Flatten as not modelled. Before, only a MaxPool was
 * checked: the Flatten carried the integers unchanged where ORT requantizes them.
 * Replay: npx vitest run tests/explain/qdq_flatten_requantize.test.ts
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { X_SHAPE, chainInput, chainModel, f32, ortValues, zp } from '../support/explain_chain_models.js';
import { explainFiles } from '../support/explain_files.js';

const { onnx } = onnxProto;
const { file } = explainFiles('qconform-qdq-flatten-');

/**
 * chainModel's qconv1 (uint8, y scale 0.05, zero point 100), then DequantizeLinear -> Flatten -> QuantizeLinear to
 * (`scale`, `zeroPoint`), the model's output fq; qconv2 is dropped.
 */
function flattenModel(scale: number, zeroPoint: number): Uint8Array {
  const m = onnx.ModelProto.decode(
    chainModel({
      dtype: 'uint8',
      between: [
        { opType: 'DequantizeLinear', input: ['y1', 'ys', 'yz'], output: ['y1f'] },
        { opType: 'Flatten', name: 'flat', input: ['y1f'], output: ['ff'] },
        { opType: 'QuantizeLinear', input: ['ff', 'fs', 'fz'], output: ['fq'] },
        { opType: 'Identity', input: ['fq'], output: ['y1q'] },
      ],
      inits: [f32('fs', scale), zp('fz', 'uint8', zeroPoint)],
    }),
  );
  const g = m.graph!;
  g.node = g.node!.filter((n) => n.name !== 'qconv2' && n.opType !== 'Identity');
  g.initializer = g.initializer!.filter((t) => t.name !== 'w2');
  g.output = [{ name: 'fq' }];
  return onnx.ModelProto.encode(m).finish();
}

describe('DequantizeLinear -> Flatten -> QuantizeLinear, as onnxruntime-node 1.30 runs it', () => {
  const x = chainInput('explain-qdq-flatten');
  it('with the same qparams ORT gives the integers unchanged, and explain carries them as a flatten', async () => {
    const bytes = flattenModel(0.05, 100);
    for (const level of ['all', 'disabled'] as const) {
      const ort = await ortValues(bytes, x, X_SHAPE, ['y1', 'fq'], level);
      expect(ort['fq'], level).toEqual(ort['y1']);
    }
    const step = readOnnxModel(file('same.onnx', bytes)).steps.find((s) => s.name === 'flat');
    expect(step?.kind).toBe('flatten');
  }, 60_000);

  it('with other qparams ORT requantizes the integers, and explain lists the Flatten as not modelled', async () => {
    const bytes = flattenModel(0.07, 90);
    for (const level of ['all', 'disabled'] as const) {
      const ort = await ortValues(bytes, x, X_SHAPE, ['y1', 'fq'], level);
      // not vacuous: ORT's integers are not the ones explain would carry
      expect(ort['fq']!.filter((v, i) => v !== ort['y1']![i]).length, level).toBeGreaterThan(100);
    }
    const step = readOnnxModel(file('other.onnx', bytes)).steps.find((s) => s.name === 'flat');
    expect(step?.kind, 'replay: npx vitest run tests/explain/qdq_flatten_requantize.test.ts').toBe('not_modelled');
    expect((step as { reason: string }).reason).toContain('changes the qparams');
  }, 60_000);
});
