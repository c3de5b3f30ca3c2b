/** The ONNX Runtime integer-ops vector set (vectors/onnxruntime-1.30-ops): its generators, counts and seed. */
import type { OnnxQOpName } from '../../contract/onnx_qops.js';
import type { OnnxQuantOpName } from '../../contract/onnx_quant.js';
import { msDequantizeLinearCase, msQuantizeLinearCase } from './onnx_quant_cases.js';
import type { CaseFactory } from './builders.js';
import { convIntegerCase, dynamicQuantizeMatMulCase, matmulIntegerCase, matmulIntegerToFloatCase, qgemmCase, qlinearAddCase, qlinearLeakyReluCase, qlinearMatMulCase, qlinearMulCase, qlinearSigmoidCase, qlinearSoftmaxCase } from './onnx_qops_cases.js';
import { qlinearAveragePoolCase, qlinearConcatCase, qlinearGlobalAveragePoolCase } from './onnx_qpool_cases.js';
import { qlinearWhereCase } from './onnx_qwhere_cases.js';
import { dynamicQuantizeLstmCase } from './onnx_qlstm_cases.js';
import { qlinearConvNhwcCase } from './qlinear_conv_nhwc_cases.js';
import { gatherBlockQuantizedCase } from './gather_block_quantized_cases.js';
import { matmulNBitsCase } from './onnx_nbits_cases.js';
import { qattentionCase } from './onnx_qattention_cases.js';
import { qembedLayerNormCase } from './onnx_qembed_cases.js';
import { matmulInteger16Case } from './onnx_matmul_integer16_cases.js';
import { nhwcMaxPoolCase } from './onnx_nhwc_max_pool_cases.js';

export const ORT_OPS_GENERATOR_VERSION = 1;
export const ORT_OPS_DEFAULT_SEED = 'qconform-onnxruntime-1.30-ops-v1';

export const ORT_OPS_CATALOG: ReadonlyArray<{ op: OnnxQOpName | OnnxQuantOpName; count: number; factory: CaseFactory }> = [
  { op: 'matmul_integer@1', count: 300, factory: matmulIntegerCase },
  { op: 'qlinear_matmul@1', count: 400, factory: qlinearMatMulCase },
  { op: 'qgemm@1', count: 400, factory: qgemmCase },
  { op: 'conv_integer@1', count: 300, factory: convIntegerCase },
  { op: 'qlinear_add@1', count: 300, factory: qlinearAddCase },
  { op: 'qlinear_mul@1', count: 300, factory: qlinearMulCase },
  { op: 'matmul_integer_to_float@1', count: 300, factory: matmulIntegerToFloatCase },
  { op: 'dynamic_quantize_matmul@1', count: 300, factory: dynamicQuantizeMatMulCase },
  { op: 'qlinear_leaky_relu@1', count: 200, factory: qlinearLeakyReluCase },
  { op: 'qlinear_sigmoid@1', count: 200, factory: qlinearSigmoidCase },
  { op: 'qlinear_softmax@1', count: 200, factory: qlinearSoftmaxCase },
  { op: 'qlinear_global_average_pool@1', count: 300, factory: qlinearGlobalAveragePoolCase },
  { op: 'qlinear_average_pool@1', count: 300, factory: qlinearAveragePoolCase },
  { op: 'qlinear_concat@1', count: 300, factory: qlinearConcatCase },
  { op: 'qlinear_where@1', count: 300, factory: qlinearWhereCase },
  { op: 'dynamic_quantize_lstm@1', count: 300, factory: dynamicQuantizeLstmCase },
  { op: 'qlinear_conv_nhwc@1', count: 300, factory: qlinearConvNhwcCase },
  { op: 'gather_block_quantized@1', count: 300, factory: gatherBlockQuantizedCase },
  // the cases from MATMUL_NBITS_M1_FROM (300) on take a single row of a
  { op: 'matmul_nbits@1', count: 420, factory: matmulNBitsCase },
  { op: 'qattention@1', count: 300, factory: qattentionCase },
  { op: 'qembed_layer_normalization@1', count: 300, factory: qembedLayerNormCase },
  // com.microsoft QuantizeLinear / DequantizeLinear (the ONNX ops' kernels; the ONNX ops' own set is onnxruntime-1.30-qdq)
  { op: 'ms_quantize_linear@1', count: 300, factory: msQuantizeLinearCase },
  { op: 'ms_dequantize_linear@1', count: 300, factory: msDequantizeLinearCase },
  { op: 'matmul_integer16@1', count: 300, factory: matmulInteger16Case },
  { op: 'nhwc_max_pool@1', count: 300, factory: nhwcMaxPoolCase },
];
