/**
 * torch qnnpack's requantization multiplier of one output channel, and its refusal. torch 1.13
 * aten/src/ATen/native/quantized/cpu/QnnpackUtils.h generate_requantization_scales computes, all in float32,
 * M = f32(f32((float)s_w * (float)s_x) * f32(1 / (float)s_y)) (a reciprocal of the output scale, never a division by
 * it) and checks M > 0 && isnormal(M). impl/requant/torch_qnnpack.ts computes its multiplier here;
 * reference/requant/torch_qnnpack.ts is its exact twin (reference/exact float32 rounding). The contract checks it
 * before it sizes a conv's output (contract/conv_checks.ts): torch's qnnpack conv raises it before
 * "each dimension of output tensor should be greater than 0" and before allocating a negative-size output.
 */
import { QconformError } from './errors.js';
import { isPositiveNormalFloat32 } from './float_bits.js';

/** M = f32(f32(f32(s_w) * f32(s_x)) * f32(1 / f32(s_y))): float32 throughout (Math.fround after each step). */
export function qnnpackMultiplier(wScale: number, xScale: number, yScale: number): number {
  return Math.fround(Math.fround(Math.fround(wScale) * Math.fround(xScale)) * Math.fround(1 / Math.fround(yScale)));
}

/**
 * The multiplier, or unsupported_by_scheme (naming quantized_conv2d; a static linear's renames it, contract/linear_checks.ts
 * asLinearRun) when it is not a normal, positive float32 (NaN included).
 */
export function checkedQnnpackMultiplier(wScale: number, xScale: number, yScale: number): number {
  const multiplier = qnnpackMultiplier(wScale, xScale, yScale);
  if (!isPositiveNormalFloat32(multiplier)) {
    throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: requantization scale', multiplier, 'qnnpack requires a normal, positive float32 multiplier');
  }
  return multiplier;
}

/**
 * generate_requantization_scales over OC + 8 channels: make_zero_points_and_scales_tensor (QnnpackUtils.h) pads the
 * weight scales with 8 scales of 1.0f, so each given scale's multiplier and that of 1 are checked (an empty weight
 * [0, K] too), in that order.
 */
export function checkQnnpackMultipliers(weightScales: ArrayLike<number>, xScale: number, yScale: number): void {
  for (let i = 0; i < weightScales.length; i++) checkedQnnpackMultiplier(weightScales[i] as number, xScale, yScale);
  checkedQnnpackMultiplier(1, xScale, yScale);
}
