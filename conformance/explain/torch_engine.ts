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
 *     should be QUint8.", "qlinear (ONEDNN): data type of input should be QUint8."). oneDNN's accumulator is exact
 *     (int32_wrap, explain's baseline) with VNNI only: on a CPU without it (conformance/backends/torch/
 *     onednn_accumulator.ts torchUniformAccumulator) some convs saturate int16 pairs, which explain's baseline does not
 *     follow, so the model is refused there.
 */
import type { RequantScheme } from '../../contract/conv.js';
import type { QuantDtype } from '../../contract/dtypes.js';
import { torchUniformAccumulator } from '../backends/torch/onednn_accumulator.js';

/** The engines whose kernels explain models. */
export const EXPLAIN_TORCH_ENGINES = ['qnnpack', 'onednn'] as const;
export type ExplainTorchEngine = (typeof EXPLAIN_TORCH_ENGINES)[number];

/** Why explain cannot give torch's numbers for a model loaded under `engine` on a CPU with these flags, or null. */
export function torchEngineProblem(engine: string, cpuFlags: readonly string[]): string | null {
  if (!(EXPLAIN_TORCH_ENGINES as readonly string[]).includes(engine)) {
    return `torch's quantized engine here is ${engine}, whose kernels explain does not model (it models ${EXPLAIN_TORCH_ENGINES.join(' and ')}: pass --engine)`;
  }
  if (torchUniformAccumulator(engine as ExplainTorchEngine, cpuFlags) === null) {
    return `torch's onednn engine on this CPU (no avx512_vnni or avx_vnni) runs some convs with int16-saturating pair sums (sat16_pairs), which explain's baseline (int32_wrap) does not follow: pass --engine qnnpack`;
  }
  return null;
}

/** What a layer needs to know its kernel: its activation dtype, its weight's zero points, whether it is a linear and has a fused ReLU. */
export interface TorchLayerKind {
  readonly dtype: QuantDtype;
  readonly perChannel: boolean;
  readonly weightZeroPoints: readonly number[];
  readonly linear: boolean;
  readonly relu: boolean;
}

/**
 * The scheme torch 1.13 runs the layer with on `engine`; or torch's refusal to run it (`refused`, torch's message: the
 * model is refused, as torch refuses it); or why explain does not model what torch does with it (`notModelled`).
 */
export function torchLayerScheme(engine: ExplainTorchEngine, l: TorchLayerKind): { scheme: RequantScheme } | { refused: string } | { notModelled: string } {
  if (l.dtype === 'quint8') return { scheme: engine === 'qnnpack' ? 'torch-qnnpack@1' : 'torch-onednn@1' };
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
