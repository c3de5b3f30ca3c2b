/**
 * A torch model's quantized add as explain reads it (torch_model.ts): a QFunctional's add or add_relu, or the
 * quantized::add(_relu) op of an FX model, becomes a QuantizedAddStep when explain knows both operands' qparams and
 * torch runs a modelled add on them: qadd_kernel (fbgemm, onednn, x86 engines; the operands' memory formats known), or
 * on the qnnpack engine QNNPACK's add (quint8) or XNNPACK's xnnp_add (qint8); else why not.
 * The operands' memory formats (what qadd_kernel's loop walks, contract/aten_vectorized_loop.ts): torch_memory_format.ts.
 */
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability, type MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import type { ActivationQparams, QuantizedAddStep } from './model_types.js';
import { qparamsText } from './qdq_steps.js';

/** One tensor an add reads: the step that gave it (null: the model's quantized input), its qparams and memory format when known. */
export interface AddOperandState {
  readonly read: string | null;
  readonly q: ActivationQparams | null;
  readonly format: MemoryFormat | null;
}

/** A module or op of the forward, as the torch adapter describes it. */
export type ForwardStep = { readonly kind: string; readonly type: string; readonly method?: string | null };

/**
 * Which of `methods` a module or op of the forward calls: a QFunctional's method (eager mode), or the quantized:: op of
 * that name convert_fx writes (FX graph mode); null for anything else.
 */
export function quantizedMethodOf<M extends string>(m: ForwardStep, methods: readonly M[]): M | null {
  const name = m.type === 'QFunctional' ? m.method : m.kind === 'op' && m.type.startsWith('quantized::') ? m.type.slice('quantized::'.length) : null;
  return (methods as readonly (string | null | undefined)[]).includes(name) ? (name as M) : null;
}

/** Which add a module or op is: QFunctional.add / add_relu, or the quantized::add(_relu) convert_fx writes for a residual `+`. */
export const addMethodOf = (m: ForwardStep): 'add' | 'add_relu' | null => quantizedMethodOf(m, ['add', 'add_relu'] as const);

export function torchAddStep(
  name: string,
  opType: string,
  method: 'add' | 'add_relu',
  operands: readonly AddOperandState[],
  y: { scale: number; zeroPoint: number },
  torch: { engine: string; capability: string | undefined; threads: number | undefined },
): QuantizedAddStep | { notModelled: string } {
  const capability = ATEN_CPU_CAPABILITIES.find((c) => c === torch.capability);
  if (!capability || torch.threads === undefined) return { notModelled: `the torch that read the model reports ATen capability ${String(torch.capability)}, which decides where qadd_kernel's two forms fall; qconform models ${ATEN_CPU_CAPABILITIES.join(', ')}` };
  if (operands.length !== 2) return { notModelled: `it reads ${operands.length} tensors` };
  const [a, b] = operands as [AddOperandState, AddOperandState];
  for (const [k, o] of [a, b].entries()) {
    if (!o.q) return { notModelled: `operand ${k + 1} (${o.read ?? "the model's input"}) is not a quantized tensor of known scale and zero point` };
  }
  if (a.q!.dtype !== b.q!.dtype) return { notModelled: `its operands are ${a.q!.dtype} and ${b.q!.dtype} (torch: "Add operands should have same data type")` };
  const qnnpack = torch.engine === 'qnnpack';
  const step = {
    kind: 'quantized_add' as const,
    name,
    opType,
    reads: [a.read, b.read] as const,
    x: [a.q!, b.q!] as const,
    y: { scale: y.scale, zeroPoint: y.zeroPoint, dtype: a.q!.dtype },
    relu: method === 'add_relu',
    cpuCapability: capability as AtenCpuCapability,
    threads: torch.threads,
  };
  // QNNPACK's and XNNPACK's adds are elementwise on flat tensors: the operands' layout does not matter to them
  if (qnnpack) return { ...step, kernel: a.q!.dtype === 'quint8' ? 'qnnpack' : 'xnnpack', memoryFormat: a.format && a.format === b.format ? a.format : null };
  if (!a.format || a.format !== b.format) return { notModelled: `its operands' memory formats (${a.format ?? 'unknown'}, ${b.format ?? 'unknown'}) are not one known format: where qadd_kernel's two forms fall is modelled for operands of one format (in ${qparamsText(a.q!)})` };
  return { ...step, kernel: 'qadd_kernel', memoryFormat: a.format };
}
