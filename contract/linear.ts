/**
 * The quantized linear contract (PyTorch 1.13 quantized::linear / linear_relu and quantized::linear_dynamic /
 * linear_relu_dynamic), kept apart from QuantOps like the conv (contract/conv.ts). reference/linear and
 * impl/linear both implement `LinearOps`; docs/protocol.md carries the wire form.
 *
 * - `quantized_linear@1` (static): y = requant(x W^T + b). Its arithmetic is exactly a quantized_conv2d@1
 *   with 1x1 kernels over M = prod(x.shape[:-1]) rows: x [..., K] is the conv input [M, K, 1, 1], the weight
 *   [N, K] is [N, K, 1, 1], groups 1, stride 1, padding 0, dilation 1, and the output [M, N, 1, 1] is
 *   [..., N]. The scheme and accumulator attributes are the conv's. This is not an assumption but what torch
 *   1.13.1 does: its qnnpack linear (qlinear.cpp PackedLinearWeightsQnnp::apply_impl -> qnnpackLinear,
 *   q8gemm 4x4c2 sse2) computes the same int32 sum and requantizes with the same generate_requantization_scales
 *   multiplier, QuantizeBias and SSE2 epilogue as its qnnpack conv; its onednn linear (qlinear.cpp
 *   PackedLinearWeightsOnednn::apply_impl -> ideep::matmul_forward; ONEDNN_VERBOSE on this AVX512-VNNI host: matmul
 *   brg:avx512_core_vnni, u8 src, s8 weights, f32 bias, output scale and src/dst zero points as attributes) has
 *   the same reciprocal scales, float bias pre-scaled by src_scale * weight_scale, output scale, ReLU before
 *   the zero point and zero point added in float as its conv (ideep convolution). Checked bit for bit against
 *   real torch on both engines: vectors/torch-1.13-linear; torch 2.6 computes every one of those
 *   linears identically (vectors/torch-2.6-linear, its onednn ones under the name torch-onednn@2). Without VNNI
 *   (qemu -cpu Haswell) torch's onednn linear runs oneDNN's matmul gemm:jit, whose AVX2 int8 gemm sums vpmaddubsw
 *   pairs along K within its K blocks (contract/onednn_gemm.ts): that is the conv's `sat16_pairs` over the 1x1
 *   geometry when every block starts at an even k (always for K <= 256 and K >= 768), checked on
 *   vectors/torch-1.13-onednn-haswell; `sat16_pairs` with K whose blocks start at an odd k (256 < K < 768 with
 *   K mod 4 in {1, 2}) is refused (`unsupported_by_scheme`, linear_checks.ts).
 * - `quantized_linear_dynamic@1`: float32 x, dynamically quantized per call to quint8 with qparams from x's
 *   min and max (quant_utils::ChooseQuantizationParams, QuantUtils.h), the int32 product with the int8
 *   weight, and a float32 output, on `torch-qnnpack@1`, `torch-onednn@1` or `torch-onednn@2` (DYNAMIC_LINEAR_SCHEMES).
 */
import type { Accumulator, RequantScheme, WeightQuantization } from './conv.js';
import type { F32Tensor, F64Tensor, IntTensor } from './tensor.js';

export const LINEAR_OP_NAMES = ['quantized_linear@1', 'quantized_linear_dynamic@1'] as const;
export type LinearOpName = (typeof LINEAR_OP_NAMES)[number];

export interface LinearArgs {
  /** quint8 or qint8, [..., K]: rank >= 2 on torch-qnnpack@1 (its check), >= 1 otherwise (torch onednn takes [K]) */
  readonly x: IntTensor;
  readonly xScale: number;
  readonly xZeroPoint: number;
  /** qint8 [N, K] */
  readonly weight: IntTensor;
  readonly weightQuantization: WeightQuantization;
  /** f64, [1] per_tensor or [N] per_channel (more than N on torch's schemes: the first N, contract/torch_linear_weight_qparams.ts) */
  readonly weightScales: F64Tensor;
  readonly weightZeroPoints: IntTensor;
  /** float32 [N] (real units), int32 [N] (accumulator units) or none, as for the conv */
  readonly bias: F32Tensor | IntTensor | null;
  readonly relu: boolean;
  readonly yScale: number;
  readonly yZeroPoint: number;
  readonly scheme: RequantScheme;
  readonly accumulator: Accumulator;
}

/**
 * The schemes quantized_linear_dynamic@1 computes. `torch-qnnpack@1` is qlinear_dynamic.cpp
 * PackedLinearWeightsQnnp::apply_dynamic_impl (ChooseQuantizationParams over [0, 255] ignoring reduce_range, as
 * torch warns; at::quantize_per_tensor; q8gemm_dq 4x4c2 sse2: f32(f32(acc) * f32(s_w * s_x)) + bias; relu_()).
 * `torch-onednn@1` is PackedLinearWeightsOnednn::apply_dynamic_impl -> ideep matmul_forward (dynamic) -> oneDNN
 * 2.6.3 (reference/linear/quantized_linear_dynamic_onednn.ts has the steps): ChooseQuantizationParams honouring
 * reduce_range ([0, 127]) whose scale stays a double, x quantized by oneDNN's f32 -> u8 reorder with
 * f32(1.0 / scale) (not at::quantize_per_tensor), then the float32 epilogue of the static onednn linear without
 * its zero point and rounding; weights must be symmetric. Verified bit for bit against real torch 1.13.1 on
 * AVX512-VNNI (gemm:jit, vpdpbusd: the int32 sum is exact), vectors/torch-1.13-linear, and without VNNI (qemu -cpu
 * Haswell) with the `sat16_pairs` accumulator (DYNAMIC_LINEAR_ACCUMULATORS), vectors/torch-1.13-onednn-haswell.
 * `torch-onednn@2` is torch 2.6's (oneDNN 3.7 brg_matmul, reference/linear/quantized_linear_dynamic_onednn_v2.ts):
 * the same qparams, the reorder's scale f32(1 / f32(1 / ss)), y = f32(f32(acc) * f32(src_scale * wei_scale)) + bias;
 * verified on AVX512-VNNI only (vectors/torch-2.6-linear), so with `int32_wrap` only.
 */
export const DYNAMIC_LINEAR_SCHEMES = ['torch-qnnpack@1', 'torch-onednn@1', 'torch-onednn@2'] as const;

/**
 * The int32 sum of quantized_linear_dynamic@1 (attribute `accumulator`, default `int32_wrap`):
 * - `int32_wrap`: sum_k (q - z_x)(w - z_w) in two's complement int32 (qnnpack's q8gemm_dq; oneDNN's gemm with VNNI);
 * - `sat16_pairs` (torch-onednn@1 only; torch 2.6's oneDNN 3.7 without VNNI is not modelled): oneDNN 2.6.3's AVX2 int8 gemm without VNNI (jit_avx2_gemm_s8u8s32_kern.cpp:
 *   vpmaddubsw): the raw u8 q times w summed in pairs (s + 2j, s + 2j + 1) of each K block starting at s
 *   (contract/onednn_gemm.ts), each pair saturated to int16, an odd block's last product alone; then
 *   z_x * sum_k w subtracted exactly (the gemm's row offsets), all in int32 wrap. For K <= 256 the blocks are one
 *   and the pairs are the 1x1 conv's `sat16_pairs` along K.
 */
export const DYNAMIC_LINEAR_ACCUMULATORS = ['int32_wrap', 'sat16_pairs'] as const;
export type DynamicLinearAccumulator = (typeof DYNAMIC_LINEAR_ACCUMULATORS)[number];

export interface DynamicLinearArgs {
  /** float32 [..., K] (rank >= 2, both engines' check), finite */
  readonly x: F32Tensor;
  /** qint8 [N, K] */
  readonly weight: IntTensor;
  readonly weightQuantization: WeightQuantization;
  readonly weightScales: F64Tensor;
  readonly weightZeroPoints: IntTensor;
  /** float32 [N] or none (qnnpack then adds a zero bias; onednn adds none) */
  readonly bias: F32Tensor | null;
  readonly relu: boolean;
  /** torch's reduce_range argument: qparams over [0, 127] on torch-onednn@1; torch-qnnpack@1 ignores it (qlinear_dynamic.cpp warns so) */
  readonly reduceRange: boolean;
  readonly scheme: RequantScheme;
  /** the int32 sum (DYNAMIC_LINEAR_ACCUMULATORS); the wire's default is `int32_wrap` */
  readonly accumulator: DynamicLinearAccumulator;
}

export interface LinearOps {
  quantizedLinear(a: LinearArgs): IntTensor;
  quantizedLinearDynamic(a: DynamicLinearArgs): F32Tensor;
}
