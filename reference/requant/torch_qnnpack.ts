/**
 * torch-qnnpack@1: PyTorch 1.13 quantized::conv2d on the qnnpack engine (x86 SSE2 kernels).
 * Sources (pytorch-1.13-semantics.md §4.1): qconv.cpp PackedConvWeightsQnnp::apply_impl;
 * QnnpackUtils.h generate_requantization_scales; QuantUtils.h QuantizeBias; qnnpack conv-prepack.cc with pack.h's
 * packers (the bias as the kernel loads it, contract/qnnpack_ukernel.ts); q8conv/4x4c2-sse2.c, q8gemm/4x4c2-sse2.c,
 * q8dwconv/*-sse2.c epilogues.
 */
import type { QnnpackPath } from '../../contract/qnnpack_ukernel.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import { QconformError } from '../../contract/errors.js';
import { ONE_F32 } from '../constants.js';
import { f32Div, f32Mul, f64Mul, intToF32, toF32 } from '../exact/float_arith.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { isNormalPositive } from '../exact/classify.js';
import { clampInt, cvtps2dq, truncToInt32 } from '../exact/x86_conversions.js';
import { prepareQuantizeVal, quantizeVal } from '../ops/quantize_val.js';
import { int32Add } from './int32_add.js';
import { saturateInt16 } from './output.js';
import type { ChannelQuant, Int32Policy, RequantRef } from './types.js';

export interface QnnpackParams {
  /** M = f32(f32(wsf * (float)s_x) * f32(1 / (float)s_y)), float32 */
  readonly multiplier: IeeeValue;
  /** the int32 bias the kernel adds: the float bias quantized to qint32, as the path's packer stores it (0 without bias) */
  readonly biasQ: bigint;
  readonly c: ChannelQuant;
}

/**
 * The packed bias word of qnnpack::PrePackConvWeights (conv-prepack.cc) for a qint32 bias b (already in int32):
 *   gemm path:     pytorch_pack_q8gemm_wrq stores b                                  (int32 copy)
 *   indirect path: pytorch_pack_q8conv_wrq / pytorch_pack_q8dw_wrq store `b ? b[i] : 0.0f`, that is
 *                  (int32_t)(float)b: cvtsi2ss (float32, half-even) then cvttss2si (truncation; out of range -> INT32_MIN)
 * QuantizeBias's values are float32 integers except the clamp INT32_MAX, which float32 rounds to 2^31: the
 * indirect paths add INT32_MIN for a bias quantized at or above INT32_MAX (torch 1.13.1 measured: a bias of
 * 2147483683 units gives 0 there and 255 on the gemm path; 208 units below INT32_MAX, 255 on both).
 */
export function qnnpackPackedBias(biasQ: bigint, path: QnnpackPath): bigint {
  return path === 'gemm' ? biasQ : truncToInt32(intToF32(biasQ));
}

/**
 * generate_requantization_scales: all float32, a reciprocal of the output scale (never a division by it);
 * TORCH_CHECK(M > 0 && isnormal(M)). QuantizeBias: quantize_val(bias, f64(s_w * s_x), 0, qint32), then the path's
 * packer (qnnpackPackedBias).
 */
function prepare(c: ChannelQuant): QnnpackParams {
  const inverseOutputScale = f32Div(ONE_F32, toF32(c.yScale));
  const multiplier = f32Mul(f32Mul(toF32(c.wScale), toF32(c.xScale)), inverseOutputScale);
  if (!isNormalPositive(multiplier)) {
    throw new QconformError('unsupported_by_scheme', 'quantized_conv2d: requantization scale', multiplier, 'qnnpack requires a normal, positive float32 multiplier');
  }
  let biasQ = 0n;
  if (c.bias?.kind === 'float32') biasQ = qnnpackPackedBias(quantizeVal(c.bias.value, prepareQuantizeVal(f64Mul(c.wScale, c.xScale), 0n, 'qint32')), c.qnnpackPath);
  return { multiplier, biasQ, c };
}

/**
 * The SSE2 epilogue: a = acc + bias (int32), t = f32(f32(a) * M) (cvtepi32_ps rounds above 2^24),
 * r = cvtps2dq(t) (|t| >= 2^31 -> INT32_MIN), packs_epi32 and adds_epi16(zp) saturate to int16,
 * packus_epi16 to [0, 255], then max(min) with the ReLU/dtype bounds.
 */
function requantize(acc: bigint, p: QnnpackParams, policy: Int32Policy): bigint {
  const a = int32Add(acc, p.biasQ, policy);
  const r = cvtps2dq(f32Mul(intToF32(a), p.multiplier));
  const packed = clampInt(saturateInt16(saturateInt16(r) + p.c.yZeroPoint), BigInt(DTYPE_RANGE.quint8.min), BigInt(DTYPE_RANGE.quint8.max));
  return clampInt(packed, p.c.outMin, p.c.outMax);
}

export const torchQnnpack: RequantRef<QnnpackParams> = { prepare, requantize };
