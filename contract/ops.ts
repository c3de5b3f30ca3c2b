/**
 * The op contract (one file, like tfjs-core's kernel_names.ts): every op qconform knows, with its
 * semantics version, inputs, attributes and outputs. reference/ and impl/ both implement
 * `QuantOps`; the wire format (contract/wire.ts) and the eval protocol (docs/protocol.md) carry the
 * same names. Version @1 is PyTorch 1.13.1 eager-mode semantics.
 *
 * Scalars called "f64" are JS numbers holding any double (Python floats, as torch receives them);
 * torch rounds them to float32 where it does, and so must each implementation.
 */
import type { QScheme, QuantDtype } from './dtypes.js';
import type { F32Tensor, F64Tensor, IntTensor } from './tensor.js';
import type { QrangeSemantics } from './qrange.js';
import type { QuantizedAdaptiveAvgPool2dOps } from './quantized_adaptive_avg_pool2d.js';
import type { QuantizedAddOps } from './quantized_add.js';
import type { QuantizedHardActivationOps } from './quantized_hard_activations.js';
import type { QuantizedMeanOps } from './quantized_mean.js';
import type { QnnpackMeanOps } from './qnnpack_mean.js';
import type { QuantizedMulOps } from './quantized_mul.js';
import type { QnnpackHardActivationOps } from './qnnpack_hard_activations.js';
import type { QuantizedCatOps } from './quantized_cat.js';
import type { QuantizedAvgPool2dOps } from './quantized_avg_pool2d.js';
import type { QnnpackAddOps } from './qnnpack_add.js';
import type { QnnpackAvgPool2dOps } from './qnnpack_avg_pool2d.js';
import type { XnnpackAddOps } from './xnnpack_add.js';

export const OP_NAMES = [
  'calculate_qmin_qmax@1',
  'calculate_qparams@1',
  'quantize_per_tensor@1',
  'quantize_per_channel@1',
  'dequantize_per_tensor@1',
  'dequantize_per_channel@1',
  'quantize_per_channel_float_qparams@1',
  'dequantize_per_channel_float_qparams@1',
  'fake_quantize_per_tensor_affine@1',
  'fake_quantize_per_channel_affine@1',
  'min_max_observer@1',
  'moving_average_min_max_observer@1',
  'per_channel_min_max_observer@1',
  'moving_average_per_channel_min_max_observer@1',
  'fixed_qparams_observer@1',
  'placeholder_observer@1',
  'histogram_observer@1',
  'histogram_observer@2',
  // torch 2.x (checked against torch 2.6, vectors/torch-2.6): the @1 op with 2.x's qint32 range check
  // (a custom range may span 2^32 values, contract/qrange.ts); everything else as @1
  'calculate_qmin_qmax@2',
  'calculate_qparams@2',
  'min_max_observer@2',
  'moving_average_min_max_observer@2',
  'per_channel_min_max_observer@2',
  'moving_average_per_channel_min_max_observer@2',
  // PT2E / ExecuTorch (torch 2.x): torch.ops.quantized_decomposed.* (torch/ao/quantization/fx/_decomposed.py); the
  // .tensor forms (scale and zero point as one-element tensors) take .item() and compute the same
  'decomposed_quantize_per_tensor@1',
  'decomposed_dequantize_per_tensor@1',
  'decomposed_quantize_per_channel@1',
  'decomposed_dequantize_per_channel@1',
  'decomposed_choose_qparams@1',
  // torch 1.13 quantized::add / add_relu on the fbgemm, onednn and x86 engines (contract/quantized_add.ts)
  'quantized_add@1',
  // torch 2.6's: its AVX512 loop steps by 64 elements, not 128 (contract/quantized_add.ts)
  'quantized_add@2',
  // torch 1.13 adaptive_avg_pool2d on a quantized tensor, fbgemm, onednn and x86 engines (contract/quantized_adaptive_avg_pool2d.ts)
  'quantized_adaptive_avg_pool2d@1',
  // torch 1.13 quantized::cat / cat_relu (QFunctional.cat), any engine (contract/quantized_cat.ts)
  'quantized_cat@1',
  // torch 2.6's: its AVX512 vector blocks are AVX2's
  'quantized_cat@2',
  // torch 1.13 avg_pool2d on a quantized tensor, fbgemm, onednn and x86 engines (contract/quantized_avg_pool2d.ts)
  'quantized_avg_pool2d@1',
  // torch 2.6's: its QuantizeAvx512 stores every element where it belongs (contract/quantized_avg_pool2d.ts)
  'quantized_avg_pool2d@2',
  // torch 1.13 quantized::add / add_relu on the qnnpack engine, quint8: QNNPACK's add (contract/qnnpack_add.ts)
  'qnnpack_add@1',
  // torch 1.13 avg_pool2d / adaptive_avg_pool2d on quint8 under the qnnpack engine: QNNPACK's average pooling (contract/qnnpack_avg_pool2d.ts)
  'qnnpack_avg_pool2d@1',
  // torch 1.13 quantized::add / add_relu on the qnnpack engine, qint8: XNNPACK's qs8 add (contract/xnnpack_add.ts)
  'xnnpack_add@1',
  // torch 1.13 quantized::hardswish and hardsigmoid on a quantized tensor, fbgemm, onednn and x86 engines
  // (contract/quantized_hard_activations.ts)
  'quantized_hardswish@1',
  'quantized_hardsigmoid@1',
  // torch 1.13 quantized::mul / mul_relu where its kernel is ATen's qmul_kernel (quint8; contract/quantized_mul.ts)
  'quantized_mul@1',
  // torch 2.6's three: the same kernels, but their AVX512 loop steps by 64 elements, not 128 (as quantized_add@2)
  'quantized_hardswish@2',
  'quantized_hardsigmoid@2',
  'quantized_mul@2',
  // torch 1.13 Hardswish and Hardsigmoid of quint8 on the qnnpack engine: QNNPACK's lookup tables (contract/qnnpack_hard_activations.ts)
  'qnnpack_hardswish@1',
  'qnnpack_hardsigmoid@1',
  // torch 1.13 Tensor.mean over H and W of a quantized tensor, fbgemm, onednn and x86 engines (contract/quantized_mean.ts)
  'quantized_mean@1',
  // torch 2.6's: the same paths, its AVX512 float sums of AVX2's vector width
  'quantized_mean@2',
  // torch 1.13 Tensor.mean over [2, 3] of quint8 on the qnnpack engine: QNNPACK's global average pooling (contract/qnnpack_mean.ts)
  'qnnpack_mean@1',
] as const;
export type OpName = (typeof OP_NAMES)[number];

/** Observer / qparams configuration, as the torch observer constructors take it. */
export interface QparamsConfig {
  readonly dtype: QuantDtype;
  readonly qscheme: QScheme;
  readonly reduceRange: boolean;
  readonly quantMin: number | null;
  readonly quantMax: number | null;
  /** f64; torch stores it as a float32 buffer. Default 2^-23. */
  readonly eps: number;
  /** The range check's torch version (contract/qrange.ts QrangeSemantics): 1 (default) for the @1 ops, 2 for the @2 ops. */
  readonly semantics?: QrangeSemantics;
}

export interface Qparams {
  /** float32, shape [1] per-tensor or [C] per-channel. */
  readonly scale: F32Tensor;
  /** int32 (affine), int64 (symmetric) or float32 (per_channel_affine_float_qparams), as torch returns it. */
  readonly zeroPoint: IntTensor | F32Tensor;
}

export interface ObserverResult extends Qparams {
  /** Observer state after all batches: shape [] per-tensor, [C] per-channel (float32). */
  readonly minVal: F32Tensor;
  readonly maxVal: F32Tensor;
}

export interface MinMaxObserverAttrs extends QparamsConfig {}
export interface MovingAverageObserverAttrs extends QparamsConfig {
  /** f64, applied as float32. Default 0.01. */
  readonly averagingConstant: number;
}
export interface PerChannelObserverAttrs extends QparamsConfig {
  readonly chAxis: number;
}
export interface MovingAveragePerChannelObserverAttrs extends PerChannelObserverAttrs {
  readonly averagingConstant: number;
}
export interface FixedQparamsObserverAttrs {
  readonly scale: number;
  readonly zeroPoint: number;
  readonly dtype: QuantDtype;
  readonly qscheme: QScheme;
  readonly quantMin: number;
  readonly quantMax: number;
}

/**
 * torch.sum's float32 cascade adds Vectorized<float> lanes: 8 on ATen's AVX2 (and DEFAULT) CPU
 * capability, 16 on AVX-512. The lane count changes the order of additions (and so the rounding) of
 * every float32 sum HistogramObserver takes, and, in torch 1.13, the vectorized linspace behind
 * torch.histc's bin edges. A declared variant, not a property of the data: the torch that wrote the
 * golden vectors runs AVX2 (8).
 */
export type SumLaneWidth = 8 | 16;

/** HistogramObserver configuration common to both semantics versions (per_tensor_* qschemes only). */
export interface HistogramObserverAttrs extends QparamsConfig {
  /** Number of histogram bins, >= 1. torch's default 2048. */
  readonly bins: number;
  /** The ATen vector width the float32 sums (and 1.13's linspace) run with; default 8 (AVX2). */
  readonly sumLaneWidth: SumLaneWidth;
}

/** histogram_observer@1 (torch 1.13.1) also takes the upsample rate of its histogram merge. */
export interface HistogramObserverV1Attrs extends HistogramObserverAttrs {
  /** >= 1; torch 1.13's default 128. torch 2.x fixed it at 16 and removed the argument. */
  readonly upsampleRate: number;
}

/** torch 2.x fixes HistogramObserver's upsample rate at 16 (histogram_observer@2 takes none). */
export const UPSAMPLE_RATE_V2 = 16;

/**
 * qconform's allocation limit for histogram_observer@1's merge buffer: 1e9 bytes of float32 cells, the
 * limit torch 2.1 adopted (MAX_HISTOGRAM_SIZE); above it the merge raises histogram_too_large.
 */
export const MAX_MERGE_BYTES = 1e9;

export interface HistogramObserverResult extends ObserverResult {
  /** The observer's histogram buffer after all batches: float32 [bins]. */
  readonly histogram: F32Tensor;
}

/** Every op of the contract, typed. Both reference/ and impl/ implement all of it. */
export interface QuantOps extends QuantizedAddOps, QuantizedHardActivationOps, QuantizedMeanOps, QuantizedMulOps, QnnpackHardActivationOps, QuantizedAdaptiveAvgPool2dOps, QuantizedCatOps, QuantizedAvgPool2dOps, QnnpackAddOps, QnnpackAvgPool2dOps, QnnpackMeanOps, XnnpackAddOps {
  calculateQminQmax(a: { dtype: QuantDtype; reduceRange: boolean; quantMin: number | null; quantMax: number | null; semantics?: QrangeSemantics }): {
    quantMin: number;
    quantMax: number;
  };
  calculateQparams(minVal: F32Tensor, maxVal: F32Tensor, a: QparamsConfig): Qparams;

  quantizePerTensor(x: F32Tensor, a: { scale: number; zeroPoint: number; dtype: QuantDtype }): IntTensor;
  quantizePerChannel(x: F32Tensor, scales: F64Tensor, zeroPoints: IntTensor, a: { axis: number; dtype: QuantDtype }): IntTensor;
  /**
   * decomposed_quantize_per_tensor@1: torch 2.x's quantized_decomposed.quantize_per_tensor (PT2E, ExecuTorch) with
   * dtype torch.uint8 (wire quint8) or torch.int8 (qint8); clamps to [quant_min, quant_max], not to the dtype range.
   */
  decomposedQuantizePerTensor(x: F32Tensor, a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number; dtype: QuantDtype }): IntTensor;
  /** decomposed_dequantize_per_tensor@1: quantized_decomposed.dequantize_per_tensor, float32 `(f32(q) - zp) * f32(scale)`. */
  decomposedDequantizePerTensor(q: IntTensor, a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number; dtype: QuantDtype }): F32Tensor;
  /** decomposed_quantize_per_channel@1: quantized_decomposed.quantize_per_channel with float32 scales, int32 / int64 zero points. */
  decomposedQuantizePerChannel(x: F32Tensor, scales: F32Tensor, zeroPoints: IntTensor, a: { axis: number; quantMin: number; quantMax: number; dtype: QuantDtype }): IntTensor;
  /** decomposed_dequantize_per_channel@1: quantized_decomposed.dequantize_per_channel; zero points optional (torch's None). */
  decomposedDequantizePerChannel(q: IntTensor, scales: F32Tensor, zeroPoints: IntTensor | null, a: { axis: number; quantMin: number; quantMax: number; dtype: QuantDtype }): F32Tensor;
  /** decomposed_choose_qparams@1: quantized_decomposed.choose_qparams.tensor, scale float64 [1] and zero point int64 [1]. */
  decomposedChooseQparams(x: F32Tensor, a: { quantMin: number; quantMax: number; eps: number; dtype: QuantDtype }): { scale: F64Tensor; zeroPoint: IntTensor };
  dequantizePerTensor(q: IntTensor, a: { scale: number; zeroPoint: number }): F32Tensor;
  dequantizePerChannel(q: IntTensor, scales: F64Tensor, zeroPoints: IntTensor, a: { axis: number }): F32Tensor;
  quantizePerChannelFloatQparams(
    x: F32Tensor,
    scales: F32Tensor,
    zeroPoints: F32Tensor,
    a: { axis: number; dtype: QuantDtype },
  ): IntTensor;
  dequantizePerChannelFloatQparams(q: IntTensor, scales: F32Tensor, zeroPoints: F32Tensor, a: { axis: number }): F32Tensor;
  fakeQuantizePerTensorAffine(x: F32Tensor, a: { scale: number; zeroPoint: number; quantMin: number; quantMax: number }): F32Tensor;
  fakeQuantizePerChannelAffine(
    x: F32Tensor,
    scales: F32Tensor,
    zeroPoints: IntTensor,
    a: { axis: number; quantMin: number; quantMax: number },
  ): F32Tensor;

  minMaxObserver(batches: readonly F32Tensor[], a: MinMaxObserverAttrs): ObserverResult;
  movingAverageMinMaxObserver(batches: readonly F32Tensor[], a: MovingAverageObserverAttrs): ObserverResult;
  perChannelMinMaxObserver(batches: readonly F32Tensor[], a: PerChannelObserverAttrs): ObserverResult;
  movingAveragePerChannelMinMaxObserver(batches: readonly F32Tensor[], a: MovingAveragePerChannelObserverAttrs): ObserverResult;
  fixedQparamsObserver(batches: readonly F32Tensor[], a: FixedQparamsObserverAttrs): Qparams;
  /** Always throws placeholder_has_no_qparams, as torch's calculate_qparams raises. */
  placeholderObserver(batches: readonly F32Tensor[], a: { dtype: QuantDtype }): never;
  /** histogram_observer@1: torch.ao.quantization.HistogramObserver of torch 1.13.1, checked against it. */
  histogramObserver(batches: readonly F32Tensor[], a: HistogramObserverV1Attrs): HistogramObserverResult;
  /**
   * histogram_observer@2: the torch 2.x HistogramObserver (2.6 source: no int() truncation of the histc
   * range, inf elements dropped, _upscale_histogram merge with upsample rate 16), modeled from the source and
   * checked against real torch 2.6 (vectors/torch-2.6: 1,280 cases, most of them multi-batch).
   */
  histogramObserverV2(batches: readonly F32Tensor[], a: HistogramObserverAttrs): HistogramObserverResult;
}
