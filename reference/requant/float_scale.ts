/**
 * The float32 requantization scale most float epilogues derive from one channel's scales, the wire's f64 values
 * rounded to float32 first, then float32 steps left to right (each rounded once via reference/exact/float_arith.ts):
 *   act_times_w = f32((float)s_x * (float)s_w[c])
 *   M           = f32(act_times_w / (float)s_y)
 * ONNX Runtime's output_scales (onnxruntime/core/providers/cpu/quantization/qlinearconv.cc), XNNPACK's
 * requantization_scale (src/operators/convolution-nhwc.c), FBGEMM's C_multiplier (torch qconv.cpp
 * PackedConvWeight::GetQuantizationParams) and the PT2E reference representation's multiplier all compute it so.
 */
import { f32Div, f32Mul, toF32 } from '../exact/float_arith.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import type { ChannelQuant } from './types.js';

/** act_times_w = f32((float)s_x * (float)s_w[c]): float32. */
export function f32ActTimesW(c: ChannelQuant): IeeeValue {
  return f32Mul(toF32(c.xScale), toF32(c.wScale));
}

/** M = f32(f32((float)s_x * (float)s_w[c]) / (float)s_y): float32, a division (not a reciprocal). */
export function f32OutputScale(c: ChannelQuant): IeeeValue {
  return f32Div(f32ActTimesW(c), toF32(c.yScale));
}
