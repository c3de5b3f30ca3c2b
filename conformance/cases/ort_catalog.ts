/** The ONNX Runtime vector set: its generators, counts and seed (the torch set's are in catalog.ts). */
import type { CaseFactory } from './builders.js';
import { ortConvCase } from './conv_cases.js';
import type { OnnxQuantOpName } from '../../contract/onnx_quant.js';
import { dequantizeLinearCase, dynamicQuantizeLinearCase, quantizeLinearCase } from './onnx_quant_cases.js';

export const ORT_GENERATOR_VERSION = 1;
export const ORT_DEFAULT_SEED = 'qconform-onnxruntime-1.30-v1';

export const ORT_CATALOG: ReadonlyArray<{ op: 'quantized_conv2d@1'; count: number; factory: CaseFactory }> = [{ op: 'quantized_conv2d@1', count: 1500, factory: ortConvCase }];

/** The ONNX Runtime QuantizeLinear / DequantizeLinear / DynamicQuantizeLinear set (vectors/onnxruntime-1.30-qdq). */
export const ORT_QDQ_GENERATOR_VERSION = 1;
export const ORT_QDQ_DEFAULT_SEED = 'qconform-onnxruntime-1.30-qdq-v1';

export const ORT_QDQ_CATALOG: ReadonlyArray<{ op: OnnxQuantOpName; count: number; factory: CaseFactory }> = [
  { op: 'quantize_linear@1', count: 400, factory: quantizeLinearCase },
  { op: 'dequantize_linear@1', count: 300, factory: dequantizeLinearCase },
  { op: 'dynamic_quantize_linear@1', count: 200, factory: dynamicQuantizeLinearCase },
];
