/**
 * Which scheme runs a quantized conv or linear of a TorchScript model in torch 1.13, on the quantized engine the model
 * was loaded under (explain_ops.py --engine, else torch's default: torch.jit.load prepacks each layer for the engine
 * current then, and that packing picks the kernel). Measured with /usr/bin/python3 (Debian torch 1.13.0a0, engines
 * qnnpack and onednn; tests/explain/torch_engines.test.ts runs each case live):
 *   - qnnpack, quint8 activations: QNNPACK's kernels (torch-qnnpack@1);
 *   - qnnpack, qint8 activations: XNNPACK's (aten/src/ATen/native/quantized/cpu/qconv.cpp and qlinear.cpp: can_use_xnnp
 *     sends a kQInt8 input to apply_impl_xnnp), whose requantization on x86 is fp32 (xnnpack-fp32@1). XNNPACK takes
 *     the int8 weights as symmetric (apply_impl_xnnp passes per-channel weight zero points as zeros): torch runs a layer
 *     with non-zero per-channel weight zero points as if they were 0 (not modelled), and fails with an empty
 *     RuntimeError on a non-zero per-tensor one; it refuses a linear with per-channel weights ("quantized::linear
 *     (xnnpack): Unsupported config for dtype KQInt8"). A model torch refuses is refused (readTorchModel);
 *   - onednn, quint8: oneDNN's (torch-onednn@1); qint8 it refuses ("quantized::conv2d (ONEDNN): data type of input
 *     should be QUint8.", "qlinear (ONEDNN): data type of input should be QUint8."). oneDNN's sums are exact
 *     (int32_wrap) with VNNI; on a CPU without it the baseline takes the accumulator the runner's torch-onednn backend
 *     models there (conformance/backends/torch/onednn_accumulator.ts, onednn_paths.ts; vectors/
 *     torch-1.13-onednn-haswell): per conv, by its geometry on the input it gets, oneDNN's AVX2 or SSE4.1 kernel's
 *     int16-saturated pairs (sat16_pairs; the 1x1 kernel sat16_pairs_f32_zp) or exact sums (depthwise, ref); per
 *     linear, the AVX2 gemm's pairs (sat16_pairs) where its K blocks start at even k (contract/onednn_gemm.ts; the
 *     other K, and the SSE4.1 gemm, are not modelled). Checked live under qemu-x86_64-static -cpu Haswell
 *     and -cpu Nehalem (tests/explain/torch_onednn_without_vnni.test.ts). AVX-512 without VNNI (not modelled) is refused.
 */
import { type Accumulator, type RequantScheme, torchConvOutputSize } from '../../contract/conv.js';
import type { QuantDtype } from '../../contract/dtypes.js';
import { onednnGemmPairsAreGlobal } from '../../contract/onednn_gemm.js';
import type { IntTensor } from '../../contract/tensor.js';
import { onednnIsaFromFlags, torchUniformAccumulator } from '../backends/torch/onednn_accumulator.js';
import { onednnAccumulator } from '../backends/torch/onednn_paths.js';
import { BASELINE_ACCUMULATOR } from './layer_analysis.js';
import type { ConvLayer, OnednnNonVnniIsa } from './model_types.js';

/** The engines whose kernels explain models. */
export const EXPLAIN_TORCH_ENGINES = ['qnnpack', 'onednn'] as const;
export type ExplainTorchEngine = (typeof EXPLAIN_TORCH_ENGINES)[number];

/** The oneDNN ISA without VNNI whose kernels run torch's onednn layers on a CPU with these flags; null where they sum exactly (VNNI) or for qnnpack; 'unmodelled' for AVX-512 without VNNI. */
export function onednnNonVnniIsa(engine: ExplainTorchEngine, cpuFlags: readonly string[]): OnednnNonVnniIsa | 'unmodelled' | null {
  if (torchUniformAccumulator(engine, cpuFlags) !== null) return null;
  const isa = onednnIsaFromFlags(cpuFlags);
  return isa === 'avx2' || isa === 'sse41' ? isa : 'unmodelled';
}

/** Why explain cannot give torch's numbers for a model loaded under `engine` on a CPU with these flags, or null. */
export function torchEngineProblem(engine: string, cpuFlags: readonly string[]): string | null {
  if (!(EXPLAIN_TORCH_ENGINES as readonly string[]).includes(engine)) {
    return `torch's quantized engine here is ${engine}, whose kernels explain does not model (it models ${EXPLAIN_TORCH_ENGINES.join(' and ')}: pass --engine)`;
  }
  if (onednnNonVnniIsa(engine as ExplainTorchEngine, cpuFlags) === 'unmodelled') {
    return `torch's onednn engine on this CPU (AVX-512 without avx512_vnni) runs oneDNN kernels whose sums explain does not model: pass --engine qnnpack`;
  }
  return null;
}

/**
 * The accumulator of the baseline for `layer` on input `x`: the sums torch's kernel forms (int32_wrap, unless the
 * layer runs on oneDNN without VNNI: onednn_paths.ts's kernel rule for a conv's geometry on this input, the AVX2
 * gemm's sat16_pairs for a linear).
 */
export function torchBaselineAccumulator(layer: ConvLayer, x: IntTensor): Accumulator {
  if (!layer.onednnIsa) return BASELINE_ACCUMULATOR;
  if (layer.linear) return 'sat16_pairs';
  const [oc = 0, icg = 0, kh = 0, kw = 0] = layer.weightShape;
  const [h = 0, w = 0] = x.shape.slice(2);
  const oh = torchConvOutputSize(h, kh, layer.stride[0], layer.padding[0], layer.dilation[0]);
  const ow = torchConvOutputSize(w, kw, layer.stride[1], layer.padding[1], layer.dilation[1]);
  return onednnAccumulator(layer.onednnIsa, { groups: layer.groups, icg, ocg: oc / layer.groups, kh, kw, h, w, oh, ow, stride: layer.stride, padding: layer.padding });
}

/** What a layer needs to know its kernel: its activation dtype, its weight's zero points, whether it is a linear and has a fused ReLU. */
export interface TorchLayerKind {
  readonly dtype: QuantDtype;
  readonly perChannel: boolean;
  readonly weightZeroPoints: readonly number[];
  readonly linear: boolean;
  readonly relu: boolean;
  /** a linear's in_features (K) */
  readonly inFeatures?: number;
}

/**
 * The scheme torch 1.13 runs the layer with on `engine` on a CPU with these flags (and, for onednn without VNNI, the
 * ISA whose kernels form its sums); or torch's refusal to run it (`refused`, torch's message: the model is refused, as
 * torch refuses it); or why explain does not model what torch does with it (`notModelled`).
 */
export function torchLayerScheme(engine: ExplainTorchEngine, l: TorchLayerKind, cpuFlags: readonly string[] = []): { scheme: RequantScheme; onednnIsa?: OnednnNonVnniIsa } | { refused: string } | { notModelled: string } {
  if (l.dtype === 'quint8' && engine === 'qnnpack') return { scheme: 'torch-qnnpack@1' };
  if (l.dtype === 'quint8') {
    const isa = onednnNonVnniIsa(engine, cpuFlags);
    if (isa === null || isa === 'unmodelled') return { scheme: 'torch-onednn@1' };
    if (l.linear && isa !== 'avx2') return { notModelled: "torch 1.13's onednn linear on a CPU without AVX2 runs oneDNN's SSE4.1 int8 gemm, whose sums are not measured" };
    if (l.linear && !onednnGemmPairsAreGlobal(l.inFeatures ?? 0)) return { notModelled: `oneDNN's AVX2 int8 gemm starts a K block at an odd k for in_features ${l.inFeatures} (contract/onednn_gemm.ts): its int16 pairs are not the ones explain models` };
    return { scheme: 'torch-onednn@1', onednnIsa: isa };
  }
  if (engine === 'onednn') {
    const op = l.linear ? 'qlinear' : `quantized::conv2d${l.relu ? '_relu' : ''}`;
    return { refused: `torch 1.13's onednn engine refuses its qint8 activations ("${op} (ONEDNN): data type of input should be QUint8."); the qnnpack engine runs them through XNNPACK (--engine qnnpack)` };
  }
  if (l.linear && l.perChannel) return { refused: 'torch 1.13 refuses a qint8 linear with per-channel weights ("quantized::linear (xnnpack): Unsupported config for dtype KQInt8")' };
  const zp = l.weightZeroPoints.find((z) => z !== 0);
  if (zp !== undefined && !l.perChannel) return { refused: `torch 1.13 fails to run it (a RuntimeError with an empty message): XNNPACK, which runs qint8 activations, takes the weights as symmetric, and the weight zero point is ${zp}` };
  if (zp !== undefined) return { notModelled: `torch 1.13 runs qint8 activations through XNNPACK, which takes the weights as symmetric: it runs this layer as if its weight zero points (${zp}, ...) were 0, which explain does not model` };
  return { scheme: 'xnnpack-fp32@1' };
}
