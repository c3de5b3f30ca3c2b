import { describe, expect, it } from 'vitest';
import { ORT_QDQ_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * The QuantizeLinear / DequantizeLinear / DynamicQuantizeLinear golden vectors from ONNX Runtime
 * (vectors/onnxruntime-1.30-qdq): every case, bit for bit, through the exact reference and the fast impl. ORT is
 * not needed to run this; tests/backends/onnxruntime_qdq.test.ts runs the real ORT on the same set.
 */
const { manifest, files } = readVectorSet(ORT_QDQ_VECTORS_DIR);
const cases = files.flatMap((f) => f.cases);
const withOutputs = cases.filter((c) => 'outputs' in c.expect);
const attr = (c: (typeof cases)[number], name: string) => c.attrs[name];
const inputDtype = (c: (typeof cases)[number], name: string) => (c.inputs[name] as { dtype?: string } | undefined)?.dtype;
const paramCount = (c: (typeof cases)[number], name: string) => ((c.inputs[name] as { shape: number[] } | undefined)?.shape ?? []).reduce((a, b) => a * b, 1);

describe(`golden vectors from ${manifest.oracle}`, () => {
  it('hold every op, layout and element type, mostly with outputs', () => {
    expect(files.map((f) => f.file.op).sort()).toEqual(['dequantize_linear@1', 'dynamic_quantize_linear@1', 'quantize_linear@1']);
    expect(withOutputs.length / cases.length).toBeGreaterThan(0.85);
    const q = withOutputs.filter((c) => c.op === 'quantize_linear@1');
    const dq = withOutputs.filter((c) => c.op === 'dequantize_linear@1');
    expect(new Set(q.map((c) => String(attr(c, 'dtype')))).size).toBe(6); // int8, uint8, int16, uint16, int4, uint4
    expect(new Set(dq.map((c) => inputDtype(c, 'x'))).size).toBe(7); // and int32
    for (const [op, set, scale] of [['quantize', q, 'y_scale'], ['dequantize', dq, 'x_scale']] as const) {
      const blocked = set.filter((c) => Number(attr(c, 'block_size') ?? 0) > 0).length;
      const perAxis = set.filter((c) => !(Number(attr(c, 'block_size') ?? 0) > 0) && paramCount(c, scale) > 1).length;
      expect({ op, blocked: blocked >= 20, perAxis: perAxis >= 40 }).toEqual({ op, blocked: true, perAxis: true });
    }
  });

  itMatchesEveryCase('onnxruntime-1.30-qdq', files);
});
