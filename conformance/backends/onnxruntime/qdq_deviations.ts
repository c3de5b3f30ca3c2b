/**
 * What ONNX Runtime 1.30 computes for input the contract of the ONNX quantization ops rejects (the ORT counterpart of
 * CONTRACT_REJECTIONS, which states torch's): the golden vectors record the typed error, this text and ORT's outputs.
 * Measured with onnxruntime-node 1.30.0 on x86-64.
 */
import type { ErrorCode } from '../../../contract/errors.js';

export const ORT_QDQ_DEVIATIONS: Partial<Record<ErrorCode, string>> = {
  scale_not_positive:
    'ONNX Runtime 1.30 accepts a zero or negative scale: QuantizeLinear divides by it (x / 0 saturates, 0 / 0 is NaN and gives qmin), DequantizeLinear multiplies by it',
  scale_not_finite: 'ONNX Runtime 1.30 accepts NaN and infinite scales: QuantizeLinear then gives qmin (NaN) or the zero point, DequantizeLinear NaN or infinities',
  nan_input: 'ONNX Runtime 1.30 computes DynamicQuantizeLinear on NaN input; MlasFindMinMaxElement skips or keeps the NaN depending on its vector lane, so the outputs depend on where the NaN is',
};
