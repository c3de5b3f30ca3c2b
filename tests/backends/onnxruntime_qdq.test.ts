import { describe, expect, it } from 'vitest';
import { onnxruntimeBackend } from '../../conformance/backends/onnxruntime/onnxruntime_builtin.js';
import { judgeAnswer } from '../../conformance/runner/verdict.js';
import { type ErrorCode, IRREPRODUCIBLE_ORACLE_OUTPUTS } from '../../contract/errors.js';
import { ONNX_TESTDATA_VECTORS_DIR, ORT_QDQ_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';

/**
 * Real ONNX Runtime (onnxruntime-node, the `onnxruntime` built-in in process) on the QuantizeLinear /
 * DequantizeLinear / DynamicQuantizeLinear golden vectors it wrote and on the ONNX project's node tests. The runner's
 * verdict: where the contract rejects an input ORT computes (scale <= 0, NaN scale), ORT must return exactly the
 * outputs recorded beside the error. Where no outputs are recorded because ORT's depend on the CPU's vector lanes
 * (DynamicQuantizeLinear on NaN input: nan_input), ORT must still answer, and those cases are counted apart.
 */
const backend = await onnxruntimeBackend.create();

for (const dir of [ORT_QDQ_VECTORS_DIR, ONNX_TESTDATA_VECTORS_DIR]) {
  const { manifest, files } = readVectorSet(dir);
  describe(`onnxruntime on ${manifest.oracle}`, () => {
    for (const { file, cases } of files) {
      it(`passes ${file.path} (${cases.length} cases)`, async () => {
        expect(backend.capabilities.ops).toContain(file.op);
        let judged = 0;
        const unrecorded = cases.filter((c) => 'error' in c.expect && IRREPRODUCIBLE_ORACLE_OUTPUTS.has(c.expect.error.code as ErrorCode));
        const failures: string[] = [];
        for (const c of cases) {
          const got = await backend.run(c, { timeoutMs: 60_000 });
          judged++;
          if (unrecorded.includes(c)) {
            if (!('outputs' in got)) failures.push(`${c.id}: ORT computes this input, but answered ${JSON.stringify(got)}`);
            continue;
          }
          const verdict = judgeAnswer(c, got);
          if (!verdict.pass) failures.push(`${c.id}: ${verdict.difference.message}`);
        }
        expect(judged).toBe(cases.length);
        expect(unrecorded.length).toBeLessThan(cases.length / 10);
        expect(failures.slice(0, 5), `${failures.length} of ${cases.length} cases fail`).toEqual([]);
      }, 120_000);
    }
  });
}
