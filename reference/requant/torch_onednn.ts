/**
 * torch-onednn@1: PyTorch 1.13 quantized::conv2d on the onednn engine (oneDNN 2.6.3, ideep 77d662b).
 * Sources (pytorch-1.13-semantics.md §4.2): qconv.cpp PackedConvWeightsOnednn::apply_impl,
 * qconv_prepack.cpp (reciprocal scales), ideep operators/conv.hpp do_prepare + utils.hpp compute_scales,
 * oneDNN src/cpu/ref_convolution_int8.cpp and the jit/brgemm kernels' store_output.
 */
import { ONE_F32, ZERO_F32 } from '../constants.js';
import { f32Add, f32Div, f32Mul, f32OfF64Reciprocal, intToF32, toF32 } from '../exact/float_arith.js';
import { type IeeeValue, exactInteger } from '../exact/ieee_value.js';
import { ieeeLess } from '../exact/ieee_compare.js';
import { cvtps2dq } from '../exact/x86_conversions.js';
import { clampFloat } from './float_clamp.js';
import type { ChannelQuant, RequantRef } from './types.js';

export interface OnednnParams {
  /** osc = f32(dst_s / f32(src_s * wsc)), float32 */
  readonly outputScale: IeeeValue;
  /** b' = f32(b * bias_scale), float32, or null without bias */
  readonly scaledBias: IeeeValue | null;
  readonly zeroPoint: IeeeValue;
  readonly lo: IeeeValue;
  readonly hi: IeeeValue;
  readonly relu: boolean;
}


/**
 * torch's ideep weight scale (qconv_prepack.cpp, qlinear_prepack.cpp): per tensor (float)(1.0 / s_w), a double
 * division rounded to float32; per channel 1.0f / (float)s_w[c], a float32 division.
 */
export function onednnWeightScale(sw: IeeeValue, perChannel: boolean): IeeeValue {
  return perChannel ? f32Div(ONE_F32, toF32(sw)) : f32OfF64Reciprocal(sw);
}

/**
 * "Scales of ONEDNN and PyTorch are reciprocal": src_s = (float)(1.0 / s_x), dst_s = (float)(1.0 / s_y)
 * (double divisions); weight scale per-tensor (float)(1.0 / s_w), per-channel 1.0f / (float)s_w[c] (float).
 * ideep: bias_scale = f32(src_s * wsc); output scale = f32(dst_s / bias_scale); the float bias is
 * reordered by a f32 multiply with bias_scale.
 */
export function prepareOnednn(c: ChannelQuant): OnednnParams {
  const srcScale = f32OfF64Reciprocal(c.xScale);
  const dstScale = f32OfF64Reciprocal(c.yScale);
  const weightScale = onednnWeightScale(c.wScale, c.perChannel);
  const biasScale = f32Mul(srcScale, weightScale);
  return {
    outputScale: f32Div(dstScale, biasScale),
    scaledBias: c.bias?.kind === 'float32' ? f32Mul(c.bias.value, biasScale) : null,
    zeroPoint: intToF32(c.yZeroPoint),
    lo: exactInteger(c.outMin),
    hi: exactInteger(c.outMax),
    relu: c.relu,
  };
}

/**
 * ref_convolution_int8 / store_output and the matmul pp kernel (jit_gemm_inner_product_utils.cpp), all float32,
 * up to the zero point: d = f32(acc); d = f32(d + b'); d = f32(d * osc); the ReLU post-op is vmaxps(d, +0)
 * (jit_uni_eltwise_injector relu_zero_ns: +0 for every d <= 0). The float32 output of the dynamic linear
 * (reference/linear/quantized_linear_dynamic_onednn.ts) is this value.
 */
export function onednnScaleBiasRelu(acc: bigint, p: OnednnParams): IeeeValue {
  let d = intToF32(acc);
  if (p.scaledBias) d = f32Add(d, p.scaledBias);
  d = f32Mul(d, p.outputScale);
  return p.relu && !ieeeLess(ZERO_F32, d) ? ZERO_F32 : d;
}

/**
 * Then d = f32(d + (float)z_y) (the zero point added in float, after the ReLU, before rounding); saturate in
 * float to the output range, then cvtps2dq (half-even). The int32 accumulator is exact on this engine (the
 * bias is never an int32), so no int32 addition happens here.
 */
function requantize(acc: bigint, p: OnednnParams): bigint {
  return cvtps2dq(clampFloat(f32Add(onednnScaleBiasRelu(acc, p), p.zeroPoint), p.lo, p.hi));
}

export const torchOnednn: RequantRef<OnednnParams> = { prepare: prepareOnednn, requantize };
