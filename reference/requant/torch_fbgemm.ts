/**
 * torch-fbgemm@1 (UNVERIFIED: read from source only, there is no FBGEMM build on this project's machines).
 * Sources (pytorch-1.13-semantics.md §4.4, requantization-schemes.md §9): qconv.cpp PackedConvWeight::
 * GetQuantizationParams (act_times_w_scale, output_multiplier_float) and FBGEMM
 * include/fbgemm/OutputProcessing-inl.h ReQuantizeOutput::f (generic path, float bias).
 */
import { f32Add, f32Div, f32Mul, intToF32, toF32 } from '../exact/float_arith.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { clampInt, lrintfToInt64 } from '../exact/x86_conversions.js';
import type { ChannelQuant, RequantRef } from './types.js';
import { f32ActTimesW } from './float_scale.js';

export interface FbgemmParams {
  /** C_multiplier = f32(act_times_w / (float)s_y), a float DIVISION */
  readonly multiplier: IeeeValue;
  /** f32(b / act_times_w): the float bias in accumulator units, or null */
  readonly biasAcc: IeeeValue | null;
  readonly c: ChannelQuant;
}

/** act_times_w = f32((float)s_x * (float)s_w[c]); the bias is divided by it (a float division) per element. */
function prepare(c: ChannelQuant): FbgemmParams {
  const actTimesW = f32ActTimesW(c);
  return {
    multiplier: f32Div(actTimesW, toF32(c.yScale)),
    biasAcc: c.bias?.kind === 'float32' ? f32Div(c.bias.value, actTimesW) : null,
    c,
  };
}

/**
 * raw_f = f32(f32(acc) + bias / act_times_w); rounded = lrintf(f32(raw_f * C_multiplier)) (a long: NaN or
 * |v| >= 2^63 give INT64_MIN) + C_zero_point; clamp to [relu ? zp : qmin, qmax].
 */
function requantize(acc: bigint, p: FbgemmParams): bigint {
  let raw = intToF32(acc);
  if (p.biasAcc) raw = f32Add(raw, p.biasAcc);
  const rounded = lrintfToInt64(f32Mul(raw, p.multiplier)) + p.c.yZeroPoint;
  return clampInt(rounded, p.c.outMin, p.c.outMax);
}

export const torchFbgemm: RequantRef<FbgemmParams> = { prepare, requantize };
