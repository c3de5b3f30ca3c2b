import { describe, expect, it } from 'vitest';
import { GEMMLOWP_VECTORS_DIR, XNNPACK_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * The vectors the native adapters wrote: XNNPACK's convolutions (vectors/xnnpack-2022, scheme
 * xnnpack-fp32@1) and gemmlowp's requantizations (vectors/gemmlowp, requantize@1 with
 * tflite-double-rounding@1), every case bit for bit through the exact reference and the fast impl.
 * Neither library is needed to run this.
 */
const SETS = [
  { dir: XNNPACK_VECTORS_DIR, name: 'xnnpack-2022', minCases: 1000 },
  { dir: GEMMLOWP_VECTORS_DIR, name: 'gemmlowp', minCases: 1000 },
];

for (const { dir, name, minCases } of SETS) {
  const { manifest, files } = readVectorSet(dir);
  describe(`golden vectors from ${manifest.oracle}`, () => {
    it('record the package version and are mostly outputs', () => {
      const cases = files.flatMap((f) => f.cases);
      expect(cases.length).toBeGreaterThanOrEqual(minCases);
      expect(cases.filter((c) => 'outputs' in c.expect).length / cases.length).toBeGreaterThan(0.85);
      expect(String(manifest.provenance.package_version)).toMatch(/^lib(xnnpack|gemmlowp)-dev /);
    });

    itMatchesEveryCase(name, files);
  });
}

describe('xnnpack-2022 covers every XNNPACK operator it maps to', () => {
  it('qs8 (qint8 per_tensor), qc8 (qint8 per_channel) and qu8 (quint8 per_tensor) convs with outputs', () => {
    const cases = readVectorSet(XNNPACK_VECTORS_DIR).files.flatMap((f) => f.cases).filter((c) => 'outputs' in c.expect);
    const kinds = new Set(cases.map((c) => `${(c.inputs.x as { dtype: string }).dtype}/${String(c.attrs.weight_quantization)}`));
    expect([...kinds].sort()).toEqual(['qint8/per_channel', 'qint8/per_tensor', 'quint8/per_tensor']);
  });
});
