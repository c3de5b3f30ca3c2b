/**
 * onnxruntime@1: ONNX Runtime 1.30 CPU QLinearConv (requantization-schemes.md §11b; backends-measured.md).
 * Sources: onnxruntime/core/providers/cpu/quantization/qlinearconv.cc (output_scales), MLAS
 * MlasRequantizeOutput (lib/quantize.cpp) and the MlasConvSym post-processing parameters.
 * ONNX scales are float32 tensors: the f64 wire values are rounded to float32 first.
 * Its fp32 epilogue is also xnnpack-fp32@1's (xnnpack_fp32.ts); only the scale differs.
 */
import { f32Mul, intToF32 } from '../exact/float_arith.js';
import { type IeeeValue, exactInteger } from '../exact/ieee_value.js';
import { cvtps2dq } from '../exact/x86_conversions.js';
import { clampFloat } from './float_clamp.js';
import { f32OutputScale } from './float_scale.js';
import { int32Add } from './int32_add.js';
import { type ChannelQuant, type Int32Policy, type RequantRef, int32Bias } from './types.js';

export interface FloatScaleParams {
  /** the float32 requantization scale */
  readonly scale: IeeeValue;
  readonly bias: bigint;
  /** float(outMin - zp), float(outMax - zp): the clamp applied before rounding */
  readonly lo: IeeeValue;
  readonly hi: IeeeValue;
  readonly zeroPoint: bigint;
}

/** The epilogue's parameters for one channel, given its float32 scale. */
export function floatScaleParams(c: ChannelQuant, scale: IeeeValue): FloatScaleParams {
  return { scale, bias: int32Bias(c), lo: exactInteger(c.outMin - c.yZeroPoint), hi: exactInteger(c.outMax - c.yZeroPoint), zeroPoint: c.yZeroPoint };
}

/**
 * MlasRequantizeOutput (and xnn_qs8/qu8_requantize_fp32): f = f32(f32(acc + bias) * scale) (int32 add),
 * clamped in float to [outMin - zp, outMax - zp], rounded half-even (cvtps2dq), then + zp as an integer.
 */
export function floatScaleRequantize(acc: bigint, p: FloatScaleParams, policy: Int32Policy): bigint {
  const f = f32Mul(intToF32(int32Add(acc, p.bias, policy)), p.scale);
  return cvtps2dq(clampFloat(f, p.lo, p.hi)) + p.zeroPoint;
}

/** output_scales[c] = f32(f32(X_scale * W_scale[c]) / Y_scale), every scale a float32. */
function prepare(c: ChannelQuant): FloatScaleParams {
  return floatScaleParams(c, f32OutputScale(c));
}

export const onnxruntime: RequantRef<FloatScaleParams> = { prepare, requantize: floatScaleRequantize };
