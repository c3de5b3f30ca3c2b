import { describe, expect, it } from 'vitest';
import { ORT_OPS_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * The ONNX integer-op golden vectors from ONNX Runtime 1.30 (vectors/onnxruntime-1.30-ops: MatMulInteger,
 * QLinearMatMul, com.microsoft QGemm, ConvInteger): every case, bit for bit, through the exact reference and
 * the fast impl. ORT is not needed to run this; tests/backends/ort_ops.test.ts runs ORT itself.
 */
const { manifest, files } = readVectorSet(ORT_OPS_VECTORS_DIR);
const cases = files.flatMap((f) => f.cases);
const dtype = (c: (typeof cases)[number], name: string) => (c.inputs[name] as { dtype: string } | undefined)?.dtype;
const shape = (c: (typeof cases)[number], name: string) => (c.inputs[name] as { shape: number[] } | undefined)?.shape ?? [];

describe(`golden vectors from ${manifest.oracle}`, () => {
  it('hold every op with a few hundred cases, mostly outputs, and a few typed refusals', () => {
    for (const op of ['matmul_integer@1', 'qlinear_matmul@1', 'qgemm@1', 'conv_integer@1']) {
      const mine = cases.filter((c) => c.op === op);
      expect(mine.length, op).toBeGreaterThanOrEqual(300);
      expect(mine.filter((c) => 'outputs' in c.expect).length / mine.length, op).toBeGreaterThan(0.9);
      expect(mine.some((c) => 'error' in c.expect), op).toBe(true);
    }
  });

  it('cover every dtype combination ORT registers, per-column b parameters, batched and 1-D matmuls, float QGemm', () => {
    const ok = cases.filter((c) => 'outputs' in c.expect);
    const combos = (op: string, a: string, b: string) => new Set(ok.filter((c) => c.op === op).map((c) => `${dtype(c, a)}x${dtype(c, b)}`));
    expect([...combos('matmul_integer@1', 'a', 'b')].sort()).toEqual(['qint8xqint8', 'qint8xquint8', 'quint8xqint8', 'quint8xquint8']);
    expect([...combos('qlinear_matmul@1', 'a', 'b')].sort()).toEqual(['qint8xqint8', 'quint8xqint8', 'quint8xquint8']);
    expect([...combos('qgemm@1', 'a', 'b')].sort()).toEqual(['qint8xqint8', 'quint8xqint8', 'quint8xquint8']);
    expect([...combos('conv_integer@1', 'x', 'w')].sort()).toEqual(['qint8xqint8', 'qint8xquint8', 'quint8xqint8', 'quint8xquint8']);
    const qlinear = ok.filter((c) => c.op === 'qlinear_matmul@1');
    expect(qlinear.filter((c) => shape(c, 'b_scale').reduce((x, y) => x * y, 1) > 1).length).toBeGreaterThan(50);
    expect(qlinear.filter((c) => shape(c, 'a').length > 2).length).toBeGreaterThan(20);
    expect(ok.filter((c) => c.op !== 'conv_integer@1' && (shape(c, 'a').length === 1 || shape(c, 'b').length === 1)).length).toBeGreaterThan(5);
    expect(ok.filter((c) => c.op === 'qgemm@1' && !c.inputs.y_scale).length).toBeGreaterThan(50);
    expect(ok.filter((c) => c.op === 'qgemm@1' && c.attrs.trans_a === true).length).toBeGreaterThan(50);
  });

  itMatchesEveryCase('onnxruntime-1.30-ops', files);
});
