/**
 * The attribute schemas of the ONNX quantization ops (contract/onnx_quant.ts) as ONNX Runtime 1.30 checks them
 * (contract/onnx_attributes.ts): ONNX QuantizeLinear-21 and DequantizeLinear-21 (onnx/defs/quantization/defs.cc),
 * DynamicQuantizeLinear-11 (no attributes), and com.microsoft QuantizeLinear-1 / DequantizeLinear-1 (axis only,
 * onnxruntime/core/graph/contrib_ops/quantization_defs.cc). Measured with onnxruntime-node 1.30.0: precision
 * (QuantizeLinear-23) and output_dtype (DequantizeLinear-23) are "Unrecognized attribute" at opset 21 and accepted
 * from opset 23 on (tests/backends/ort_qdq_attributes.test.ts). In a model of an earlier opset, ORT refuses the attributes
 * the op's version there lacks (`since`: axis from QuantizeLinear-13 / DequantizeLinear-13, saturate from
 * QuantizeLinear-19, block_size and output_dtype from version 21; tests/explain/onnx_node_attributes.test.ts).
 */
import type { OnnxAttributeSchema } from './onnx_attributes.js';
import type { OnnxQuantOpName } from './onnx_quant.js';

export const ONNX_QUANT_ATTRIBUTES: Readonly<Record<OnnxQuantOpName, OnnxAttributeSchema>> = {
  'quantize_linear@1': {
    onnxOp: 'QuantizeLinear-21',
    onnx: { axis: 'INT', block_size: 'INT', saturate: 'INT', output_dtype: 'INT' },
    later: { precision: 'QuantizeLinear-23' },
    since: { axis: 13, saturate: 19, block_size: 21, output_dtype: 21 },
    wire: { dtype: 'STRING' },
    notOnWire: { output_dtype: 'carries as attrs.dtype (an element type name such as "int8")' },
  },
  'dequantize_linear@1': { onnxOp: 'DequantizeLinear-21', onnx: { axis: 'INT', block_size: 'INT' }, later: { output_dtype: 'DequantizeLinear-23' }, since: { axis: 13, block_size: 21 } },
  'dynamic_quantize_linear@1': { onnxOp: 'DynamicQuantizeLinear-11', onnx: {} },
  'ms_quantize_linear@1': { onnxOp: 'com.microsoft QuantizeLinear-1', onnx: { axis: 'INT' } },
  'ms_dequantize_linear@1': { onnxOp: 'com.microsoft DequantizeLinear-1', onnx: { axis: 'INT' } },
};
