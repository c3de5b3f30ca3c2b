/**
 * The requantizing output stage of ORT 1.30's QLinearMatMul and QGemm: MLAS_QGEMM_REQUANT_OUTPUT_PROCESSOR,
 * i.e. MlasRequantizeOutput (onnxruntime/core/mlas/lib/quantize.cpp), with no bias and one float32 scale per
 * tensor or per column. It is the epilogue of onnxruntime@1 (reference/requant/onnxruntime.ts, QLinearConv),
 * reused as is: f32(f32(acc) * scale) clamped in float to [qmin - z_y, qmax - z_y], rounded half-even
 * (cvtps2dq), + z_y.
 */
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { type FloatScaleParams, floatScaleParams, floatScaleRequantize } from '../requant/onnxruntime.js';
import type { ChannelQuant } from '../requant/types.js';

/** The epilogue parameters of one output column (its float32 output scale). */
export function qlinearOutputParams(scale: IeeeValue, yZeroPoint: number, dtype: QuantDtype): FloatScaleParams {
  const range = DTYPE_RANGE[dtype];
  // only the output fields are read by floatScaleParams: the scales are folded into `scale` already
  const c: ChannelQuant = { xScale: scale, wScale: scale, yScale: scale, perChannel: false, yZeroPoint: BigInt(yZeroPoint), bias: null, relu: false, outMin: BigInt(range.min), outMax: BigInt(range.max), qnnpackPath: 'gemm' };
  return floatScaleParams(c, scale);
}

/** MlasRequantizeOutput of one int32 accumulator. */
export function qlinearOutput(acc: bigint, p: FloatScaleParams): number {
  return Number(floatScaleRequantize(acc, p, 'wrap'));
}
