/**
 * The contract of ms_quantize_linear@1 and ms_dequantize_linear@1 (com.microsoft QuantizeLinear-1 / DequantizeLinear-1).
 * ONNX Runtime 1.30 registers them in onnxruntime/core/providers/cpu/quantization/quantize_linear.cc (namespace
 * contrib, ONNX_CPU_OPERATOR_TYPED_MS_KERNEL) with the very kernel classes of the ONNX ops, QuantizeLinear<T> and
 * DequantizeLinear<T>, for the integer types uint8, int8, uint16, int16, Int4x2, UInt4x2 (and int32 for
 * DequantizeLinear), float32 scales. What differs is the schema (onnxruntime/core/graph/contrib_ops/quantization_defs.cc),
 * measured with onnxruntime-node 1.30.0:
 *   - `axis` is the only attribute: block_size, saturate and output_dtype are refused ("Unrecognized attribute",
 *     contract/onnx_quant_attributes.ts), so the kernels' own defaults hold (block_size 0: per tensor or per axis only;
 *     saturate 1; axis 1 when absent);
 *   - QuantizeLinear's output type is y_zero_point's; without a zero point the schema infers uint8 and any other
 *     declared output type is a type error.
 * These map a request onto the ONNX ops' arguments, whose checks and arithmetic then apply unchanged.
 */
import type { DequantizeLinearArgs, MsDequantizeLinearArgs, MsQuantizeLinearArgs, QuantizeLinearArgs } from './onnx_quant.js';

/** As QuantizeLinear-21 arguments: the zero point's type (uint8 without one), block_size 0, saturate 1. */
export function msQuantizeLinearAsOnnx(a: MsQuantizeLinearArgs): QuantizeLinearArgs {
  return { x: a.x, yScale: a.yScale, yZeroPoint: a.yZeroPoint, dtype: a.yZeroPoint ? a.yZeroPoint.dtype : 'uint8', axis: a.axis, blockSize: 0, saturate: 1 };
}

/** As DequantizeLinear-21 arguments: block_size 0. */
export function msDequantizeLinearAsOnnx(a: MsDequantizeLinearArgs): DequantizeLinearArgs {
  return { x: a.x, xScale: a.xScale, xZeroPoint: a.xZeroPoint, axis: a.axis, blockSize: 0 };
}
