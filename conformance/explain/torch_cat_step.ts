/**
 * A torch model's quantized concatenation as explain reads it (torch_model.ts): a QFunctional's cat becomes a
 * QuantizedCatStep when explain knows the dim, every input's qparams and memory format (they may differ: a
 * ShuffleNetV2 block concatenates a contiguous chunk and a conv's channels_last output), and the ATen
 * capability of the torch that read the model (it decides which channels take the NHWC kernel's vector form); else why
 * not. quantized::cat is ATen's own kernel on every engine.
 */
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability, type MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import type { QuantizedCatStep } from './model_types.js';
import type { AddOperandState } from './torch_add_step.js';

/** Whether a module or op of the forward is a QFunctional's cat. */
export function isCatCall(m: { readonly type: string; readonly method?: string | null }): boolean {
  return m.type === 'QFunctional' && m.method === 'cat';
}

export function torchCatStep(
  name: string,
  inputs: readonly AddOperandState[],
  dim: number | undefined,
  y: { scale: number; zeroPoint: number },
  torch: { capability: string | undefined },
): QuantizedCatStep | { notModelled: string } {
  const capability = ATEN_CPU_CAPABILITIES.find((c) => c === torch.capability);
  if (!capability) return { notModelled: `the torch that read the model reports ATen capability ${String(torch.capability)}, which decides which channels take qcat_nhwc_kernel's vector form; qconform models ${ATEN_CPU_CAPABILITIES.join(', ')}` };
  if (dim === undefined) return { notModelled: 'its dim is not a constant of the forward' };
  if (inputs.length === 0) return { notModelled: 'explain cannot tell which tensors it reads' };
  for (const [k, o] of inputs.entries()) {
    if (!o.q) return { notModelled: `input ${k + 1} (${o.read ?? "the model's input"}) is not a quantized tensor of known scale and zero point` };
  }
  const dtype = inputs[0]!.q!.dtype;
  if (inputs.some((o) => o.q!.dtype !== dtype)) return { notModelled: `its inputs are of several dtypes (${inputs.map((o) => o.q!.dtype).join(', ')}): torch "All dtypes must be the same."` };
  const formats = inputs.map((o) => o.format);
  if (formats.some((f) => f === null)) return { notModelled: `its inputs' memory formats (${formats.map((f) => f ?? 'unknown').join(', ')}) are not all known, and they decide torch's path` };
  return {
    kind: 'quantized_cat',
    name,
    opType: 'QFunctional.cat',
    reads: inputs.map((o) => o.read),
    x: inputs.map((o) => o.q!),
    y: { scale: y.scale, zeroPoint: y.zeroPoint, dtype },
    dim,
    cpuCapability: capability as AtenCpuCapability,
    inputFormats: formats as MemoryFormat[],
  };
}
