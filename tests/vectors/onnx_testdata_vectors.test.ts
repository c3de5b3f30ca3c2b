import { describe, expect, it } from 'vitest';
import { ONNX_TESTDATA_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * The ONNX project's backend node tests (vectors/onnx-testdata-1.12, imported from Debian libonnx-testdata by
 * scripts/vectors/onnx_testdata_cli.ts): every case through the exact reference and the fast impl, bit for bit.
 * tests/backends/onnxruntime_qdq.test.ts runs real ONNX Runtime on the same set.
 */
const { manifest, files } = readVectorSet(ONNX_TESTDATA_VECTORS_DIR);

describe(`third-party vectors: ${manifest.oracle}`, () => {
  it('hold the quantize, dequantize, dynamic quantize, QLinearConv, MatMulInteger, QLinearMatMul and ConvInteger node tests with their provenance', () => {
    const ids = files.flatMap((f) => f.cases.map((c) => c.id));
    const tests = manifest.provenance.tests as Record<string, { case_id: string; sha256: Record<string, string> }>;
    expect(Object.keys(tests).sort()).toEqual([
      'test_basic_convinteger',
      'test_convinteger_with_padding',
      'test_convinteger_without_padding',
      'test_dequantizelinear',
      'test_dequantizelinear_axis',
      'test_dynamicquantizelinear',
      'test_dynamicquantizelinear_max_adjusted',
      'test_dynamicquantizelinear_min_adjusted',
      'test_matmulinteger',
      'test_qlinearconv',
      'test_qlinearmatmul_2D',
      'test_qlinearmatmul_3D',
      'test_quantizelinear',
      'test_quantizelinear_axis',
    ]);
    expect(Object.values(tests).map((t) => t.case_id).sort()).toEqual([...ids].sort());
    for (const t of Object.values(tests)) expect(t.sha256['model.onnx']).toMatch(/^[0-9a-f]{64}$/);
  });

  itMatchesEveryCase('onnx-testdata-1.12', files);
});
