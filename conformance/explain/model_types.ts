/**
 * What `qconform explain` reads from a quantized model, whatever its format (ONNX QOperator or QDQ, TorchScript
 * from a converted eager model): a chain of steps, each a quantized layer qconform models (conv2d, and linear
 * as a 1x1 conv over the rows: linear_layer.ts), an integer step it can carry data through exactly (max
 * pooling, flatten, a torch reshape, an ONNX requantization or integer Relu between layers), or something it does not model (listed).
 */
import type { Pair, RequantScheme, WeightQuantization } from '../../contract/conv.js';
import type { QuantDtype } from '../../contract/dtypes.js';
import type { AtenCpuCapability, MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import type { AutoPad } from '../../contract/onnx_qops.js';

export interface ActivationQparams {
  /** f64 as stored (a Python float in torch; an ONNX float32 widened) */
  readonly scale: number;
  readonly zeroPoint: number;
  readonly dtype: QuantDtype;
}

/** An observer's state as torch's prepared model held it (conformance/backends/torch/python/explain_ops.py). */
export interface ObserverState {
  readonly observer: string;
  readonly dtype: string;
  readonly qscheme: string;
  readonly reduceRange: boolean;
  readonly quantMin: number;
  readonly quantMax: number;
  /** float32; [1] per tensor, [C] per channel */
  readonly minVal: readonly number[];
  readonly maxVal: readonly number[];
  /** HistogramObserver only: bin counts over [minVal, maxVal] */
  readonly histogram?: readonly number[];
}

/**
 * The graph values an ONNX step reads and gives, each named by the integer tensor it is (onnx_step_values.ts): the
 * chain feeds a step only the integers of the value it reads. Absent for torch models (their chain is the forward's order).
 */
export interface GraphValues {
  readonly input: string;
  readonly output: string;
  /** the shape the model states for `input` (onnx_value_shapes.ts), when it states one */
  readonly inputShape?: StatedShape;
}

/** A graph value's shape as the model states it: the graph input explain runs (its shape in the run), or declared dims. */
export type StatedShape = { readonly kind: 'run_input' } | { readonly kind: 'declared'; readonly dims: readonly number[] };

export interface ConvLayer {
  readonly kind: 'conv2d';
  readonly values?: GraphValues;
  readonly name: string;
  /** where it came from: 'QLinearConv', 'QDQ Conv', 'torch QuantizedConvReLU2d', 'torch QuantizedLinear', ... */
  readonly source: string;
  /**
   * the framework whose model it was read from, which sizes its float conv (the fake-quant view, fake_quant.ts): torch
   * (torchConvOutputSize) or ONNX Runtime (onnxConvOutputSize)
   */
  readonly framework: 'torch' | 'onnx';
  /** a linear layer (torch Linear, ONNX QLinearMatMul / QDQ Gemm or MatMul) run as a 1x1 conv: x [N, F] is [N, F, 1, 1] */
  readonly linear?: true;
  readonly x: ActivationQparams;
  readonly y: ActivationQparams;
  /** qint8 [OC, C/groups, KH, KW]; a linear's [OC, F] is [OC, F, 1, 1] */
  readonly weightShape: readonly number[];
  readonly weight: Int32Array;
  readonly weightQuantization: WeightQuantization;
  readonly weightScales: readonly number[];
  readonly weightZeroPoints: readonly number[];
  /** float32 values (torch) or int32 in units of s_x s_w (ONNX) */
  readonly bias: { readonly kind: 'float32' | 'int32'; readonly values: readonly number[] } | null;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly dilation: Pair;
  readonly groups: number;
  readonly relu: boolean;
  /** from a prepared torch model's observers, when given */
  readonly activationObserver?: ObserverState;
  readonly weightObserver?: ObserverState;
  /** the scheme of the kernel that runs this layer, when it is not the model's nativeScheme (torch: torch_engine.ts) */
  readonly scheme?: RequantScheme;
  /** torch's onednn engine on a CPU without VNNI: the oneDNN ISA whose kernels form its sums (torch_engine.ts torchBaselineAccumulator) */
  readonly onednnIsa?: OnednnNonVnniIsa;
  /**
   * torch: it reads another branch of the forward than the chain's tensor: the output of step `readsOutputOf` (null:
   * the model's quantized input), why (`because`, a phrase after "it"). Its x qparams are that tensor's (torch_model.ts
   * torchSteps); it runs on that tensor's integers where the run gave them, else on generated data of its shape.
   */
  readonly otherBranch?: { readonly readsOutputOf: string | null; readonly because: string };
}

/** The x86 ISAs without VNNI whose oneDNN int8 kernels explain models (conformance/backends/torch/onednn_paths.ts). */
export type OnednnNonVnniIsa = 'avx2' | 'sse41';

/**
 * A 2-d max pool on NCHW data, with ONNX MaxPool's attributes (run by max_pool.ts): integer max pooling is exact on
 * quantized values (max commutes with a monotonic (de)quantization).
 */
export interface MaxPoolStep {
  readonly kind: 'maxpool2d';
  readonly values?: GraphValues;
  readonly name: string;
  /**
   * whose checks and refusals apply: ORT 1.30's MaxPool (an ONNX model), or torch 1.13's quantized max_pool2d (a
   * torch MaxPool2d: its paths, QNNPACK's clamped windows and torch's refusals, torch_max_pool.ts)
   */
  readonly rules: 'onnxruntime' | 'torch';
  /** torch: the dtype of what it pools, when the layers before it say (which torch path runs it: torch_max_pool.ts) */
  readonly dtype?: QuantDtype;
  readonly kernel: Pair;
  readonly stride: Pair;
  /** the pads attribute, ONNX order: [H begin, W begin, H end, W end]; ORT ignores it under an auto_pad other than NOTSET (max_pool.ts runPads) */
  readonly pads: readonly number[];
  readonly dilation: Pair;
  readonly autoPad: AutoPad;
  readonly ceilMode: boolean;
  /** torch: the quantized engine it runs on (QNNPACK's max pool runs only under qnnpack: torch_max_pool.ts) */
  readonly torchEngine?: string;
  /** torch: it pools the output of another step than the one before it (GoogLeNet's pool branch): that step (null: the model's quantized input) */
  readonly otherBranch?: { readonly readsOutputOf: string | null; readonly because: string };
}

/** Flatten from dim 1 (torch.flatten(x, 1), ONNX Flatten axis 1 or Reshape to [N, -1]): NCHW -> [N, C*H*W], C slowest. */
export interface FlattenStep {
  readonly kind: 'flatten';
  readonly values?: GraphValues;
  readonly name: string;
}

/** One dim of a torch reshape's target: a constant (-1: inferred from the element count), or x.size(inputDim) of the tensor reshaped. */
export type ReshapeDim = number | { readonly inputDim: number };

/**
 * torch's Tensor.reshape / Tensor.view (opType) to `shape`: the same values in row-major order under the shape torch
 * resolves on the tensor reshaped (torch_reshape.ts).
 */
export interface ReshapeStep {
  readonly kind: 'reshape';
  readonly name: string;
  readonly opType: string;
  readonly shape: readonly ReshapeDim[];
}

/**
 * ONNX DequantizeLinear -> [Relu] -> QuantizeLinear between two steps (onnx_between_layers.ts): the integers `from`
 * quantized are dequantized, clamped at 0 (relu), and quantized to `to`, in ORT's float32 arithmetic; the chain maps
 * each integer through `table` (qdq_steps.ts requantizeTable), indexed by its byte (q & 0xff).
 */
export interface RequantizeStep {
  readonly kind: 'requantize';
  readonly values?: GraphValues;
  readonly name: string;
  readonly from: ActivationQparams;
  readonly to: ActivationQparams;
  readonly relu: boolean;
  /** the output integer (of `to`'s dtype) for each input byte */
  readonly table: readonly number[];
}

/** An ONNX Relu on int8 integers (Relu-14 and later): max(q, 0) on the integers, whatever their zero point. */
export interface IntegerReluStep {
  readonly kind: 'int_relu';
  readonly values?: GraphValues;
  readonly name: string;
}

/**
 * A ReLU on a quantized tensor (torch: an nn.ReLU module, F.relu or torch.relu between quantized layers): each integer
 * becomes max(q, zero point), the qparams `x` are kept (quantized_relu.ts).
 */
export interface QuantizedReluStep {
  readonly kind: 'relu';
  readonly name: string;
  /** the qparams of what it takes and gives */
  readonly x: ActivationQparams;
}

/**
 * A DeQuantStub whose output goes straight into a QuantStub (torch: DeQuantize then Quantize, no op between):
 * quantize_per_tensor(dequantize(q)) from the qparams `x` to the stub's `y` (stub_requantize.ts).
 */
export interface StubRequantizeStep {
  readonly kind: 'stub_requantize';
  readonly name: string;
  readonly x: ActivationQparams;
  readonly y: ActivationQparams;
  /** the stub's observer's quant_min / quant_max, when the observers are given (the fake-quant model clamps to them) */
  readonly observer?: ObserverState;
}

/** What a torch step of two tensors (an add, a mul) holds: its operands, their qparams, the output's, ReLU, the ATen path. */
export interface TorchBinaryStep {
  readonly name: string;
  /** as the model calls it: QFunctional.add, QFunctional.mul_relu, quantized::add, quantized::mul, ... */
  readonly opType: string;
  /** the step whose output each operand is; null: the model's quantized input */
  readonly reads: readonly [string | null, string | null];
  readonly x: readonly [ActivationQparams, ActivationQparams];
  readonly y: ActivationQparams;
  readonly relu: boolean;
  /** the ATen capability and thread count of the torch that read the model */
  readonly cpuCapability: AtenCpuCapability;
  readonly threads: number;
}

/**
 * torch's quantized::add / add_relu (a QFunctional's add or add_relu, an FX model's op) on the integers of the two
 * tensors it reads (quantized_add_step.ts): on the fbgemm, onednn and x86 engines quantized_add@1
 * (contract/quantized_add.ts, ATen's qadd_kernel) with the ATen capability and thread count of the torch that read the
 * model and the memory format both tensors have; on the qnnpack engine qnnpack_add@1 (quint8, contract/qnnpack_add.ts,
 * QNNPACK's add) or xnnpack_add@1 (qint8, contract/xnnpack_add.ts, XNNPACK's), which depend on none of them.
 */
export interface QuantizedAddStep extends TorchBinaryStep {
  readonly kind: 'quantized_add';
  /** the add torch runs: ATen's qadd_kernel, or on the qnnpack engine QNNPACK's (quint8) or XNNPACK's (qint8) */
  readonly kernel: 'qadd_kernel' | 'qnnpack' | 'xnnpack';
  /** both operands' memory format; null where unknown (only on the qnnpack engine, whose adds do not depend on it) */
  readonly memoryFormat: MemoryFormat | null;
}

/**
 * torch's quantized::cat (a QFunctional's cat, GoogLeNet's and Inception v3's branches meeting): quantized_cat@1
 * (contract/quantized_cat.ts) on the integers of the tensors it reads, with the ATen capability of the torch that read
 * the model and their memory formats (quantized_cat_step.ts).
 */
export interface QuantizedCatStep {
  readonly kind: 'quantized_cat';
  readonly name: string;
  /** as the model calls it: QFunctional.cat */
  readonly opType: string;
  /** the step whose output each input is; null: the model's quantized input */
  readonly reads: readonly (string | null)[];
  readonly x: readonly ActivationQparams[];
  readonly y: ActivationQparams;
  readonly dim: number;
  readonly cpuCapability: AtenCpuCapability;
  /** each input's memory format (quantized_cat_step.ts catRequestFormat: the request's, which gives torch's path) */
  readonly inputFormats: readonly MemoryFormat[];
}

/**
 * torch's adaptive_avg_pool2d on the chain's quantized tensor (an nn.AdaptiveAvgPool2d, F.adaptive_avg_pool2d):
 * quantized_adaptive_avg_pool2d@1 (contract/quantized_adaptive_avg_pool2d.ts) in the memory format the tensor has, which
 * picks torch's kernel (adaptive_avg_pool_step.ts); the output keeps x's qparams.
 */
export interface AdaptiveAvgPoolStep {
  readonly kind: 'adaptive_avg_pool2d';
  readonly name: string;
  /** as the model calls it: AdaptiveAvgPool2d, torch.nn.functional.adaptive_avg_pool2d, aten::adaptive_avg_pool2d */
  readonly opType: string;
  readonly x: ActivationQparams;
  /** [OH, OW] as the model gives them; null: the input's size in that dimension */
  readonly outputSize: readonly [number | null, number | null];
  readonly memoryFormat: MemoryFormat;
  /** the quantized engine the model is read under: QNNPACK's pool runs some quint8 pools there */
  readonly torchEngine: string;
}

/**
 * torch's avg_pool2d on a quantized tensor (an nn.AvgPool2d, F.avg_pool2d: Inception v3's pool branches):
 * quantized_avg_pool2d@1 (contract/quantized_avg_pool2d.ts) in the memory format the tensor has, which picks torch's
 * kernel, and the ATen capability of the torch that read the model; on the qnnpack engine, for quint8 without ceil_mode,
 * qnnpack_avg_pool2d@1 (contract/qnnpack_avg_pool2d.ts, QNNPACK's average pool) (avg_pool_step.ts). The output keeps x's
 * qparams.
 */
export interface AvgPoolStep {
  readonly kind: 'avg_pool2d';
  readonly name: string;
  /** as the model calls it: AvgPool2d, aten::avg_pool2d */
  readonly opType: string;
  readonly x: ActivationQparams;
  readonly kernel: Pair;
  readonly stride: Pair;
  readonly padding: Pair;
  readonly ceilMode: boolean;
  readonly countIncludePad: boolean;
  readonly divisorOverride: number | null;
  /** the pooled tensor's memory format; null where unknown (only for QNNPACK's pool, which does not depend on it) */
  readonly memoryFormat: MemoryFormat | null;
  readonly cpuCapability: AtenCpuCapability;
  /** torch runs QNNPACK's average pool (the qnnpack engine, quint8, no ceil_mode), not ATen's kernels */
  readonly qnnpack: boolean;
  /** it pools the output of another step than the one before it (Inception's pool branch): that step (null: the model's quantized input) */
  readonly otherBranch?: { readonly readsOutputOf: string | null; readonly because: string };
}

/**
 * torch's Hardswish or Hardsigmoid on the chain's quantized tensor (nn.quantized.Hardswish and convert_fx's
 * quantized::hardswish; a float nn.Hardsigmoid or F.hardsigmoid on a quantized tensor): quantized_hardswish@1 /
 * quantized_hardsigmoid@1 (contract/quantized_hard_activations.ts) with the ATen capability and thread count of the
 * torch that read the model and the memory format the tensor has; on the qnnpack engine, for quint8, QNNPACK's table:
 * qnnpack_hardswish@1 / qnnpack_hardsigmoid@1 (contract/qnnpack_hard_activations.ts) (hard_activation_step.ts).
 */
export interface HardActivationStep {
  readonly kind: 'hard_activation';
  readonly name: string;
  /** as the model calls it: Hardswish, quantized::hardswish, Hardsigmoid, aten::hardsigmoid, ... */
  readonly opType: string;
  readonly fn: 'hardswish' | 'hardsigmoid';
  readonly x: ActivationQparams;
  /** hardswish's stored output qparams; hardsigmoid's fixed ones (scale 2^-8, zero point 0 or -128) */
  readonly y: ActivationQparams;
  /** the kernel torch runs: ATen's, or on the qnnpack engine QNNPACK's lookup table (quint8) */
  readonly kernel: 'aten' | 'qnnpack';
  readonly cpuCapability: AtenCpuCapability;
  readonly threads: number;
  /** the tensor's memory format; null where unknown (only for QNNPACK's table, which does not depend on it) */
  readonly memoryFormat: MemoryFormat | null;
}

/**
 * torch's quantized::mul / mul_relu (a QFunctional's mul: MobileNetV3's squeeze-excitation gate, an FX model's op) on
 * the integers of the two tensors it reads: quantized_mul@1 (contract/quantized_mul.ts, ATen's qmul_kernel) with the
 * ATen capability and thread count of the torch that read the model and the memory format both tensors have
 * (quantized_mul_step.ts). The operands may broadcast.
 */
export interface QuantizedMulStep extends TorchBinaryStep {
  readonly kind: 'quantized_mul';
  /** both operands' memory format */
  readonly memoryFormat: MemoryFormat;
}

/**
 * torch's Tensor.mean over H and W of the chain's quantized tensor (ShuffleNetV2's x.mean([2, 3])): quantized_mean@1
 * (contract/quantized_mean.ts) in the memory format the tensor has, the ATen capability and thread count of the torch
 * that read the model; on the qnnpack engine, for quint8 over the dims written [2, 3], QNNPACK's global average pool:
 * qnnpack_mean@1 (contract/qnnpack_mean.ts) (quantized_mean_step.ts). The output keeps x's qparams.
 */
export interface QuantizedMeanStep {
  readonly kind: 'quantized_mean';
  readonly name: string;
  readonly opType: string;
  readonly x: ActivationQparams;
  readonly dims: readonly number[];
  readonly keepdim: boolean;
  /** the kernel torch runs: ATen's, or on the qnnpack engine QNNPACK's global average pool (quint8, dims written [2, 3]) */
  readonly kernel: 'aten' | 'qnnpack';
  /** the tensor's memory format; null where unknown (only for QNNPACK's pool, which does not depend on it) */
  readonly memoryFormat: MemoryFormat | null;
  readonly cpuCapability: AtenCpuCapability;
  readonly threads: number;
}

/** Which channels a ChannelGatherStep takes: a part of Tensor.chunk along dim 1, or a channel shuffle by `groups` (channel_gather_step.ts). */
export type ChannelGather = { readonly kind: 'chunk'; readonly chunks: number; readonly index: number } | { readonly kind: 'channel_shuffle'; readonly groups: number; readonly probedChannels: number };

/**
 * torch moving whole channels of a quantized tensor (torchvision's ShuffleNetV2: `x.chunk(2, dim=1)` and
 * `channel_shuffle`): values and qparams as they are (channel_gather_step.ts).
 */
export interface ChannelGatherStep {
  readonly kind: 'channel_gather';
  readonly name: string;
  readonly opType: string;
  readonly gather: ChannelGather;
  /** the tensor's qparams, as the step before it gave them */
  readonly x: ActivationQparams;
  /** it reads the output of another step than the one before it (a ShuffleNetV2 block's second chunk): that step (null: the model's quantized input) */
  readonly otherBranch?: { readonly readsOutputOf: string | null; readonly because: string };
}

/** A layer or op qconform does not model: listed with what is known of it; the data chain stops there. */
export interface NotModelledStep {
  readonly kind: 'not_modelled';
  readonly name: string;
  readonly opType: string;
  readonly reason: string;
  /** stored qparams, when it is a quantized layer */
  readonly details?: Readonly<Record<string, unknown>>;
}

export type ModelStep = ConvLayer | MaxPoolStep | FlattenStep | ReshapeStep | RequantizeStep | IntegerReluStep | QuantizedReluStep | StubRequantizeStep | QuantizedAddStep | QuantizedMulStep | HardActivationStep | QuantizedCatStep | AdaptiveAvgPoolStep | AvgPoolStep | ChannelGatherStep | QuantizedMeanStep | NotModelledStep;

/**
 * A uint8 / int8 graph input that the model's first layer reads as its x, with no QuantizeLinear before it:
 * directly, or through ops explain carries exactly on the integers (onnx_input.ts).
 */
export interface IntegerGraphInput {
  readonly kind: 'integers';
  /** the graph input's name */
  readonly name: string;
  /** the first layer (ModelStep name), which reads it */
  readonly layer: string;
  /** that layer's x qparams; their dtype is the graph input's */
  readonly x: ActivationQparams;
  /** what the integers pass through before the layer, in order (a step's name, else the node's name or op type); [] when it reads them directly */
  readonly through: readonly string[];
}

export interface ExplainModel {
  readonly path: string;
  readonly format: 'onnx-qoperator' | 'onnx-qdq' | 'torchscript';
  /** the scheme the model's own runtime runs (the chain's baseline; a layer's own `scheme` where it has one) */
  readonly nativeScheme: RequantScheme;
  /** the float input's qparams (QuantizeLinear / the Quantize stub), when the model quantizes its input */
  readonly input: ActivationQparams | null;
  /**
   * When the model does not quantize its input (input null): the quantized graph input its first layer reads
   * directly (explain takes integers for it: integer_input.ts), or why no input reaches a modelled layer (an
   * --input is then refused: input_reach.ts). Absent: the latter, for no stated reason.
   */
  readonly rawInput?: IntegerGraphInput | { readonly kind: 'unused'; readonly reason: string };
  /** ONNX: the graph value whose integers the chain starts with (the input's QuantizeLinear output, or the integer graph input) */
  readonly inputValue?: string;
  /** the input shape when the model states it (ONNX graph input), else null */
  readonly inputShape: readonly number[] | null;
  readonly steps: readonly ModelStep[];
  readonly notes: readonly string[];
}

/** A model file qconform cannot read: a typed error with the file and the reason, never a crash. */
export class ModelReadError extends Error {
  override readonly name = 'ModelReadError';
  constructor(
    readonly path: string,
    readonly reason: string,
  ) {
    super(`${path}: ${reason}`);
  }
}
