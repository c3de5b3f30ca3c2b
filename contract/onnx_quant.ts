/**
 * The ONNX quantization ops, with ONNX Runtime 1.30 (CPU execution provider) as their oracle:
 *   - `quantize_linear@1`: QuantizeLinear-21, y = saturate(round_half_even(f32(x / y_scale)) + y_zero_point), a float32
 *     DIVISION by the scale (torch's quantize_per_tensor@1 multiplies by a float32 reciprocal instead);
 *   - `dequantize_linear@1`: DequantizeLinear-21, y = f32(f32(int32(x) - x_zero_point) * x_scale);
 *   - `dynamic_quantize_linear@1`: DynamicQuantizeLinear-11 (uint8 only): the scale and zero point of x's range
 *     widened to include 0, then quantize_linear's element step;
 *   - `ms_quantize_linear@1`, `ms_dequantize_linear@1`: com.microsoft QuantizeLinear-1 / DequantizeLinear-1, which ORT
 *     1.30 registers with the same kernel classes as the ONNX ops (quantize_linear.cc, contrib namespace): per tensor and
 *     per axis only (the schema has no block_size, saturate or output_dtype attribute), QuantizeLinear's output type is
 *     y_zero_point's (uint8 without one); contract/ms_qdq_checks.ts maps them onto the ONNX ops' arguments.
 * Per tensor, per axis and blocked layouts (contract/qdq_layout.ts) and every integer element type ORT 1.30 runs
 * (contract/onnx_dtypes.ts; QuantizeLinear has no int32 output). The arithmetic of each step: reference/ops/
 * quantize_linear.ts (exact) and impl/quantize_linear.ts (fast); the checks: contract/onnx_quant_checks.ts.
 */
import type { OnnxIntDtype } from './onnx_dtypes.js';
import type { F32Tensor, IntTensor } from './tensor.js';

export const ONNX_QUANT_OP_NAMES = ['quantize_linear@1', 'dequantize_linear@1', 'dynamic_quantize_linear@1', 'ms_quantize_linear@1', 'ms_dequantize_linear@1'] as const;
export type OnnxQuantOpName = (typeof ONNX_QUANT_OP_NAMES)[number];

/** The output element types QuantizeLinear-21 has ORT 1.30 CPU kernels for (int32 is refused by the ONNX checker). */
export const QUANTIZE_LINEAR_DTYPES = ['int8', 'uint8', 'int16', 'uint16', 'int4', 'uint4'] as const satisfies readonly OnnxIntDtype[];
/** DequantizeLinear-21 also takes int32 (with a zero point, x - zp is an int32 subtraction that wraps). */
export const DEQUANTIZE_LINEAR_DTYPES = ['int8', 'uint8', 'int16', 'uint16', 'int32', 'int4', 'uint4'] as const satisfies readonly OnnxIntDtype[];

export interface QuantizeLinearArgs {
  readonly x: F32Tensor;
  /** float32: one element (per tensor), [D_axis] (per axis), or x's shape with ceil(D_axis / block_size) on the axis (blocked) */
  readonly yScale: F32Tensor;
  /** absent: 0; else of dtype `dtype` and the shape of y_scale */
  readonly yZeroPoint: IntTensor | null;
  /** the output element type (ONNX: the zero point's type, or output_dtype) */
  readonly dtype: string;
  /** default 1; negative counts from the end */
  readonly axis: number;
  /** default 0 (not blocked) */
  readonly blockSize: number;
  /** any integer, default 1: it only changes float8 outputs; for the integer types ORT ignores it, whatever its value (they always saturate) */
  readonly saturate: number;
}

export interface DequantizeLinearArgs {
  /** one of DEQUANTIZE_LINEAR_DTYPES */
  readonly x: IntTensor;
  readonly xScale: F32Tensor;
  readonly xZeroPoint: IntTensor | null;
  readonly axis: number;
  readonly blockSize: number;
}

export interface DynamicQuantizeLinearResult {
  /** uint8, x's shape */
  readonly y: IntTensor;
  /** float32 [] */
  readonly yScale: F32Tensor;
  /** uint8 [] */
  readonly yZeroPoint: IntTensor;
}

/** com.microsoft QuantizeLinear-1: attribute axis only; the output type is y_zero_point's, uint8 without one. */
export interface MsQuantizeLinearArgs {
  readonly x: F32Tensor;
  /** one element (per tensor) or [D_axis] (per axis) */
  readonly yScale: F32Tensor;
  /** absent: 0 and a uint8 output; else one of QUANTIZE_LINEAR_DTYPES, the shape of y_scale */
  readonly yZeroPoint: IntTensor | null;
  /** default 1; negative counts from the end */
  readonly axis: number;
}

/** com.microsoft DequantizeLinear-1: attribute axis only, any of DEQUANTIZE_LINEAR_DTYPES. */
export interface MsDequantizeLinearArgs {
  readonly x: IntTensor;
  readonly xScale: F32Tensor;
  readonly xZeroPoint: IntTensor | null;
  readonly axis: number;
}

export interface OnnxQuantOps {
  quantizeLinear(a: QuantizeLinearArgs): IntTensor;
  dequantizeLinear(a: DequantizeLinearArgs): F32Tensor;
  dynamicQuantizeLinear(x: F32Tensor): DynamicQuantizeLinearResult;
  msQuantizeLinear(a: MsQuantizeLinearArgs): IntTensor;
  msDequantizeLinear(a: MsDequantizeLinearArgs): F32Tensor;
}
