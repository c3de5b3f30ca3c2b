/** The ONNX Runtime integer-ops vector set (vectors/onnxruntime-1.30-ops): its generators, counts and seed. */
import type { OnnxQOpName } from '../../contract/onnx_qops.js';
import type { CaseFactory } from './builders.js';
import { qlinearAveragePoolCase, qlinearConcatCase, qlinearGlobalAveragePoolCase } from './onnx_qpool_cases.js';
import { convIntegerCase, matmulIntegerCase, qgemmCase, qlinearAddCase, qlinearMatMulCase, qlinearMulCase } from './onnx_qops_cases.js';

export const ORT_OPS_GENERATOR_VERSION = 1;
export const ORT_OPS_DEFAULT_SEED = 'qconform-onnxruntime-1.30-ops-v1';

export const ORT_OPS_CATALOG: ReadonlyArray<{ op: OnnxQOpName; count: number; factory: CaseFactory }> = [
  { op: 'matmul_integer@1', count: 300, factory: matmulIntegerCase },
  { op: 'qlinear_matmul@1', count: 400, factory: qlinearMatMulCase },
  { op: 'qgemm@1', count: 400, factory: qgemmCase },
  { op: 'conv_integer@1', count: 300, factory: convIntegerCase },
  { op: 'qlinear_add@1', count: 300, factory: qlinearAddCase },
  { op: 'qlinear_mul@1', count: 300, factory: qlinearMulCase },
  { op: 'qlinear_global_average_pool@1', count: 300, factory: qlinearGlobalAveragePoolCase },
  { op: 'qlinear_average_pool@1', count: 300, factory: qlinearAveragePoolCase },
  { op: 'qlinear_concat@1', count: 300, factory: qlinearConcatCase },
];
