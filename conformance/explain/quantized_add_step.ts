/**
 * explain's run of a torch quantized add (model_types.ts QuantizedAddStep) on the integers this run gave the two
 * tensors it reads: impl's quantized_add@1 in the ATen capability, thread count and memory format of the torch that
 * read the model, or on the qnnpack engine impl's qnnpack_add@1 (QNNPACK's add); beside it the fake-quant simulation's
 * float add, ReLU and fake-quantize to the output qparams. For qadd_kernel the report counts the elements each of its
 * two forms computed, and how many outputs another capability (or one thread) would change: where a model's residual
 * adds part between machines. For QNNPACK's add it counts the outputs qadd_kernel (the other engines' add) would give
 * otherwise, and says when both scale ratios are below 2^-10 (QNNPACK's shift of 32 or more: contract/qnnpack_add.ts).
 */
import { type AtenCpuCapability, type MemoryFormat, vectorFormMask } from '../../contract/aten_vectorized_loop.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import { isQconformError } from '../../contract/errors.js';
import { QNNPACK_ADD, XNNPACK_ADD, checkIntegerAdd } from '../../contract/integer_add_checks.js';
import { type F32Tensor, type IntTensor, f32Tensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import type { ActivationQparams, QuantizedAddStep } from './model_types.js';
import { qparamsText, sameQparams } from './qdq_steps.js';
import { stubFakeQuantized } from './stub_requantize.js';
import { type ElsewhereCount, atenElsewhere, countDiffering } from './aten_elsewhere.js';

/** Integers of a tensor as a run gave them, their floats along the fake-quant chain, their qparams. */
export interface AddOperand {
  readonly xq: IntTensor;
  readonly xf: F32Tensor | null;
  readonly q: ActivationQparams | null;
}

/** What the report of a torch step of two tensors (an add, a mul) says of it. */
export interface TorchBinaryReport {
  readonly name: string;
  /** what each operand is: a step's name, or "the model's input" */
  readonly reads: readonly [string, string];
  readonly relu: boolean;
  readonly y: ActivationQparams;
  readonly shape: readonly number[];
  readonly cpuCapability: AtenCpuCapability;
  readonly threads: number;
}

export interface QuantizedAddReport extends TorchBinaryReport {
  readonly kind: 'quantized_add';
  /** the add torch runs: ATen's qadd_kernel, or on the qnnpack engine QNNPACK's (quint8) or XNNPACK's (qint8) */
  readonly kernel: 'qadd_kernel' | 'qnnpack' | 'xnnpack';
  readonly memoryFormat: MemoryFormat | null;
  /** elements qadd_kernel's vector lambda computed here, the rest its scalar lambda (0 for QNNPACK's add) */
  readonly vectorElements: number;
  /**
   * qadd_kernel: outputs that differ from this run's under each other capability, and on one thread (when threads > 1);
   * QNNPACK's add: those qadd_kernel would give otherwise under this capability (where the operands' format is known)
   */
  readonly elsewhere: readonly ElsewhereCount[];
  /** QNNPACK's add with both scale ratios below 2^-10: its shift is 32 or more, and its outputs x86's garbage */
  readonly wideShift?: true;
}

/** An operand's name in a report: the step that gave it, or the model's input. */
export const operandName = (r: string | null): string => r ?? "the model's input";

/** Why a two-operand step (an add, a mul) cannot run on what this run gave its operands (no integers of one, other qparams), else null. */
export function operandsNotRun(step: { readonly reads: readonly [string | null, string | null]; readonly x: readonly [ActivationQparams, ActivationQparams] }, a: AddOperand | undefined, b: AddOperand | undefined): string | null {
  for (const [k, o] of [a, b].entries()) {
    const read = operandName(step.reads[k]!);
    if (!o) return `this run has no integers of ${read}, operand ${k + 1}`;
    if (o.q && !sameQparams(o.q, step.x[k]!)) return `it reads ${read} in ${qparamsText(step.x[k]!)}, not in the qparams of the integers this run gave it (${qparamsText(o.q)})`;
  }
  return null;
}

/** Why the add cannot run on these operands (operandsNotRun, other shapes, QNNPACK's or XNNPACK's refusal), else null. */
export function addNotRun(step: QuantizedAddStep, a: AddOperand | undefined, b: AddOperand | undefined): string | null {
  const operands = operandsNotRun(step, a, b);
  if (operands) return operands;
  if (a!.xq.shape.join('x') !== b!.xq.shape.join('x')) return `its operands have the shapes [${a!.xq.shape.join(', ')}] and [${b!.xq.shape.join(', ')}] (torch's broadcasting of an add is not modelled)`;
  if (step.kernel !== 'qadd_kernel') {
    const kernel = step.kernel === 'qnnpack' ? QNNPACK_ADD : XNNPACK_ADD;
    try {
      checkIntegerAdd(kernel, a!.xq, b!.xq, addQparamsOf(step));
    } catch (e) {
      if (!isQconformError(e)) throw e;
      return `${kernel.library}'s add refuses it (torch raises as well): ${e.message}`;
    }
  }
  return null;
}

/** The add's qparams as qnnpack_add@1 and xnnpack_add@1 take them. */
function addQparamsOf(step: QuantizedAddStep) {
  return { aScale: step.x[0].scale, aZeroPoint: step.x[0].zeroPoint, bScale: step.x[1].scale, bZeroPoint: step.x[1].zeroPoint, scale: step.y.scale, zeroPoint: step.y.zeroPoint, relu: step.relu };
}

/** QNNPACK's add with both ratios f32(s_a / s), f32(s_b / s) below 2^-10: its shift is 32 or more. */
function qnnpackWideShift(step: QuantizedAddStep): boolean {
  if (step.kernel !== 'qnnpack') return false;
  const s = Math.fround(step.y.scale);
  return step.x.every((x) => Math.fround(Math.fround(x.scale) / s) < 2 ** -10);
}

function floatAdd(a: F32Tensor, b: F32Tensor, relu: boolean): F32Tensor {
  return f32Tensor(a.shape, Float32Array.from(a.data, (v, i) => {
    const c = Math.fround(v + (b.data[i] as number));
    return relu && c < 0 ? 0 : c;
  }));
}

/** The add on the operands' integers (addNotRun gave null), the chain's floats, and the report. */
export function runQuantizedAdd(step: QuantizedAddStep, a: AddOperand, b: AddOperand): { xq: IntTensor; xf: F32Tensor | null; report: QuantizedAddReport } {
  const format = step.memoryFormat;
  const atenAdd = (cpuCapability: AtenCpuCapability, threads: number, memoryFormat: MemoryFormat) => impl.quantizedAdd(a.xq, b.xq, { ...addQparamsOf(step), cpuCapability, memoryFormat, threads });
  // the qnnpack engine's adds: QNNPACK's (quint8) or XNNPACK's (qint8)
  const qnnpack = step.kernel !== 'qadd_kernel';
  if (!qnnpack && format === null) throw new Error(`${step.name}: qadd_kernel needs its operands' memory format (torch_add_step.ts)`);
  const xq = step.kernel === 'qnnpack' ? impl.qnnpackAdd(a.xq, b.xq, addQparamsOf(step)) : step.kernel === 'xnnpack' ? impl.xnnpackAdd(a.xq, b.xq, addQparamsOf(step)) : atenAdd(step.cpuCapability, step.threads, format!);
  const atenRun = (cpuCapability: AtenCpuCapability, threads: number) => atenAdd(cpuCapability, threads, format!).data;
  const elsewhere = qnnpack
    ? format === null
      ? []
      : [{ cpuCapability: step.cpuCapability, threads: step.threads, differing: countDiffering(xq.data, atenRun(step.cpuCapability, step.threads)) }]
    : atenElsewhere(xq.data, step.cpuCapability, step.threads, atenRun);
  const { min, max } = DTYPE_RANGE[step.y.dtype];
  const xf = a.xf && b.xf ? stubFakeQuantized(floatAdd(a.xf, b.xf, step.relu), step.y, min, max) : null;
  const vectorElements = qnnpack ? 0 : vectorFormMask(a.xq.shape, format!, step.cpuCapability, step.threads).reduce((s, v) => s + v, 0);
  return {
    xq,
    xf,
    report: {
      kind: 'quantized_add',
      name: step.name,
      reads: [operandName(step.reads[0]), operandName(step.reads[1])],
      relu: step.relu,
      y: step.y,
      shape: xq.shape,
      kernel: step.kernel,
      cpuCapability: step.cpuCapability,
      threads: step.threads,
      memoryFormat: step.memoryFormat,
      vectorElements,
      elsewhere,
      ...(qnnpackWideShift(step) ? { wideShift: true as const } : {}),
    },
  };
}
