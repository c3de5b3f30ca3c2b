import { describe, expect, it } from 'vitest';
import { ORT_OPS } from '../../conformance/backends/onnxruntime/onnxruntime_ops.js';
import { judgeAnswer } from '../../conformance/runner/verdict.js';
import { ORT_OPS_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { installedOrt } from '../support/installed_ort.js';

/**
 * The real ONNX Runtime (onnxruntime-node 1.30, in process, this host's CPU) against its own integer-op vectors
 * (vectors/onnxruntime-1.30-ops): every case, bit for bit, with the runner's verdict (ORT's outputs where the
 * contract refuses a scale <= 0 are the recorded oracle_outputs). onnxruntime-node is a devDependency.
 */
const { files } = readVectorSet(ORT_OPS_VECTORS_DIR);

describe('onnxruntime-node on vectors/onnxruntime-1.30-ops', () => {
  for (const { file, cases } of files) {
    it(`matches ${file.path} (${cases.length} cases)`, { timeout: 120_000 }, async () => {
      const ort = await installedOrt();
      let judged = 0;
      const failures: string[] = [];
      for (const c of cases) {
        const runner = ORT_OPS[c.op];
        expect(runner, c.op).toBeDefined();
        const verdict = judgeAnswer(c, await runner!(ort, c));
        judged++;
        if (!verdict.pass) failures.push(`${c.id}: ${verdict.difference.message} [replay: npx qconform run --backend onnxruntime --vectors vectors/onnxruntime-1.30-ops --case ${c.id}]`);
      }
      expect(judged).toBe(cases.length);
      expect(failures.slice(0, 5), `${failures.length} of ${cases.length} cases differ`).toEqual([]);
    });
  }
});
