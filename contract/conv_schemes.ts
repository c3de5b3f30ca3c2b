/**
 * What each requantization scheme accepts: the input rules of the backend it models, checked once by
 * contract/conv_checks.ts for reference/ and impl/ alike. No arithmetic lives here (schemeConvOutputSize picks one of
 * contract/conv.ts's output-size formulas); the arithmetic of each scheme is in reference/requant/<scheme>.ts (exact)
 * and impl/requant/<scheme>.ts (fast).
 */
import type { QuantDtype } from './dtypes.js';
import { type Accumulator, type RequantScheme, convOutputSize, onnxConvOutputSize, torchConvOutputSize } from './conv.js';

export type BiasKind = 'float32' | 'int32';

export interface SchemeRules {
  /** activation (and output) dtypes the backend's kernel takes */
  readonly activations: readonly QuantDtype[];
  /** bias dtypes it takes (no bias is always accepted) */
  readonly bias: readonly BiasKind[];
  /** weight zero points: any, all zero (symmetric weights), or one value for every channel */
  readonly weightZeroPoints: 'any' | 'zero' | 'uniform';
  /**
   * whether the scheme was checked against the real software on this project's machines: the whole conv
   * (torch, ORT, XNNPACK, TFLite in LiteRT.js 2.5: vectors/litert-2.5, MLIR 19's lowering of TOSA:
   * vectors/tosa-mlir-19, a lowering, not the TOSA reference model), the requantization step alone (`gemmlowp-requantize`: requantize@1 through
   * gemmlowp's fixed-point primitives), or not at all (modeled from source)
   */
  readonly verified: 'torch-1.13' | 'torch-2.6' | 'onnxruntime-1.30' | 'xnnpack-2022' | 'xnnpack-2022-arm64' | 'litert-2.5' | 'tosa-mlir-19' | 'gemmlowp-requantize' | 'unverified';
  /**
   * whether an empty batch (a conv's N = 0, a linear's M = 0) is computed, as an empty output after every other check:
   * where the real backend was run on one and returned an empty tensor (torch 1.13.0 and 2.6 on qnnpack and onednn,
   * tests/backends/torch_empty_batches.test.ts; onnxruntime-node 1.30's QLinearConv, which returns [0, M, OH, OW] when
   * OH, OW >= 1 and refuses a size <= 0 as on any batch, tests/backends/ort_conv_output_size.test.ts: `'conv'`, its linears are not run on ORT), and exact@1 (the
   * mathematical definition). Elsewhere qconform has not run the backend on one, and refuses it (empty_output).
   */
  readonly emptyBatch: boolean | 'conv';
  /**
   * how the backend sizes a conv's output along an axis (schemeConvOutputSize): `torch` with C division
   * (torchConvOutputSize: torch's quantized engines), `onnx` as ONNX Runtime does (onnxConvOutputSize), `floor` with
   * floor division (convOutputSize)
   */
  readonly outputSize: 'torch' | 'onnx' | 'floor';
  /**
   * whether the backend takes an output clamp of one value (relu with y_zero_point at the dtype's maximum: the clamp
   * [max(qmin, zp), qmax] is [qmax, qmax]): `any`, or `min_below_max` where it refuses one (XNNPACK 2022-02-16
   * src/operators/convolution-nhwc.c: `output_min >= output_max` is xnn_status_invalid_parameter, measured on Debian's
   * libxnnpack 0.0~git20220216 for qs8, qc8 and qu8), refused with unsupported_by_scheme
   */
  readonly outputRange: 'any' | 'min_below_max';
  /**
   * which x, weight and y scales the backend takes beyond the contract's finite, > 0 (weight scales: contract/
   * weight_scales.ts): `any`, or `normal_f32` where each one's float32 must be a normal number (XNNPACK 2022-02-16
   * src/operators/convolution-nhwc.c: `scale <= 0.0f || !isnormal(scale)` is xnn_status_invalid_parameter, checked
   * before the output range; contract/xnnpack_scale.ts assertXnnpackScalesNormal), refused with unsupported_by_scheme
   */
  readonly scales: 'any' | 'normal_f32';
  /**
   * which input extents the backend takes beyond the contract's: `any`, or `nonzero` where it refuses 0 input channels
   * per group (C = 0) and an input of height or width 0 (whose padding gives an output; without padding the output is
   * already empty, empty_output), after the requantization scale: XNNPACK 2022-02-16 src/operators/convolution-nhwc.c
   * (contract/conv_input_extents.ts assertSchemeInputExtents), refused with unsupported_by_scheme
   */
  readonly inputExtents: 'any' | 'nonzero';
}

/**
 * Whether `scheme` computes an empty batch of `op` (SCHEME_RULES emptyBatch): `'conv'` is a conv's N = 0 only, where the
 * backend runs convs and not the linears (onnxruntime@1: ORT runs QLinearConv; quantized_linear@1 is not run on ORT).
 */
export function computesEmptyBatch(scheme: RequantScheme, op: 'conv' | 'linear'): boolean {
  const rule = SCHEME_RULES[scheme].emptyBatch;
  return rule === true || (rule === 'conv' && op === 'conv');
}

const BOTH: readonly QuantDtype[] = ['quint8', 'qint8'];

export const SCHEME_RULES: Readonly<Record<RequantScheme, SchemeRules>> = {
  'exact@1': { activations: BOTH, bias: ['float32', 'int32'], weightZeroPoints: 'any', verified: 'unverified', emptyBatch: true, outputSize: 'floor', outputRange: 'any', scales: 'any', inputExtents: 'any' },
  // qconv.cpp PackedConvWeightsQnnp: quint8 activations (qint8 goes to the XNNPACK path), float bias
  'torch-qnnpack@1': { activations: ['quint8'], bias: ['float32'], weightZeroPoints: 'any', verified: 'torch-1.13', emptyBatch: true, outputSize: 'torch', outputRange: 'any', scales: 'any', inputExtents: 'any' },
  // qconv_prepack.cpp PackedConvWeightsOnednn::prepack: "quantized::conv2d_prepack (ONEDNN): Weight zero point must be zero"
  'torch-onednn@1': { activations: ['quint8'], bias: ['float32'], weightZeroPoints: 'zero', verified: 'torch-1.13', emptyBatch: true, outputSize: 'torch', outputRange: 'any', scales: 'any', inputExtents: 'any' },
  // torch 2.6 onednn (oneDNN 3.7): the same prepack rules, its own scale arithmetic (reference/requant/torch_onednn_v2.ts)
  'torch-onednn@2': { activations: ['quint8'], bias: ['float32'], weightZeroPoints: 'zero', verified: 'torch-2.6', emptyBatch: true, outputSize: 'torch', outputRange: 'any', scales: 'any', inputExtents: 'any' },
  'torch-fbgemm@1': { activations: ['quint8'], bias: ['float32'], weightZeroPoints: 'any', verified: 'unverified', emptyBatch: false, outputSize: 'torch', outputRange: 'any', scales: 'any', inputExtents: 'any' },
  // qlinearconv.cc: int32 bias; weight zero points per channel may differ (ORT 1.30 computes them: tests/backends/ort_varying_weight_zero_points.test.ts)
  'onnxruntime@1': { activations: BOTH, bias: ['int32'], weightZeroPoints: 'any', verified: 'onnxruntime-1.30', emptyBatch: 'conv', outputSize: 'onnx', outputRange: 'any', scales: 'any', inputExtents: 'any' },
  // TFLite's builtin DEPTHWISE_CONV_2D in LiteRT.js 2.5.3 (and its requantization step through gemmlowp)
  'tflite-double-rounding@1': { activations: BOTH, bias: ['int32'], weightZeroPoints: 'any', verified: 'litert-2.5', emptyBatch: false, outputSize: 'floor', outputRange: 'any', scales: 'any', inputExtents: 'any' },
  // TFLite's builtin CONV_2D (ruy) in LiteRT.js 2.5.3
  'tflite-single-rounding@1': { activations: BOTH, bias: ['int32'], weightZeroPoints: 'any', verified: 'litert-2.5', emptyBatch: false, outputSize: 'floor', outputRange: 'any', scales: 'any', inputExtents: 'any' },
  // TOSA CONV2D / DEPTHWISE_CONV2D: int32 bias, one weight_zp for the tensor (pseudocode/operators/CONV2D.tosac);
  // verified through MLIR 19.1.7's TOSA lowering (tosa-to-linalg, tosa-to-arith apply_scale), not the TOSA reference model
  'tosa-single-round@1': { activations: BOTH, bias: ['int32'], weightZeroPoints: 'uniform', verified: 'tosa-mlir-19', emptyBatch: false, outputSize: 'floor', outputRange: 'any', scales: 'any', inputExtents: 'any' },
  'tosa-double-round@1': { activations: BOTH, bias: ['int32'], weightZeroPoints: 'uniform', verified: 'tosa-mlir-19', emptyBatch: false, outputSize: 'floor', outputRange: 'any', scales: 'any', inputExtents: 'any' },
  // what XNNPACK 2022-02-16 runs on arm64 (NEON) for qs8 and qu8 (vectors/xnnpack-2022-arm64, under qemu-aarch64)
  'xnnpack-rndnu@1': { activations: BOTH, bias: ['int32'], weightZeroPoints: 'any', verified: 'xnnpack-2022-arm64', emptyBatch: false, outputSize: 'floor', outputRange: 'min_below_max', scales: 'normal_f32', inputExtents: 'nonzero' },
  // what XNNPACK 2022-02-16 runs on x86 for qs8, qc8 and qu8 (vectors/xnnpack-2022)
  'xnnpack-fp32@1': { activations: BOTH, bias: ['int32'], weightZeroPoints: 'any', verified: 'xnnpack-2022', emptyBatch: false, outputSize: 'floor', outputRange: 'min_below_max', scales: 'normal_f32', inputExtents: 'nonzero' },
  // arm_convolve_s8: int8 activations, symmetric int8 weights
  'cmsis-nn@1': { activations: ['qint8'], bias: ['int32'], weightZeroPoints: 'zero', verified: 'unverified', emptyBatch: false, outputSize: 'floor', outputRange: 'any', scales: 'any', inputExtents: 'any' },
  // PT2E reference representation (rewrite.py _reference_quantized_conv2d): int8 activations and weights, one weight
  // scale and zero point, float32 bias quantized by truncation
  'pt2e-reference-representation@1': { activations: ['qint8'], bias: ['float32'], weightZeroPoints: 'uniform', verified: 'torch-2.6', emptyBatch: false, outputSize: 'floor', outputRange: 'any', scales: 'any', inputExtents: 'any' },
};

/**
 * The output size along one axis of a quantized_conv2d@1 of `scheme`, as its SCHEME_RULES outputSize says, by one of
 * contract/conv.ts's formulas: torch's (torchConvOutputSize, truncating) for torch's engines, ORT's (onnxConvOutputSize,
 * symmetric padding) for onnxruntime@1, else floor (convOutputSize).
 */
export function schemeConvOutputSize(scheme: RequantScheme, input: number, kernel: number, stride: number, padding: number, dilation: number): number {
  const size = SCHEME_RULES[scheme].outputSize;
  if (size === 'onnx') return onnxConvOutputSize(input, kernel, stride, padding, padding, dilation);
  return (size === 'torch' ? torchConvOutputSize : convOutputSize)(input, kernel, stride, padding, dilation);
}

/** Whether `scheme` is torch's oneDNN engine (torch-onednn@1, torch 1.13; torch-onednn@2, torch 2.6), whose linears and convs share its rules. */
export function isTorchOnednnScheme(scheme: RequantScheme): boolean {
  return scheme === 'torch-onednn@1' || scheme === 'torch-onednn@2';
}

/**
 * Activation dtypes each accumulator model takes (checked after the scheme's rules). `sat16_pairs_im2col` feeds
 * the raw activation bytes to vpmaddubsw as unsigned, so it is defined for quint8 only (contract/conv.ts).
 */
export const ACCUMULATOR_ACTIVATIONS: Readonly<Record<Accumulator, readonly QuantDtype[]>> = {
  exact: BOTH,
  int32_wrap: BOTH,
  sat16_pairs: BOTH,
  sat16_pairs_im2col: ['quint8'],
  sat16_pairs_f32_zp: ['quint8'],
};
