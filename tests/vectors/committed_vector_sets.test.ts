/**
 * Every committed vector set passes the complete load-time validation (conformance/vectors/vector_set.ts):
 * manifest, hashes, counts, no unlisted files, unique ids across the set, and each case against the
 * schema and the contract. Counts are compared with the manifests so the check is not vacuous.
 */
import { describe, expect, it } from 'vitest';
import { COMMITTED_VECTOR_DIRS, ONNX_TESTDATA_VECTORS_DIR, scanVectorSet } from '../../conformance/vectors/vector_set.js';

describe('committed vector sets', () => {
  it.each(COMMITTED_VECTOR_DIRS.map((d) => [d.split('/').at(-1)!, d]))('%s validates completely', { timeout: 120_000 }, (_name, dir) => {
    let cases = 0;
    let withOutputs = 0;
    const { manifest } = scanVectorSet(dir, (c) => {
      cases++;
      if ('outputs' in c.expect) withOutputs++;
    });
    expect(cases).toBe(manifest.files.reduce((a, f) => a + f.cases, 0));
    // the smallest generated set (torch-1.13-onednn-haswell) holds 399; the imported ONNX node tests hold what ONNX ships (8)
    // the smallest committed sets: onnx-testdata-1.12 (14), onnxruntime-1.30-ops-haswell (350)
    expect(cases).toBeGreaterThanOrEqual(dir === ONNX_TESTDATA_VECTORS_DIR ? 14 : 350);
    expect(withOutputs).toBeGreaterThan(cases / 2);
  });
});
