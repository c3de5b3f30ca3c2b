/**
 * pt2e-reference-representation@1: the requantization of PT2E's reference representation of a quantized conv
 * (torch 2.6 torch/ao/quantization/pt2e/representation/rewrite.py _reference_quantized_conv2d, and its linear twin),
 * the integer graph `convert_pt2e(..., use_reference_representation=True)` writes, with the scales as float32 tensors
 * and each out_dtype(op, torch.int32, ...) computed in float32 then converted with `.to(torch.int32)`
 * (torch/_higher_order_ops/out_dtype.py out_dtype_fallback: promote to float32, run the op, cast):
 *   bias_scale = f32(s_x * s_w)
 *   b_i32      = (int32) f32(b / bias_scale)             TRUNCATION toward zero (NaN, out of range: INT32_MIN)
 *   acc'       = acc + b_i32                             int32 (wraps)
 *   M          = f32(f32(s_x * s_w) / s_y)
 *   y          = (int32) f32(f32(acc') * M) + z_y         TRUNCATION toward zero, then an int32 addition
 *   clamp to the output range, .to(int8)
 * So both the bias and the result are truncated, not rounded: [5, 7, -5, -7, 9, -9] x 0.3 gives [1, 2, -1, -2, 2, -2].
 */
import { f32Div, f32Mul, intToF32, toF32 } from '../exact/float_arith.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { clampInt, truncToInt32, wrapInt32 } from '../exact/x86_conversions.js';
import type { ChannelQuant, RequantRef } from './types.js';
import { f32ActTimesW } from './float_scale.js';

export interface Pt2eReferenceParams {
  readonly multiplier: IeeeValue;
  /** the truncated int32 bias, 0 without one */
  readonly biasI32: bigint;
  readonly zeroPoint: bigint;
  readonly lo: bigint;
  readonly hi: bigint;
}

/** bias_scale = f32(s_x * s_w), M = f32(bias_scale / s_y), the bias truncated to int32 (each step float32, rounded via reference/exact). */
function prepare(c: ChannelQuant): Pt2eReferenceParams {
  const biasScale = f32ActTimesW(c);
  return {
    multiplier: f32Div(biasScale, toF32(c.yScale)),
    biasI32: c.bias?.kind === 'float32' ? truncToInt32(f32Div(c.bias.value, biasScale)) : 0n,
    zeroPoint: c.yZeroPoint,
    lo: c.outMin,
    hi: c.outMax,
  };
}

/** Integer and float32 steps as above; the clamp is the output range (ReLU's lower bound included). */
function requantize(acc: bigint, p: Pt2eReferenceParams): bigint {
  const withBias = wrapInt32(acc + p.biasI32);
  const scaled = truncToInt32(f32Mul(intToF32(withBias), p.multiplier));
  return clampInt(wrapInt32(scaled + p.zeroPoint), p.lo, p.hi);
}

export const pt2eReferenceRepresentation: RequantRef<Pt2eReferenceParams> = { prepare, requantize };
