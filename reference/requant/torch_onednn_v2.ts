/**
 * torch-onednn@2: PyTorch 2.6 quantized::conv2d on the onednn engine (oneDNN 3.7, ideep for oneDNN v3), all
 * float32 after the exact int32 accumulator:
 *   qconv.cpp PackedConvWeightsOnednn::apply_impl passes ideep the reciprocal activation scales,
 *   src_s = (float)(1.0 / s_x) and dst_s = (float)(1.0 / s_y) (double divisions), and the weight scales as
 *   they are, w = (float)s_w (per tensor, or per channel); ideep's oneDNN v3 path turns them back into oneDNN 3
 *   scales, 1.0f / src_s and 1.0f / dst_s (float); the kernel (src/cpu/x64/jit_avx512_core_x8s8s32x_conv_kernel.cpp
 *   store_output and its brgemm twin) multiplies the accumulator by the per-channel product
 *   f32(src_scale * wei_scale), adds the float bias unscaled, applies ReLU, multiplies by the inverted dst
 *   scale f32(1.0f / dst_scale), adds the zero point in float, saturates and converts with cvtps2dq (half-even).
 * Differences from torch-onednn@1 (oneDNN 2.6 in torch 1.13: d = (acc + b * bias_scale) * f32(dst_s / bias_scale))
 * are rounding differences near half-integers: 12 of 13 million elements of 1x1 convs covering every (x, w) byte
 * pair under random scales, where this model matched all 26 million elements of two such probes and no variant
 * with fewer inversions, another bias order or a division by the dst scale did (scripts/conv/torch26_onednn_probe.py).
 * Verified against real torch 2.6 on an AVX512-VNNI host (vectors/torch-2.6); the non-VNNI kernels are not.
 */
import { ONE_F32, ZERO_F32 } from '../constants.js';
import { f32Add, f32Div, f32Mul, f32OfF64Reciprocal, intToF32, toF32 } from '../exact/float_arith.js';
import { type IeeeValue, POS_INF, exactInteger } from '../exact/ieee_value.js';
import { cvtps2dq } from '../exact/x86_conversions.js';
import { clampFloat } from './float_clamp.js';
import type { ChannelQuant, RequantRef } from './types.js';

export interface OnednnV2Params {
  /** f32(src_scale * wei_scale), src_scale = 1.0f / (float)(1.0 / s_x), wei_scale = (float)s_w */
  readonly accScale: IeeeValue;
  /** the float32 bias as given, or null */
  readonly bias: IeeeValue | null;
  /** 1.0f / dst_scale, dst_scale = 1.0f / (float)(1.0 / s_y) */
  readonly dstScaleInverse: IeeeValue;
  readonly zeroPoint: IeeeValue;
  readonly lo: IeeeValue;
  readonly hi: IeeeValue;
  readonly relu: boolean;
}


/** The scales of the header: src_s, dst_s by double division then float32; the oneDNN 3 scales by float32 reciprocals; acc_scale = f32(src_scale * wei_scale). */
function prepare(c: ChannelQuant): OnednnV2Params {
  const srcScale = f32Div(ONE_F32, f32OfF64Reciprocal(c.xScale));
  const dstScale = f32Div(ONE_F32, f32OfF64Reciprocal(c.yScale));
  return {
    accScale: f32Mul(srcScale, toF32(c.wScale)),
    bias: c.bias?.kind === 'float32' ? c.bias.value : null,
    dstScaleInverse: f32Div(ONE_F32, dstScale),
    zeroPoint: intToF32(c.yZeroPoint),
    lo: exactInteger(c.outMin),
    hi: exactInteger(c.outMax),
    relu: c.relu,
  };
}

/** d = f32(acc) * acc_scale (+ bias), ReLU, * (1 / dst_scale), + zero point, saturate, cvtps2dq: each step float32. */
function requantize(acc: bigint, p: OnednnV2Params): bigint {
  let d = f32Mul(intToF32(acc), p.accScale);
  if (p.bias) d = f32Add(d, p.bias);
  if (p.relu) d = clampFloat(d, ZERO_F32, POS_INF);
  d = f32Mul(d, p.dstScaleInverse);
  d = f32Add(d, p.zeroPoint);
  return cvtps2dq(clampFloat(d, p.lo, p.hi));
}

export const torchOnednnV2: RequantRef<OnednnV2Params> = { prepare, requantize };
