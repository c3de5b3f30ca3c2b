/**
 * The float32 requantization scale most float epilogues derive from one channel's scales, fast twin of
 * reference/requant/float_scale.ts: the f64 scales rounded to float32 first, then float32 steps left to right:
 *   act_times_w = f32((float)s_x * (float)s_w[c])
 *   M           = f32(act_times_w / (float)s_y)
 * ONNX Runtime's output_scales (qlinearconv.cc), XNNPACK's requantization_scale (convolution-nhwc.c), FBGEMM's
 * C_multiplier and the PT2E reference representation's multiplier all compute it so, and ORT's QLinearMul and
 * QLinearMatMul on their float32 tensor scales (f32RequantScale).
 */
import { f32Div, f32Mul } from '../float32.js';
import type { ChannelQuantF } from './types.js';

/** act_times_w = f32((float)s_x * (float)s_w[c]). */
export function f32ActTimesW(c: ChannelQuantF): number {
  return f32Mul(Math.fround(c.xScale), Math.fround(c.wScale));
}

/** M = f32(f32((float)s_x * (float)s_w[c]) / (float)s_y), a division (not a reciprocal). */
export function f32OutputScale(c: ChannelQuantF): number {
  return f32RequantScale(c.xScale, c.wScale, c.yScale);
}

/** f32(f32((float)a * (float)b) / (float)y) on three scales (the roundings to float32 are the identity on float32 values). */
export function f32RequantScale(a: number, b: number, y: number): number {
  return f32Div(f32Mul(Math.fround(a), Math.fround(b)), Math.fround(y));
}
