/**
 * The quantized conv2d contract, kept apart from QuantOps (contract/ops.ts): one op, `quantized_conv2d@1`,
 * whose arithmetic is selected by two attributes:
 *   - `scheme`: how the int32 accumulator is requantized to 8 bits, one named and versioned scheme per
 *     real backend (REQUANT_SCHEMES; each has one reference file under reference/requant/ citing its source);
 *   - `accumulator`: how the int32 accumulator itself is formed (ACCUMULATORS).
 * reference/conv and impl/conv both implement `ConvOps`; docs/protocol.md carries the wire form.
 *
 * Layout is NCHW. Activations are quint8 or qint8 with one (scale, zero point); weights are qint8
 * [OC, IC/groups, KH, KW] with per-tensor ([1]) or per-output-channel ([OC]) scales and zero points.
 * Padding contributes the input zero point, i.e. 0 after centering. The output has the activation's
 * dtype and is always clamped to that dtype's range (with relu: to [max(qmin, zero point), qmax]).
 */
import type { F32Tensor, F64Tensor, IntTensor } from './tensor.js';

export const CONV_OP_NAMES = ['quantized_conv2d@1'] as const;
export type ConvOpName = (typeof CONV_OP_NAMES)[number];

/** Requantization schemes; `@1` is the version of the arithmetic each one mirrors (see reference/requant/). */
export const REQUANT_SCHEMES = [
  'exact@1',
  'torch-qnnpack@1',
  'torch-onednn@1',
  'torch-onednn@2',
  'torch-fbgemm@1',
  'onnxruntime@1',
  'tflite-double-rounding@1',
  'tflite-single-rounding@1',
  'tosa-single-round@1',
  'tosa-double-round@1',
  'xnnpack-rndnu@1',
  'xnnpack-fp32@1',
  'cmsis-nn@1',
  'pt2e-reference-representation@1',
] as const;
export type RequantScheme = (typeof REQUANT_SCHEMES)[number];

/**
 * How the accumulator is formed. Every backend keeps it in int32:
 *   - `exact`: the mathematical sum; it (and the sum with an int32 bias) must fit int32, else
 *     `accumulator_overflow`;
 *   - `int32_wrap`: two's complement wrap of every int32 addition, as the C/SIMD kernels do;
 *   - `sat16_pairs`: vpmaddubsw (x86 without VNNI): the raw u8 x s8 products of consecutive input-channel
 *     pairs (2k, 2k+1) at one tap are summed with int16 saturation; zero-point terms are exact; then int32 wrap.
 *     Reproduces torch 1.13.1 onednn (oneDNN v2.6.3) on x86 without VNNI (avx2, sse41) in its
 *     jit_uni_x8s8s32x kernel (src/cpu/x64/jit_uni_x8s8s32x_conv_kernel.cpp compute_ker: vpmaddubsw +
 *     vpmaddwd with ones), which runs every groups == 1 conv except the 1x1 ones below and grouped convs
 *     whose per-group channel counts are multiples of 4 (conformance/backends/torch/onednn_paths.ts);
 *   - `sat16_pairs_im2col`: vpmaddubsw over the NHWC im2col row, as onnxruntime 1.30's MLAS u8s8 AVX2 kernels
 *     compute it (MlasGemmU8S8KernelAvx2, MlasConvSymKernelAvx2), i.e. ORT on x86-64 with AVX2 and without
 *     AVX-VNNI/AVX512-VNNI, uint8 activations x int8 weights, non-depthwise convs or depthwise ones whose weight zero points differ (verified against
 *     onnxruntime-node 1.30.0 under qemu-x86_64-static -cpu Haswell). The row of one output position in one
 *     group is a[k], k = (kh KW + kw) Cg + icg (channel innermost), with padded taps present as the value z_x;
 *     the raw products of the pairs (2j, 2j+1) of k are summed with int16 saturation (pairs straddle taps when
 *     Cg is odd; an odd K pairs its last element with 0); zero-point terms are exact; then int32 wrap:
 *       acc = sum_j sat16(a[2j] w[2j] + a[2j+1] w[2j+1]) - z_w sum a - z_x sum w + K z_x z_w.
 *     It takes quint8 activations only (ACCUMULATOR_ACTIVATIONS): ORT runs int8 activations exactly on every
 *     x86 CPU, so a qint8 request is refused with `unsupported_by_scheme` rather than given a made-up meaning
 *     (vpmaddubsw's first operand is unsigned bytes; there is no raw u8 byte of an int8 activation to feed it).
 *     Depthwise convs are defined (Cg = 1: the pairs are consecutive taps), although ORT runs them exactly.
 *   - `sat16_pairs_f32_zp`: oneDNN v2.6.3 jit_uni_x8s8s32x_1x1 (avx2/sse41) as run by torch 1.13.1 onednn
 *     on x86 without VNNI: the same saturated pair sum S (src/cpu/x64/jit_uni_x8s8s32x_1x1_conv_kernel.cpp
 *     reduce_loop), but the input zero point's compensation comp = -z * sum of the channel's weights
 *     (src/cpu/x64/jit_uni_reorder.cpp, req_asymmetric_comp) is converted to float32 and added in float
 *     (reduce_loop's store: vpmulld, cvtdq2ps "upscale to f32", vaddps before the bias):
 *     acc = f32(f32(S) + f32(comp)), S and comp int32
 *     (wrapping). The value differs from `sat16_pairs` only when |S| or |comp| >= 2^24. It is an integer
 *     that float32 holds exactly, handed to the scheme as is (no int32 wrap). Only with torch-onednn@1
 *     (quint8 activations, symmetric weights) and the geometries that kernel takes (isOnednn1x1Geometry,
 *     contract/conv_accumulators.ts); anything else is unsupported_by_scheme.
 * Which accumulator ORT takes on which CPU for which request: conformance/backends/onnxruntime/ort_cpu_paths.ts;
 * torch onednn: conformance/backends/torch/onednn_paths.ts.
 * On AVX512-VNNI torch 1.13.1 onednn runs brgconv / jit_int8 / gemm kernels with exact products: `int32_wrap`.
 */
export const ACCUMULATORS = ['exact', 'int32_wrap', 'sat16_pairs', 'sat16_pairs_im2col', 'sat16_pairs_f32_zp'] as const;
export type Accumulator = (typeof ACCUMULATORS)[number];

export type Pair = readonly [number, number];

export const WEIGHT_QUANTIZATIONS = ['per_tensor', 'per_channel'] as const;
export type WeightQuantization = (typeof WEIGHT_QUANTIZATIONS)[number];

export interface Conv2dArgs {
  /** quint8 or qint8, [N, C, H, W] */
  readonly x: IntTensor;
  /** f64 (a Python float, as torch receives it) */
  readonly xScale: number;
  readonly xZeroPoint: number;
  /** qint8 [OC, C / groups, KH, KW] */
  readonly weight: IntTensor;
  /** per_tensor: scales and zero points are [1]; per_channel: they are [OC] (torch's weight qscheme) */
  readonly weightQuantization: WeightQuantization;
  /** f64 */
  readonly weightScales: F64Tensor;
  readonly weightZeroPoints: IntTensor;
  /** float32 [OC] (real units), int32 [OC] (units of xScale * weightScale[oc]) or none */
  readonly bias: F32Tensor | IntTensor | null;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly groups: number;
  readonly relu: boolean;
  readonly yScale: number;
  readonly yZeroPoint: number;
  readonly scheme: RequantScheme;
  readonly accumulator: Accumulator;
}

/** The conv op of both implementations. */
export interface ConvOps {
  quantizedConv2d(a: Conv2dArgs): IntTensor;
}

/**
 * Output size along one axis with floor division: floor((in + 2p - d(k-1) - 1) / s) + 1. The size of every scheme but
 * torch's and ONNX Runtime's (contract/conv_schemes.ts schemeConvOutputSize).
 */
export function convOutputSize(input: number, kernel: number, stride: number, padding: number, dilation: number): number {
  return Math.floor((input + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

/**
 * Output size along one axis as ONNX Runtime 1.30 computes it for its convs (QLinearConv in both domains, ConvInteger):
 * onnxruntime/core/providers/common.h ComputeOutputShape, the numerator in + pad_begin + pad_end - (d(k-1) + 1) in int64,
 * then (int64)((double)numerator / stride + 1): a float64 division, + 1 in float64, truncation toward zero. JS numbers
 * are float64, so this is that expression step for step (exact while the numerator is a safe integer). It equals
 * floor(numerator / s) + 1 for a numerator >= 0; any negative numerator gives a size <= 0 (0 for one in (-2s, 0)),
 * which ConvAttributes::InferOutputShape (conv_attributes.h) refuses, "Invalid input shape", on an empty batch too
 * (onnxruntime-node 1.30 measured: tests/backends/ort_conv_output_size.test.ts).
 */
export function onnxConvOutputSize(input: number, kernel: number, stride: number, padBegin: number, padEnd: number, dilation: number): number {
  return Math.trunc((input + padBegin + padEnd - (dilation * (kernel - 1) + 1)) / stride + 1);
}

/**
 * Output size along one axis as torch computes it: (in + 2p - d(k-1) - 1) / s + 1 in int64 with C++ division, which
 * truncates toward zero (aten/src/ATen/native/quantized/cpu/qconv.cpp MakeConvOutputShape for qnnpack, and
 * aten/src/ATen/native/ConvUtils.h conv_output_size, which torch's onednn path sizes its output with). It differs from
 * convOutputSize only when the numerator is negative and not a multiple of s: a numerator in (-s, 0) gives 1, not 0
 * (torch 1.13.0 and 2.6 measured, tests/backends/torch_conv_output_size.test.ts).
 */
export function torchConvOutputSize(input: number, kernel: number, stride: number, padding: number, dilation: number): number {
  return Math.trunc((input + 2 * padding - dilation * (kernel - 1) - 1) / stride) + 1;
}

