import { describe, expect, it } from 'vitest';
import { ORT_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * The QLinearConv golden vectors from ONNX Runtime (vectors/onnxruntime-1.30): every case, bit for bit,
 * through the exact reference and the fast impl (scheme onnxruntime@1). ORT is not needed to run this.
 */
const { manifest, files } = readVectorSet(ORT_VECTORS_DIR);

describe(`golden vectors from ${manifest.oracle}`, () => {
  it('hold at least 1,000 convs, most with outputs, on both activation dtypes and both weight quantizations', () => {
    const cases = files.flatMap((f) => f.cases);
    expect(cases.length).toBeGreaterThanOrEqual(1000);
    expect(cases.filter((c) => 'outputs' in c.expect).length / cases.length).toBeGreaterThan(0.9);
    const kinds = new Set(cases.map((c) => `${(c.inputs.x as { dtype: string }).dtype}/${String(c.attrs.weight_quantization)}`));
    expect([...kinds].sort()).toEqual(['qint8/per_channel', 'qint8/per_tensor', 'quint8/per_channel', 'quint8/per_tensor']);
  });

  itMatchesEveryCase('onnxruntime-1.30', files);
});
