import { describe, expect, it } from 'vitest';
import { LITERT_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * The conv golden vectors from TFLite in LiteRT.js (vectors/litert-2.5): every case, bit for bit, through the
 * exact reference and the fast impl, under the scheme of the kernel path that computed it (builtin CONV_2D:
 * tflite-single-rounding@1, builtin DEPTHWISE_CONV_2D: tflite-double-rounding@1, XNNPACK delegate:
 * xnnpack-fp32@1). LiteRT.js is not needed to run this.
 */
const { manifest, files } = readVectorSet(LITERT_VECTORS_DIR);

describe(`golden vectors from ${manifest.oracle}`, () => {
  it('hold at least 1,000 convs with outputs, on every kernel path, both activation dtypes and both weight quantizations', () => {
    const cases = files.flatMap((f) => f.cases);
    expect(cases.length).toBeGreaterThanOrEqual(1000);
    expect(cases.filter((c) => 'outputs' in c.expect).length / cases.length).toBeGreaterThan(0.9); // the rest: XNNPACK refusing a requantization scale >= 256
    const schemes = new Set(cases.map((c) => String(c.attrs.scheme)));
    expect([...schemes].sort()).toEqual(['tflite-double-rounding@1', 'tflite-single-rounding@1', 'xnnpack-fp32@1']);
    const kinds = new Set(cases.map((c) => `${(c.inputs.x as { dtype: string }).dtype}/${String(c.attrs.weight_quantization)}`));
    expect([...kinds].sort()).toEqual(['qint8/per_channel', 'qint8/per_tensor', 'quint8/per_channel', 'quint8/per_tensor']);
  });

  itMatchesEveryCase('litert-2.5', files);
});

describe('the LiteRT vectors tell the three TFLite schemes apart', () => {
  it('each kernel path has cases that the other two schemes would get wrong (the choice of path is observable)', async () => {
    const { impl } = await import('../../impl/index.js');
    const { evaluateRequest } = await import('../../conformance/protocol/dispatch.js');
    const schemes = ['tflite-single-rounding@1', 'tflite-double-rounding@1', 'xnnpack-fp32@1'];
    const telling: Record<string, number> = Object.fromEntries(schemes.map((s) => [s, 0]));
    for (const c of files.flatMap((f) => f.cases)) {
      const expect = c.expect;
      if (!('outputs' in expect)) continue;
      const own = String(c.attrs.scheme);
      const others = schemes.filter((s) => s !== own).map((s) => evaluateRequest(impl, { ...c, attrs: { ...c.attrs, scheme: s } }));
      if (others.every((o) => !('outputs' in o) || JSON.stringify(o.outputs) !== JSON.stringify(expect.outputs))) telling[own]! += 1;
    }
    // the committed set (fp32 and single rounding differ on ties only, hence the few xnnpack-fp32 cases)
    expect(telling).toEqual({ 'tflite-single-rounding@1': 22, 'tflite-double-rounding@1': 22, 'xnnpack-fp32@1': 3 });
  });
});
