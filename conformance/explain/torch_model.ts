/**
 * Reads a quantized PyTorch 1.13 TorchScript model (saved from a converted eager model) through the torch
 * adapter conformance/backends/torch/python/explain_ops.py, run by /usr/bin/python3 (Debian python3-torch):
 * torch itself unpacks the packed params, so the weights, scales and zero points are torch's own.
 * Modules come in the order the forward calls them (explain_ops.py forward_call_order: containers followed into, a
 * module the forward never calls left out). A layer that takes none of the tensors the step before it gave (`branch`:
 * another branch of the forward, e.g. a residual block's downsample conv) gets the qparams of the tensor it reads (the
 * output of the step `reads_from` names) and reads that tensor (ConvLayer.otherBranch; explain_run.ts runs it on those
 * integers where the run has them, else on generated data), never the chain's; any other step on another branch is
 * listed as not modelled and stops the chain; but a pool on another branch (GoogLeNet's and Inception v3's pool branches:
 * MaxPool2d, F.max_pool2d, F.avg_pool2d) pools the tensor it reads (`otherBranch`), and a QFunctional's add or cat reads
 * every tensor it names (QuantizedAddStep, QuantizedCatStep; a list of branches a helper method returns is followed).
 * A torch.flatten call of the forward (no module) is placed before the module it feeds (explain_ops.py reads
 * it from the TorchScript graph). Linear layers become 1x1 convs over the rows (linear_layer.ts).
 * Between the layers the chain follows what torch does to the tensor (torchSteps): a ReLU on a quantized tensor (an
 * nn.ReLU module, F.relu, torch.relu: QuantizedReluStep), a DeQuantStub straight into a QuantStub (StubRequantizeStep),
 * a torch.flatten the forward calls elsewhere than straight into a module (FlattenStep), x.reshape / x.view (ReshapeStep,
 * torch_reshape.ts), the pools on quantized tensors (MaxPoolStep, AdaptiveAvgPoolStep, AvgPoolStep), ShuffleNetV2's
 * chunk parts and channel shuffle (ChannelGatherStep: a block's second chunk reads the tensor the first one read) and its
 * x.mean([2, 3]) (QuantizedMeanStep); ops and modules that give the tensor as it is (`unchanged`: .contiguous(), .clone(), .detach(),
 * nn.Identity, an nn.Dropout that does not drop) are no step, named in a note. Any other op of the forward, or a ReLU
 * on floats, is not modelled, and the layer after it runs on generated data.
 * Each layer runs the scheme of torch's kernel for it on the quantized engine the model is loaded under (`engine`,
 * --engine, else torch's default: torch_engine.ts).
 * `observers` is an optional torch.save of explain_ops.observer_state(prepared_model).
 */
import { hardsigmoidOutputQparams } from '../../contract/quantized_hard_activations.js';
import { torchHardActivationStep } from './hard_activation_step.js';
import { mulMethodOf, torchMulStep } from './quantized_mul_step.js';
import { spawnSync } from 'node:child_process';
import { existsSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { type QuantDtype, assertQuantDtype } from '../../contract/dtypes.js';
import type { Pair } from '../../contract/conv.js';
import { linearAsConv } from './linear_layer.js';
import { type ActivationQparams, type ChannelGather, type ChannelGatherStep, type QuantizedMeanStep, type ConvLayer, type ExplainModel, type AvgPoolStep, type FlattenStep, type MaxPoolStep, type ModelStep, ModelReadError, type NotModelledStep, type ObserverState, type ReshapeStep } from './model_types.js';
import { MAX_MODEL_BYTES, checkRegularFile } from './regular_file.js';
import { type ExplainTorchEngine, onednnNonVnniIsa, torchEngineProblem, torchLayerScheme } from './torch_engine.js';
import { ATEN_CPU_CAPABILITIES, type MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import { type AddOperandState, addMethodOf, torchAddStep } from './torch_add_step.js';
import { isCatCall, torchCatStep } from './torch_cat_step.js';
import { outputMemoryFormat } from './torch_memory_format.js';
import { type CpuModel, HOST_CPU, wrapCommand } from '../backends/cpu/cpu_models.js';

export const TORCH_PYTHON = '/usr/bin/python3';
export const EXPLAIN_OPS_PY = join(dirname(fileURLToPath(import.meta.url)), '..', 'backends', 'torch', 'python', 'explain_ops.py');

interface PyObserver {
  observer: string;
  dtype: string;
  qscheme: string;
  reduce_range: boolean;
  quant_min: number;
  quant_max: number;
  min_val: number[];
  max_val: number[];
  histogram?: number[];
}
interface PyWeight {
  dtype: string;
  shape: number[];
  values?: number[];
  qscheme: string;
  scales: number[];
  zero_points: number[];
  axis: number | null;
}
export interface PyModule {
  name: string;
  /**
   * relu, reshape, flatten, op, dequantize: a tensor op of the forward that is no module call (explain_ops.py tensor_op);
   * quantize: a Quantize stub, or a torch.quantize_per_tensor of fixed qparams (convert_fx's); unchanged: a tensor op or
   * module that gives its input's values and qparams as they are (tensor_op_args.py VALUE_PRESERVING_OPS, DROPOUT_OPS not
   * training, explain_ops.py _UNCHANGING_MODULES, an nn.Dropout in eval mode)
   */
  kind: 'conv2d' | 'linear' | 'quantize' | 'dequantize' | 'maxpool2d' | 'adaptive_avg_pool2d' | 'avg_pool2d' | 'relu' | 'hardswish' | 'hardsigmoid' | 'reshape' | 'flatten' | 'mean' | 'chunk' | 'channel_shuffle' | 'unchanged' | 'op' | 'other';
  type: string;
  relu?: boolean;
  weight?: PyWeight;
  bias?: number[] | null;
  scale?: number;
  zero_point?: number;
  dtype?: string;
  stride?: number[] | null;
  padding?: number[] | null;
  dilation?: number[] | null;
  kernel?: number[] | null;
  groups?: number;
  padding_mode?: string;
  ceil_mode?: boolean | null;
  /** avg_pool2d */
  count_include_pad?: boolean | null;
  divisor_override?: number | null | 'computed';
  /** adaptive_avg_pool2d: [OH, OW] (null: the input's size there); null when the forward computes it */
  output_size?: (number | null)[] | null;
  /** reshape: the target, one entry a dim (a constant, {dim: d} for x.size(d), null for one the forward computes otherwise); null when no list */
  shape?: (number | { dim: number } | null)[] | null;
  /** reshape by aten::view: whether its input is known contiguous (the result of .contiguous(), a quantized linear, torch.flatten(x, 1)) */
  contiguous_input?: boolean;
  /** flatten */
  start_dim?: number | null;
  end_dim?: number | null;
  /**
   * a float nn.Dropout saved in training mode: true; torch.dropout / F.dropout (kind op): its training flag where the
   * forward fixes it (a constant, or self.training), null where it computes it
   */
  training?: boolean | null;
  /** it takes none of the tensors the step before it gave: another branch of the forward (explain_ops.py in_forward_order) */
  branch?: boolean;
  /** the step whose output it reads (FORWARD_INPUT for the forward's input), null when no step gave it; absent for a step of no data flow */
  reads_from?: string | null;
  /** a QFunctional: the method the forward calls (add, add_relu, mul, cat, ...) */
  method?: string | null;
  /** the step that gave each tensor it reads, in order (null: no step gave it); absent for a step of no data flow */
  reads_all?: (string | null)[];
  /** a QFunctional: the integer constants its call passes (cat's dim) */
  int_args?: number[];
  /** chunk: one part (index) of Tensor.chunk(chunks, dim) */
  chunks?: number;
  dim?: number;
  index?: number;
  /** mean: Tensor.mean's dims and keepdim, constants of the forward */
  dims?: number[];
  keepdim?: boolean;
  /** channel_shuffle: the groups torch measured the function shuffling by, on 1 .. probed_channels channels (channel_ops.py) */
  channel_shuffle_groups?: number;
  probed_channels?: number;
}

/** reads_from of a step that reads the forward's input (explain_ops.py INPUT_STEP) */
const FORWARD_INPUT = '<input>';
interface PyFlatten {
  start_dim: number | null;
  end_dim: number | null;
  /** the modules the flattened value is passed to */
  into: string[];
}
export interface PyModel {
  format: string;
  torch: string;
  engine: string;
  cpu_flags: string[];
  /** the ATen CPU capability (default, avx2, avx512) and thread count of the torch that read the model */
  aten_capability?: string;
  num_threads?: number;
  modules: PyModule[];
  flattens?: PyFlatten[];
  observers: Record<string, { activation?: PyObserver; weight?: PyObserver }> | null;
}

const pair = (v: number[] | null | undefined): Pair => [v?.[0] ?? 0, v?.[1] ?? 0];

function observerState(o: PyObserver | undefined): ObserverState | undefined {
  if (!o) return undefined;
  return {
    observer: o.observer,
    dtype: o.dtype,
    qscheme: o.qscheme,
    reduceRange: o.reduce_range,
    quantMin: o.quant_min,
    quantMax: o.quant_max,
    minVal: o.min_val,
    maxVal: o.max_val,
    ...(o.histogram ? { histogram: o.histogram } : {}),
  };
}

/** A MaxPool2d of the forward: torch's path (QNNPACK or the native kernel) follows from the engine, ceil_mode and the dtype pooled (torch_max_pool.ts). */
function torchMaxPool(m: PyModule, dtype: QuantDtype | undefined, engine: ExplainTorchEngine): MaxPoolStep {
  const [ph, pw] = pair(m.padding);
  return { kind: 'maxpool2d', name: m.name, rules: 'torch', torchEngine: engine, ...(dtype ? { dtype } : {}), kernel: pair(m.kernel), stride: pair(m.stride), pads: [ph, pw, ph, pw], dilation: pair(m.dilation), autoPad: 'NOTSET', ceilMode: m.ceil_mode ?? false };
}

/** Why a pool's window (a module's, or an op's arguments) is not known to explain, else null. */
function poolWindowUnknown(m: PyModule): string | null {
  // (divisor_override null is no override; 'computed' one the forward computes)
  const fields = m.kind === 'avg_pool2d' ? [m.kernel, m.stride, m.padding, m.ceil_mode, m.count_include_pad] : [m.kernel, m.stride, m.padding, m.dilation, m.ceil_mode];
  return fields.some((v) => v === null) || m.divisor_override === 'computed' ? `${m.type}: its window (kernel, stride, padding, ceil_mode${m.kind === 'avg_pool2d' ? ', count_include_pad, divisor_override' : ', dilation'}) is computed by the forward, not constants` : null;
}

/**
 * An avg_pool2d of the forward on a quantized tensor of qparams q and memory format `format` (null: unknown), in the ATen
 * capability of the torch that read the model; else why it is not modelled. On the qnnpack engine a quint8 pool without
 * ceil_mode is QNNPACK's (avg_pool2d_quantized_cpu), whose answer does not depend on the memory format.
 */
function torchAvgPool(m: PyModule, q: ActivationQparams, format: MemoryFormat | null, capability: string | undefined, engine: ExplainTorchEngine): AvgPoolStep | { notModelled: string } {
  const unknown = poolWindowUnknown(m);
  if (unknown) return { notModelled: unknown };
  const qnnpack = engine === 'qnnpack' && q.dtype === 'quint8' && !m.ceil_mode;
  const cpuCapability = ATEN_CPU_CAPABILITIES.find((c) => c === capability);
  if (!cpuCapability) return { notModelled: `the torch that read the model reports ATen capability ${String(capability)}, which decides the NHWC kernel's vector channels; qconform models ${ATEN_CPU_CAPABILITIES.join(', ')}` };
  if (format === null && !qnnpack) return { notModelled: `the memory format of the tensor it pools is unknown, and it picks torch's kernel (NHWC or NCHW), which round differently` };
  const divisor = m.divisor_override;
  return { kind: 'avg_pool2d', name: m.name, opType: m.type, x: q, kernel: pair(m.kernel), stride: pair(m.stride), padding: pair(m.padding), ceilMode: m.ceil_mode === true, countIncludePad: m.count_include_pad !== false, divisorOverride: typeof divisor === 'number' ? divisor : null, memoryFormat: format, cpuCapability, qnnpack };
}

/**
 * A quantized Conv2d / ConvReLU2d, or a Linear / LinearReLU as a 1x1 conv (linear_layer.ts), with the scheme `engine`
 * runs it with; a layer torch refuses to run on `engine` refuses the model (`path`), with torch's reason.
 */
function quantizedLayer(path: string, m: PyModule, x: ConvLayer['x'], py: PyModel, engine: ExplainTorchEngine): ConvLayer | ModelStep {
  const w = m.weight!;
  const opType = `Quantized${m.type}`;
  if (w.dtype !== 'qint8' || !w.values) return { kind: 'not_modelled', name: m.name, opType, reason: `${w.dtype} weights are not modelled (qint8 only)` };
  if (m.padding_mode && m.padding_mode !== 'zeros') return { kind: 'not_modelled', name: m.name, opType, reason: `padding_mode ${m.padding_mode} is not modelled` };
  if (w.qscheme.includes('float_qparams')) return { kind: 'not_modelled', name: m.name, opType, reason: 'float-qparams weights are not modelled' };
  const kernel = torchLayerScheme(engine, { dtype: x.dtype, perChannel: w.qscheme.startsWith('per_channel'), weightZeroPoints: w.zero_points, linear: m.kind === 'linear', relu: m.relu ?? false, ...(m.kind === 'linear' ? { inFeatures: w.shape[1] } : {}) }, py.cpu_flags);
  if ('refused' in kernel) throw new ModelReadError(path, `on the ${engine} engine, ${m.name} (${opType}): ${kernel.refused}`);
  if ('notModelled' in kernel) return { kind: 'not_modelled', name: m.name, opType, reason: kernel.notModelled };
  const obs = py.observers?.[m.name];
  const activationObserver = observerState(obs?.activation);
  const weightObserver = observerState(obs?.weight);
  const common = {
    name: m.name,
    source: `torch ${opType}`,
    framework: 'torch' as const,
    x,
    y: { scale: m.scale!, zeroPoint: m.zero_point!, dtype: x.dtype },
    weight: Int32Array.from(w.values),
    weightQuantization: w.qscheme.startsWith('per_channel') ? ('per_channel' as const) : ('per_tensor' as const),
    weightScales: w.scales,
    weightZeroPoints: w.zero_points,
    bias: m.bias ? { kind: 'float32' as const, values: m.bias.map(Math.fround) } : null,
    relu: m.relu ?? false,
    scheme: kernel.scheme,
    ...(kernel.onednnIsa ? { onednnIsa: kernel.onednnIsa } : {}),
    ...(activationObserver ? { activationObserver } : {}),
    ...(weightObserver ? { weightObserver } : {}),
  };
  if (m.kind === 'linear') {
    if (w.shape.length !== 2) return { kind: 'not_modelled', name: m.name, opType, reason: `a ${w.shape.length}-d linear weight is not modelled ([out_features, in_features] only)` };
    return linearAsConv({ ...common, weightShape: [w.shape[0]!, w.shape[1]!] });
  }
  return { ...common, kind: 'conv2d', weightShape: w.shape, stride: pair(m.stride), padding: pair(m.padding), dilation: pair(m.dilation), groups: m.groups ?? 1 };
}

/** The step of a torch.flatten(x, start_dim, end_dim) of the forward. */
function flattenStep(name: string, startDim: number | null | undefined, endDim: number | null | undefined): FlattenStep | NotModelledStep {
  if (startDim === 1 && endDim === -1) return { kind: 'flatten', name };
  return { kind: 'not_modelled', name, opType: 'torch.flatten', reason: `torch.flatten(x, ${startDim ?? '?'}, ${endDim ?? '?'}) is not modelled (start_dim 1, end_dim -1 only)` };
}

/** The flatten step a forward's torch.flatten puts before module `name`, if any. */
function flattenBefore(py: PyModel, name: string): ModelStep | null {
  const f = py.flattens?.find((e) => e.into.includes(name));
  return f ? flattenStep(`flatten (before ${name})`, f.start_dim, f.end_dim) : null;
}

/**
 * The step of a forward's x.reshape(shape) / x.view(shape): carried when each dim of the target is a constant or
 * x.size(d) of the tensor reshaped (torch_reshape.ts resolves it), and a view only of a tensor known contiguous
 * (tensor_op_args.py _contiguous_result: .contiguous(), a quantized linear's output, torch.flatten(x, 1)).
 */
function reshapeStep(m: PyModule): ReshapeStep | NotModelledStep {
  const dims = m.shape;
  if (!dims || dims.some((d) => d === null)) {
    const target = dims ? `[${dims.map((d) => (d === null ? '?' : typeof d === 'number' ? d : `x.size(${d.dim})`)).join(', ')}]` : 'a shape list';
    return { kind: 'not_modelled', name: m.name, opType: m.type, reason: `${m.type} to ${target} is not modelled: a dim (?) the forward computes otherwise than as a constant or x.size(d) of the tensor reshaped` };
  }
  if (m.type === 'aten::view' && !m.contiguous_input) {
    return { kind: 'not_modelled', name: m.name, opType: m.type, reason: "a view of a tensor explain cannot tell is contiguous is not modelled: torch 1.13's quantized convs give channels_last tensors, whose view torch refuses (\"view size is not compatible with input tensor's size and stride\"); x.reshape, torch.flatten, and a view of x.contiguous(), of a quantized linear's output or of torch.flatten(x, 1) are carried" };
  }
  return { kind: 'reshape', name: m.name, opType: m.type, shape: dims.map((d) => (typeof d === 'number' ? d : { inputDim: d!.dim })) };
}

/**
 * A Tensor.mean of the forward on a quantized tensor of qparams q and memory format `format` (null: unknown), in the
 * ATen capability and thread count of the torch that read the model; else why it is not modelled (QNNPACK's global
 * average pool: the qnnpack engine's quint8 mean over (2, 3)).
 */
function torchMeanStep(m: PyModule, q: ActivationQparams, format: MemoryFormat | null, py: PyModel, engine: ExplainTorchEngine): QuantizedMeanStep | { notModelled: string } {
  const dims = m.dims ?? [];
  const overHW = dims.length === 2 && dims.map((d) => (d + 4) % 4).sort().join() === '2,3';
  if (!overHW) return { notModelled: `${m.type} over dims [${dims.join(', ')}] is not modelled (over H and W: [2, 3] only)` };
  const cpuCapability = ATEN_CPU_CAPABILITIES.find((c) => c === py.aten_capability);
  if (!cpuCapability) return { notModelled: `the torch that read the model reports ATen capability ${String(py.aten_capability)}, whose vector width orders the float sums; qconform models ${ATEN_CPU_CAPABILITIES.join(', ')}` };
  const step = { kind: 'quantized_mean', name: m.name, opType: m.type, x: q, dims, keepdim: m.keepdim === true, cpuCapability, threads: py.num_threads ?? 1 } as const;
  // ReduceOps.cpp mean_out_quantized_cpu: QNNPACK's global average pool for quint8 on the qnnpack engine when dim[0] == 2
  // and dim[1] == 3 as written (x.mean([-2, -1]) runs ATen's kernels there too)
  if (engine === 'qnnpack' && q.dtype === 'quint8' && dims[0] === 2 && dims[1] === 3) return { ...step, kernel: 'qnnpack', memoryFormat: format };
  if (format === null) return { notModelled: 'the memory format of the tensor it averages is unknown, and it picks torch\'s path (an integer sum or a float32 mean)' };
  return { ...step, kernel: 'aten', memoryFormat: format };
}

/** What a chunk part or a channel shuffle of the forward takes (channel_gather_step.ts), else why it is not modelled. */
function channelGatherOf(m: PyModule): ChannelGather | { notModelled: string } {
  if (m.kind === 'channel_shuffle') return { kind: 'channel_shuffle', groups: m.channel_shuffle_groups!, probedChannels: m.probed_channels! };
  if (m.dim !== 1) return { notModelled: `Tensor.chunk along dim ${String(m.dim)} is not modelled (dim 1, the channels, only)` };
  return { kind: 'chunk', chunks: m.chunks!, index: m.index! };
}

/**
 * What the forward's tensor is before a module: quantized with known qparams; a float tensor explain still follows
 * exactly (the model's input, or a DeQuantize's output of known qparams); or lost (a step not modelled came before: the
 * chain stopped there, and what follows it is unknown until a Quantize stub gives qparams again).
 */
type ChainState = { readonly kind: 'quantized'; readonly q: ActivationQparams } | { readonly kind: 'float'; readonly from: ActivationQparams | 'input' } | { readonly kind: 'lost' };

/**
 * The chain of steps: each conv's input qparams are the output qparams of the quantized step before it, the
 * Quantize stub's after a DeQuantize -> Quantize pair (a RequantizeStep when nothing is between them). Where torch does
 * something explain does not model (a tensor op, a module it does not know, a ReLU on floats), a not_modelled step
 * stops the chain: the layer after it runs on generated data of its own input qparams, never on integers in others.
 */
export function torchSteps(path: string, py: PyModel, engine: ExplainTorchEngine): { input: ExplainModel['input']; steps: ModelStep[]; unchanged: string[] } {
  const steps: ModelStep[] = [];
  // ops and modules that give their input as it is: no step, the chain goes through them whatever it holds
  const unchanged: string[] = [];
  let input: ExplainModel['input'] = null;
  // the Quantize stub whose output is the model's quantized input (no step of its own)
  let inputStub: string | null = null;
  let state = { kind: 'float', from: 'input' } as ChainState;
  // what each step's output is (a branch step reads one of them)
  const stateAfter = new Map<string, ChainState>([[FORWARD_INPUT, state]]);
  // a module that gives its input as it is (kind unchanged: no step, e.g. the Identity fuse_modules leaves for a
  // BatchNorm) -> the step whose output it passes on, so that a step reading it reads that step's output
  const passesOn = new Map<string, string | null>();
  const source = (read: string): string | null => (passesOn.has(read) ? passesOn.get(read)! : read);
  // the memory format of the chain's tensor and of each step's output (what a quantized add's loop walks)
  let format: MemoryFormat | null = null;
  const formatAfter = new Map<string, MemoryFormat | null>();
  const notModelled = (m: PyModule, reason: string): void => {
    steps.push({ kind: 'not_modelled', name: m.name, opType: m.type, reason });
  };
  // the dtype of the forward's last quantized tensor (torch's quantized ops give their output their input's dtype)
  let lastDtype: ActivationQparams['dtype'] | null = null;
  // what a step explain does not carry gives the steps after it: the output qparams it stores (a quantized layer, a
  // QFunctional's cat or add, a quantized Hardswish) with the dtype of what it reads (else the forward's last quantized
  // dtype), so that the next layer is analysed on generated data of them; unknown when it stores none
  const storedOutput = (m: PyModule, read?: ChainState): ChainState => {
    if (m.scale === undefined || m.zero_point === undefined) return { kind: 'lost' };
    const readsQuantized = (m.reads_all ?? []).map((r) => (r == null ? undefined : stateAfter.get(r))).find((s) => s?.kind === 'quantized');
    const dtype = read?.kind === 'quantized' ? read.q.dtype : readsQuantized?.kind === 'quantized' ? readsQuantized.q.dtype : lastDtype;
    return dtype ? { kind: 'quantized', q: { scale: m.scale, zeroPoint: m.zero_point, dtype } } : { kind: 'lost' };
  };
  // a layer's output qparams: its y, or the module's stored scale and zero point when the layer is not modelled
  const layerOutput = (step: ConvLayer | ModelStep, m: PyModule, x: ActivationQparams): ActivationQparams => (step.kind === 'conv2d' ? step.y : { scale: m.scale!, zeroPoint: m.zero_point!, dtype: x.dtype });
  const take = (m: PyModule): void => {
    const flatten = flattenBefore(py, m.name);
    if (flatten) steps.push(flatten);
    const addMethod = addMethodOf(m);
    // the tensors an add or a cat reads (never another branch's step: it reads them all), as the chain knows them
    const operands = (): AddOperandState[] =>
      (m.reads_all ?? []).map((r) => {
        const read = r == null ? undefined : stateAfter.get(r);
        const from = r == null ? null : source(r);
        return { read: from === inputStub ? null : (from ?? 'a tensor no step gave'), q: read?.kind === 'quantized' ? read.q : null, format: r == null ? null : (formatAfter.get(r) ?? null) };
      });
    if (isCatCall(m) && m.scale !== undefined && m.zero_point !== undefined) {
      // the branches meeting: run on the integers of the tensors it reads where explain knows what torch computes
      const inputs = operands();
      const step = torchCatStep(m.name, inputs, m.int_args?.[0], { scale: m.scale, zeroPoint: m.zero_point }, { capability: py.aten_capability });
      if ('notModelled' in step) notModelled(m, `QFunctional.cat: ${step.notModelled}`);
      else steps.push(step);
      state = storedOutput(m);
      return;
    }
    if (addMethod && m.scale !== undefined && m.zero_point !== undefined) {
      // a residual add (which reads two tensors: never another branch's step): run on the integers of the tensors it
      // reads where explain knows what torch computes
      const addOperands = operands();
      const opType = m.type === 'QFunctional' ? `${m.type}.${addMethod}` : m.type;
      const step = torchAddStep(m.name, opType, addMethod, addOperands, { scale: m.scale, zeroPoint: m.zero_point }, { engine, capability: py.aten_capability, threads: py.num_threads });
      if ('notModelled' in step) notModelled(m, `${opType}: ${step.notModelled}`);
      else steps.push(step);
      const dtype = addOperands.find((o) => o.q)?.q?.dtype;
      // its output has the qparams it stores (the next layer is analysed on generated data of them when it did not run)
      state = dtype ? { kind: 'quantized', q: { scale: m.scale, zeroPoint: m.zero_point, dtype } } : { kind: 'lost' };
      return;
    }
    const mulMethod = mulMethodOf(m);
    if (mulMethod && m.scale !== undefined && m.zero_point !== undefined) {
      // a product of two tensors (MobileNetV3's gate times the block's tensor): run on the integers of the tensors it reads
      const mulOperands = operands();
      const opType = m.type === 'QFunctional' ? `${m.type}.${mulMethod}` : m.type;
      const step = torchMulStep(m.name, opType, mulMethod, mulOperands, { scale: m.scale, zeroPoint: m.zero_point }, { capability: py.aten_capability, threads: py.num_threads });
      if ('notModelled' in step) notModelled(m, `${opType}: ${step.notModelled}`);
      else steps.push(step);
      const dtype = mulOperands.find((o) => o.q)?.q?.dtype;
      state = dtype ? { kind: 'quantized', q: { scale: m.scale, zeroPoint: m.zero_point, dtype } } : { kind: 'lost' };
      return;
    }
    // a chunk part or a channel shuffle on a quantized tensor: whole channels moved, qparams kept
    const gather = (q: ActivationQparams, otherBranch?: ChannelGatherStep['otherBranch']): void => {
      const g = channelGatherOf(m);
      if ('notModelled' in g) notModelled(m, g.notModelled);
      else steps.push({ kind: 'channel_gather', name: m.name, opType: m.type, gather: g, x: q, ...(otherBranch ? { otherBranch } : {}) });
    };
    if (m.branch) {
      // the chain holds the step before's output: reading it as this step's input would analyse the wrong tensor. A
      // layer gets the qparams of the tensor it reads, and reads that tensor (explain_run.ts); anything else stops the chain
      const read = m.reads_from != null ? stateAfter.get(m.reads_from) : undefined;
      const whose = m.reads_from === FORWARD_INPUT ? "the forward's input" : m.reads_from === inputStub ? `the model's quantized input (${inputStub}'s output)` : `the output of ${m.reads_from}`;
      if ((m.kind === 'chunk' || m.kind === 'channel_shuffle') && read?.kind === 'quantized') {
        // a ShuffleNetV2 block's second chunk: a part of the tensor the first one read
        const from = source(m.reads_from!);
        gather(read.q, { readsOutputOf: from === inputStub ? null : from, because: `reads ${whose}, not the output of the step before it: another branch of the forward` });
        state = read;
        return;
      }
      if ((m.kind === 'maxpool2d' || m.kind === 'avg_pool2d') && read?.kind === 'quantized') {
        // a pool branch (GoogLeNet's Inception branch4, Inception v3's branch_pool): pools the tensor it reads, whose
        // qparams it keeps
        const from = source(m.reads_from!);
        const otherBranch = { readsOutputOf: from === inputStub ? null : from, because: `reads ${whose}, not the output of the step before it: another branch of the forward` };
        const unknown = poolWindowUnknown(m);
        const step = unknown ? { notModelled: unknown } : m.kind === 'maxpool2d' ? torchMaxPool(m, read.q.dtype, engine) : torchAvgPool(m, read.q, formatAfter.get(m.reads_from!) ?? null, py.aten_capability, engine);
        if ('notModelled' in step) notModelled(m, step.notModelled);
        else steps.push({ ...step, otherBranch });
        state = read;
        return;
      }
      if ((m.kind === 'conv2d' || m.kind === 'linear') && read?.kind === 'quantized') {
        const step = quantizedLayer(path, m, read.q, py, engine);
        const from = source(m.reads_from!);
        const otherBranch = { readsOutputOf: from === inputStub ? null : from, because: `reads ${whose}, not the output of the step before it: another branch of the forward` };
        steps.push(step.kind === 'conv2d' ? { ...step, otherBranch } : step);
        state = { kind: 'quantized', q: layerOutput(step, m, read.q) };
        return;
      }
      const what = m.reads_from == null ? 'a tensor no step before it gave' : whose;
      notModelled(m, `it reads ${what}, not the output of the step before it (another branch of the forward, e.g. a residual block's downsample); explain follows one chain of tensors, and of another branch only a layer that reads a quantized tensor`);
      // its output's qparams: those it stores, or (a pool, a ReLU) those of the quantized tensor it reads
      state = m.scale !== undefined ? storedOutput(m, read) : read?.kind === 'quantized' && keepsQparams(m) ? read : { kind: 'lost' };
      return;
    }
    if (m.kind === 'quantize') {
      const q: ActivationQparams = { scale: m.scale!, zeroPoint: m.zero_point!, dtype: assertQuantDtype('Quantize dtype', m.dtype) };
      const layersBefore = steps.some((s) => s.kind === 'conv2d');
      if (input === null && !layersBefore && (state.kind !== 'float' || state.from === 'input')) {
        input = q;
        inputStub = m.name;
      } else if (state.kind === 'float' && state.from !== 'input') {
        const observer = observerState(py.observers?.[m.name]?.activation);
        steps.push({ kind: 'stub_requantize', name: m.name, x: state.from, y: q, ...(observer ? { observer } : {}) });
      } else if (state.kind === 'quantized') {
        notModelled(m, 'it quantizes a tensor that is quantized already (no DeQuantize before it), which explain does not model');
      }
      state = { kind: 'quantized', q };
    } else if (m.type === 'DeQuantize' || m.kind === 'dequantize') {
      if (state.kind === 'quantized') state = { kind: 'float', from: state.q };
    } else if (m.kind === 'relu' || m.type === 'ReLU') {
      if (state.kind === 'quantized') steps.push({ kind: 'relu', name: m.name, x: state.q });
      else notModelled(m, state.kind === 'float' ? 'a ReLU on floats (the model\'s input, or after a DeQuantize) is not modelled' : 'a ReLU on a tensor of unknown scale and zero point is not modelled');
      if (state.kind !== 'quantized') state = { kind: 'lost' };
    } else if (m.kind === 'hardswish' || m.kind === 'hardsigmoid') {
      // torch's Hardswish (its stored output qparams) or Hardsigmoid (fixed ones) on the chain's quantized tensor
      if (state.kind !== 'quantized') {
        notModelled(m, `${m.type} on ${state.kind === 'float' ? 'floats (before the QuantStub, or after a DeQuantize)' : 'a tensor of unknown scale and zero point'} is not modelled`);
        state = { kind: 'lost' };
        return;
      }
      const stored = m.scale !== undefined && m.zero_point !== undefined ? { scale: m.scale, zeroPoint: m.zero_point } : null;
      const step = torchHardActivationStep({ name: m.name, opType: m.type, fn: m.kind, stored }, state.q, format, { engine, capability: py.aten_capability, threads: py.num_threads });
      if ('notModelled' in step) {
        notModelled(m, step.notModelled);
        // its output has the qparams it stores (hardswish) or its fixed ones (hardsigmoid): the next layer is analysed on generated data of them
        const dtype = state.q.dtype;
        state = m.kind === 'hardswish' ? storedOutput(m, state) : dtype === 'quint8' || dtype === 'qint8' ? { kind: 'quantized', q: { ...hardsigmoidOutputQparams(dtype), dtype } } : { kind: 'lost' };
      } else {
        steps.push(step);
        state = { kind: 'quantized', q: step.y };
      }
    } else if (m.kind === 'mean') {
      // Tensor.mean over H and W on the chain's quantized tensor, qparams kept (where it is not modelled the state keeps
      // them too: the next layer is analysed on generated data of them)
      if (state.kind !== 'quantized') {
        notModelled(m, `${m.type} on ${state.kind === 'float' ? 'floats (before the QuantStub, or after a DeQuantize)' : 'a tensor of unknown scale and zero point'} is not modelled`);
        state = { kind: 'lost' };
        return;
      }
      const step = torchMeanStep(m, state.q, format, py, engine);
      if ('notModelled' in step) notModelled(m, `${step.notModelled}; on a quantized tensor torch gives its output the input's qparams, so the next layer is analysed on generated data of them`);
      else steps.push(step);
    } else if (m.kind === 'chunk' || m.kind === 'channel_shuffle') {
      if (state.kind === 'quantized') gather(state.q);
      else {
        notModelled(m, `${m.type} on ${state.kind === 'float' ? 'floats (before the QuantStub, or after a DeQuantize)' : 'a tensor of unknown scale and zero point'} is not modelled`);
        state = { kind: 'lost' };
      }
    } else if (m.kind === 'unchanged') {
      // named in a note, but for an nn.Identity (what fuse_modules leaves in a fused ReLU's place)
      if (m.type !== 'Identity') unchanged.push(m.name);
    } else if (m.kind === 'flatten' || m.kind === 'reshape') {
      // the same values under another shape: carried on the integers, or on the floats before a Quantize stub (which
      // quantizes element by element); one explain cannot resolve stops the chain
      const step = m.kind === 'flatten' ? flattenStep(m.name, m.start_dim, m.end_dim) : reshapeStep(m);
      steps.push(step);
      if (step.kind === 'not_modelled') state = { kind: 'lost' };
    } else if (m.kind === 'op') {
      // a quantized op whose output qparams the forward fixes (tensor_op_args.py OUTPUT_QPARAM_OPS: quantized::add, ...):
      // its output has them and its input's dtype, so the next layer is analysed on generated data of them
      const stored = storedOutput(m, state);
      const out = stored.kind === 'quantized' ? stored.q : state.kind === 'quantized' && QPARAM_KEEPING_OPS.has(m.type) ? state.q : null;
      const outReason = !out ? '' : m.scale !== undefined ? `; its output's qparams are its arguments (scale ${m.scale}, zero point ${m.zero_point})` : "; on a quantized tensor torch gives its output the input's qparams, so the next layer is analysed on generated data of them";
      const opReason = `${m.type} (a tensor op of the forward, no module) is not modelled${outReason}`;
      notModelled(m, m.training === undefined ? opReason : droppedOutReason(m.type, m.training));
      state = out ? { kind: 'quantized', q: out } : { kind: 'lost' };
    } else if (m.kind === 'conv2d' || m.kind === 'linear') {
      // after a step that lost the chain (an if or a loop: both branches are listed), a layer that reads a quantized
      // step's output has that step's output qparams: it runs on generated data of them
      const read = state.kind === 'lost' && m.reads_from != null ? stateAfter.get(m.reads_from) : undefined;
      if (read?.kind === 'quantized') state = read;
      if (state.kind !== 'quantized') {
        steps.push({ kind: 'not_modelled', name: m.name, opType: `Quantized${m.type}`, reason: 'no Quantize stub or quantized layer before it: its input qparams are unknown' });
        state = storedOutput(m);
        return;
      }
      const step = quantizedLayer(path, m, state.q, py, engine);
      steps.push(step);
      state = { kind: 'quantized', q: layerOutput(step, m, state.q) };
    } else if (m.kind === 'adaptive_avg_pool2d') {
      // torch's kernel follows from the memory format of the tensor pooled (adaptive_avg_pool_step.ts); qparams kept
      const size = m.output_size;
      if (state.kind !== 'quantized') {
        notModelled(m, `${m.type} on ${state.kind === 'float' ? 'floats (before the QuantStub, or after a DeQuantize)' : 'a tensor of unknown scale and zero point'} is not modelled`);
        state = { kind: 'lost' };
      } else if (!size || size.length !== 2) {
        notModelled(m, `${m.type} with an output_size the forward computes is not modelled; on a quantized tensor torch gives its output the input's qparams, so the next layer is analysed on generated data of them`);
      } else if (format === null) {
        notModelled(m, `the memory format of the tensor it pools is unknown, and it picks torch's kernel (NHWC or NCHW), which round differently; its output keeps the input's qparams, so the next layer is analysed on generated data of them`);
      } else {
        steps.push({ kind: 'adaptive_avg_pool2d', name: m.name, opType: m.type, x: state.q, outputSize: [size[0] ?? null, size[1] ?? null], memoryFormat: format, torchEngine: engine });
      }
    } else if (m.kind === 'maxpool2d' && state.kind === 'float') {
      // torch's float max pool (before the QuantStub, or after a DeQuantize), not the quantized one torch_max_pool.ts models
      notModelled(m, 'a max pool on floats (before the QuantStub, or after a DeQuantize) is not modelled');
      state = { kind: 'lost' };
    } else if (m.kind === 'maxpool2d' && poolWindowUnknown(m)) {
      notModelled(m, poolWindowUnknown(m)!);
      state = { kind: 'lost' };
    } else if (m.kind === 'maxpool2d') {
      steps.push(torchMaxPool(m, state.kind === 'quantized' ? state.q.dtype : undefined, engine));
    } else if (m.kind === 'avg_pool2d') {
      // torch's quantized avg_pool2d keeps the input's qparams
      const step = state.kind === 'quantized' ? torchAvgPool(m, state.q, format, py.aten_capability, engine) : { notModelled: `${m.type} on ${state.kind === 'float' ? 'floats (before the QuantStub, or after a DeQuantize)' : 'a tensor of unknown scale and zero point'} is not modelled` };
      if ('notModelled' in step) notModelled(m, step.notModelled);
      else steps.push(step);
      if (state.kind !== 'quantized') state = { kind: 'lost' };
    } else if (QPARAM_KEEPING_MODULES.has(m.type) && state.kind === 'quantized') {
      notModelled(m, `${m.type} is not modelled; on a quantized tensor torch gives its output the input's qparams, so the next layer is analysed on generated data of them`);
    } else if (m.training) {
      notModelled(m, `a float nn.${m.type} saved in training mode is not modelled: it zeroes elements at random (on a quantized tensor torch 1.13 fails); save the model after .eval()`);
      state = { kind: 'lost' };
    } else {
      notModelled(m, `${m.type} is not modelled`);
      // what comes out of it has the qparams it stores (a QFunctional's cat, a quantized Hardswish), else unknown ones: never the last layer's
      state = storedOutput(m, state);
    }
  };
  for (const m of py.modules) {
    take(m);
    stateAfter.set(m.name, state);
    if (state.kind === 'quantized') lastDtype = state.q.dtype;
    const firstRead = addMethodOf(m) || mulMethodOf(m) || m.type === 'QFunctional' ? m.reads_all?.[0] : m.reads_from;
    format = outputMemoryFormat(m, firstRead != null ? (formatAfter.get(firstRead) ?? null) : format);
    formatAfter.set(m.name, format);
    if (m.kind === 'unchanged' && m.reads_from != null) passesOn.set(m.name, source(m.reads_from));
  }
  return { input, steps, unchanged };
}

/**
 * Float modules that run on a quantized tensor in a converted model and give their output the input's scale and zero
 * point (torch 1.13's quantized avg_pool2d kernels, aten/src/ATen/native/quantized/cpu/AveragePool2d.cpp, allocate the
 * output with the input's q_scale and q_zero_point; measured on qnnpack and onednn by hand, and on qnnpack in
 * tests/explain/torch_fx_models.test.ts: AvgPool2d with kernel 3, stride 2, padding 1). Their values are not modelled:
 * the next layer is analysed on generated data of those qparams. (AdaptiveAvgPool2d and F.adaptive_avg_pool2d are
 * modelled: adaptive_avg_pool_step.ts.)
 */
const QPARAM_KEEPING_MODULES = new Set(['AvgPool2d']);

/** The same pool called as a function in the forward, the kernel above, and Tensor.mean (ShuffleNetV2's x.mean([2, 3]); measured on qnnpack and onednn: the input's scale and zero point). */
const QPARAM_KEEPING_OPS = new Set(['aten::avg_pool2d', 'torch.nn.functional.avg_pool2d', 'aten::mean']);

/** Whether a step gives its output its input's qparams in torch (pools, ReLU, reshapes, what gives its input as it is). */
function keepsQparams(m: PyModule): boolean {
  const kinds: readonly PyModule['kind'][] = ['maxpool2d', 'adaptive_avg_pool2d', 'relu', 'unchanged', 'flatten', 'reshape', 'chunk', 'channel_shuffle'];
  return kinds.includes(m.kind) || m.type === 'ReLU' || QPARAM_KEEPING_MODULES.has(m.type) || QPARAM_KEEPING_OPS.has(m.type);
}

/** Why a dropout of the forward (explain_ops.py DROPOUT_OPS) that is not known to be off is not modelled. */
function droppedOutReason(op: string, training: boolean | null): string {
  const what = training === null ? `${op} whose training flag the forward computes may zero` : `${op} with training=True zeroes`;
  return `${what} elements at random: not modelled (with training=False, or self.training in eval mode, it gives its input as it is)`;
}

/**
 * Reads a TorchScript model through torch, on `cpu` (the host, or an emulated CPU under QEMU, whose flags pick the
 * onednn kernels: torch_engine.ts); every problem is a ModelReadError with torch's one-line reason.
 */
export function readTorchModel(path: string, observers?: string, engine?: string, cpu: CpuModel = HOST_CPU): ExplainModel {
  checkRegularFile(path, 'model', MAX_MODEL_BYTES);
  if (observers !== undefined) checkRegularFile(observers, 'observer file', MAX_MODEL_BYTES);
  if (!existsSync(TORCH_PYTHON)) throw new ModelReadError(path, `reading a TorchScript model needs torch 1.13 at ${TORCH_PYTHON} (apt-get install -y python3-torch)`);
  const args = [EXPLAIN_OPS_PY, path, ...(observers ? ['--observers', observers] : []), ...(engine !== undefined ? ['--engine', engine] : [])];
  const run = wrapCommand(cpu, TORCH_PYTHON, args);
  // importing torch under QEMU takes half a minute or more
  const r = spawnSync(run.command, run.args, { encoding: 'utf8', maxBuffer: 256 * 1024 * 1024, timeout: cpu.qemu ? 600_000 : 120_000 });
  if (r.error) throw new ModelReadError(path, `could not run ${run.command}${cpu.qemu ? ` (${TORCH_PYTHON} under QEMU)` : ''}: ${r.error.message}`);
  if (r.status !== 0) throw new ModelReadError(path, (r.stderr.trim().split('\n').pop() ?? `explain_ops.py exited ${r.status}`).replace(/^error: /, ''));
  let py: PyModel;
  try {
    py = JSON.parse(r.stdout) as PyModel;
  } catch {
    throw new ModelReadError(path, 'the torch adapter printed no JSON');
  }
  const problem = torchEngineProblem(py.engine, py.cpu_flags);
  if (problem) throw new ModelReadError(path, problem);
  const loadedUnder = py.engine as ExplainTorchEngine;
  const { input, steps, unchanged } = torchSteps(path, py, loadedUnder);
  const engineScheme = torchLayerScheme(loadedUnder, { dtype: 'quint8', perChannel: false, weightZeroPoints: [0], linear: false, relu: false }) as { scheme: ExplainModel['nativeScheme'] };
  const layerSchemes = [...new Set(steps.flatMap((s) => (s.kind === 'conv2d' && s.scheme ? [s.scheme] : [])))];
  const isa = onednnNonVnniIsa(loadedUnder, py.cpu_flags);
  return {
    path,
    format: 'torchscript',
    // the engine's scheme for quint8 layers, unless every layer runs another (qint8 layers on qnnpack run XNNPACK's)
    nativeScheme: layerSchemes.length === 1 ? layerSchemes[0]! : engineScheme.scheme,
    input,
    ...(input ? {} : { rawInput: { kind: 'unused', reason: 'the forward has no Quantize stub (QuantStub) before its first layer: what that layer reads is a quantized tensor of unknown scale and zero point' } as const }),
    inputShape: null,
    steps,
    notes: [
      `torch ${py.torch}; modules in the order the forward calls them (containers followed into; modules it never calls left out)`,
      `quantized engine ${loadedUnder} (${engine !== undefined ? '--engine' : "torch's default here; --engine picks another"}): ${layerSchemes.length ? layerSchemes.join(', ') : engineScheme.scheme} for its layers${layerSchemes.length > 1 ? ' (qint8 layers through XNNPACK)' : ''}`,
      ...(cpu.qemu ? [`torch read the model on an emulated CPU (--cpu ${cpu.name}: ${cpu.qemu.binary} -cpu ${cpu.qemu.cpu}); its CPU flags: ${py.cpu_flags.join(' ')}`] : []),
      ...(isa === 'avx2' || isa === 'sse41' ? [`no VNNI on this CPU: torch's onednn layers run oneDNN's ${isa} kernels, whose sums are each layer's baseline accumulator (a conv's by its geometry: sat16_pairs, sat16_pairs_f32_zp for the 1x1 kernel, int32_wrap for depthwise; a linear's gemm: sat16_pairs)`] : []),
      observers ? `observers from ${observers}` : 'no observers given (--observers): the qconfig quant_min/quant_max are unknown, the dtype range is shown in their place',
      ...(unchanged.length ? [`carried through as they are (values and qparams unchanged in torch 1.13): ${unchanged.join(', ')}`] : []),
    ],
  };
}
