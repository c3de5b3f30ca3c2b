/**
 * The cases of the committed ONNX Runtime 1.30 ops vector set as recorded on this host (vectors/onnxruntime-1.30-ops)
 * and on Haswell (its twin), for the tests that read what ORT recorded for one op.
 */
import { ORT_OPS_HASWELL_VECTORS_DIR, ORT_OPS_VECTORS_DIR, readVectorSet } from '../../conformance/vectors/vector_set.js';

/** Every case of both recordings, or only those of `op` (e.g. 'matmul_nbits@1') when given. */
export function ortOpsCases(op?: string) {
  const cases = (dir: string) => readVectorSet(dir).files.flatMap((f) => f.cases).filter((c) => op === undefined || c.op === op);
  return { host: cases(ORT_OPS_VECTORS_DIR), haswell: cases(ORT_OPS_HASWELL_VECTORS_DIR) };
}
