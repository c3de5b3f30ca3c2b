/**
 * A torch model's Hardswish or Hardsigmoid on a quantized tensor (model_types.ts HardActivationStep), as explain reads
 * it (torch_model.ts) and runs it on the chain's integers: impl's quantized_hardswish@1 / quantized_hardsigmoid@1 in the
 * ATen capability, thread count and memory format of the torch that read the model. The report counts the elements each
 * of the kernel's two forms computed and how many outputs another capability (or one thread) would change; beside it
 * the fake-quant simulation's float function, fake-quantized to the output qparams.
 *
 * On the qnnpack engine a quint8 tensor's Hardswish and Hardsigmoid are QNNPACK's lookup tables (qnnpack_hardswish@1,
 * qnnpack_hardsigmoid@1): the report counts the outputs ATen's kernel (the other engines') gives otherwise.
 *
 * Not modelled (the chain stops): ATen's kernel on a tensor of unknown memory format (it decides where the forms fall),
 * an ATen capability qconform does not model.
 */
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability, type MemoryFormat, vectorFormMask } from '../../contract/aten_vectorized_loop.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import { isQconformError } from '../../contract/errors.js';
import { hardsigmoidOutputQparams } from '../../contract/quantized_hard_activations.js';
import { type F32Tensor, type IntTensor, f32Tensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import type { ActivationQparams, HardActivationStep } from './model_types.js';
import { stubFakeQuantized } from './stub_requantize.js';
import { type ElsewhereCount, atenElsewhere, countDiffering } from './aten_elsewhere.js';

export interface HardActivationReport {
  readonly kind: 'hard_activation';
  readonly name: string;
  readonly opType: string;
  readonly fn: 'hardswish' | 'hardsigmoid';
  readonly y: ActivationQparams;
  readonly kernel: 'aten' | 'qnnpack';
  readonly cpuCapability: AtenCpuCapability;
  readonly threads: number;
  readonly memoryFormat: MemoryFormat | null;
  /** no integers reached it (the chain stopped before it) */
  readonly idle?: true;
  /** what ran on the chain's integers (absent when idle) */
  readonly ran?: {
    readonly shape: readonly number[];
    /** elements ATen's vector lambda computed, the rest its scalar lambda (0 for QNNPACK's table) */
    readonly vectorElements: number;
    /**
     * ATen's kernel: outputs that differ from this run's under each other capability, and on one thread (when threads >
     * 1); QNNPACK's table: those ATen's kernel gives otherwise under this capability (where the tensor's format is known)
     */
    readonly elsewhere: readonly ElsewhereCount[];
  };
}

/** The step for torch's Hardswish (`stored`: its output qparams) or Hardsigmoid on a tensor of qparams x, else why not. */
export function torchHardActivationStep(
  m: { readonly name: string; readonly opType: string; readonly fn: 'hardswish' | 'hardsigmoid'; readonly stored: { scale: number; zeroPoint: number } | null },
  x: ActivationQparams,
  format: MemoryFormat | null,
  torch: { engine: string; capability: string | undefined; threads: number | undefined },
): HardActivationStep | { notModelled: string } {
  const capability = ATEN_CPU_CAPABILITIES.find((c) => c === torch.capability);
  if (!capability || torch.threads === undefined) return { notModelled: `the torch that read the model reports ATen capability ${String(torch.capability)}, which decides where the kernel's two forms fall; qconform models ${ATEN_CPU_CAPABILITIES.join(', ')}` };
  if (x.dtype !== 'quint8' && x.dtype !== 'qint8') return { notModelled: `a ${x.dtype} tensor (quint8 and qint8 are modelled)` };
  if (m.fn === 'hardswish' && !m.stored) return { notModelled: 'its output scale and zero point are not known' };
  // on the qnnpack engine a quint8 tensor's activation is QNNPACK's table, whatever its layout
  const kernel = torch.engine === 'qnnpack' && x.dtype === 'quint8' ? 'qnnpack' : 'aten';
  if (kernel === 'aten' && format === null) return { notModelled: `the memory format of the tensor it reads is unknown, and it decides which elements take the kernel's vector form` };
  const y = m.fn === 'hardswish' ? { ...m.stored!, dtype: x.dtype } : { ...hardsigmoidOutputQparams(x.dtype), dtype: x.dtype };
  return { kind: 'hard_activation', name: m.name, opType: m.opType, fn: m.fn, x, y, kernel, cpuCapability: capability, threads: torch.threads, memoryFormat: format };
}

/** What the report says of the step itself. */
function reportOf(step: HardActivationStep): HardActivationReport {
  return { kind: 'hard_activation', name: step.name, opType: step.opType, fn: step.fn, y: step.y, kernel: step.kernel, cpuCapability: step.cpuCapability, threads: step.threads, memoryFormat: step.memoryFormat };
}

/** The report of a step no integers reached. */
export function idleHardActivation(step: HardActivationStep): HardActivationReport {
  return { ...reportOf(step), idle: true };
}

/** The fake-quant model's float function (torch's float hardswish / hardsigmoid, in float32). */
function floatActivation(xf: F32Tensor, fn: 'hardswish' | 'hardsigmoid'): F32Tensor {
  const f = Math.fround;
  return f32Tensor(xf.shape, Float32Array.from(xf.data, (d) => {
    const r = Math.min(Math.max(f(d + 3), 0), 6);
    return fn === 'hardswish' ? f(f(d * r) / 6) : f(r / 6);
  }));
}

/**
 * The activation on the chain's integers (in step.x's qparams), the chain's floats and the report; or why it cannot run
 * on them (QNNPACK refusing the tensor or a scale, as torch does).
 */
export function runHardActivation(step: HardActivationStep, xq: IntTensor, xf: F32Tensor | null): { xq: IntTensor; xf: F32Tensor | null; report: HardActivationReport } | { notRun: string } {
  const aten = (cpuCapability: AtenCpuCapability, threads: number, memoryFormat: MemoryFormat) => {
    const attrs = { xScale: step.x.scale, xZeroPoint: step.x.zeroPoint, cpuCapability, memoryFormat, threads };
    return step.fn === 'hardswish' ? impl.quantizedHardswish(xq, { ...attrs, scale: step.y.scale, zeroPoint: step.y.zeroPoint }) : impl.quantizedHardsigmoid(xq, attrs);
  };
  const qnnpack = () => {
    const attrs = { xScale: step.x.scale, xZeroPoint: step.x.zeroPoint };
    return step.fn === 'hardswish' ? impl.qnnpackHardswish(xq, { ...attrs, scale: step.y.scale, zeroPoint: step.y.zeroPoint }) : impl.qnnpackHardsigmoid(xq, attrs);
  };
  const format = step.memoryFormat;
  let y: IntTensor;
  try {
    y = step.kernel === 'qnnpack' ? qnnpack() : aten(step.cpuCapability, step.threads, format!);
  } catch (e) {
    if (!isQconformError(e) || step.kernel !== 'qnnpack') throw e;
    return { notRun: `on the qnnpack engine torch runs QNNPACK's ${step.fn} table, which refuses it (torch raises as well): ${e.message}` };
  }
  const atenRun = (cpuCapability: AtenCpuCapability, threads: number) => aten(cpuCapability, threads, format!).data;
  const elsewhere =
    step.kernel === 'qnnpack'
      ? format === null
        ? []
        : [{ cpuCapability: step.cpuCapability, threads: step.threads, differing: countDiffering(y.data, atenRun(step.cpuCapability, step.threads)) }]
      : atenElsewhere(y.data, step.cpuCapability, step.threads, atenRun);
  const vectorElements = step.kernel === 'qnnpack' ? 0 : vectorFormMask(xq.shape, format!, step.cpuCapability, step.threads).reduce((s, v) => s + v, 0);
  const { min, max } = DTYPE_RANGE[step.y.dtype];
  return {
    xq: y,
    xf: xf ? stubFakeQuantized(floatActivation(xf, step.fn), step.y, min, max) : null,
    report: { ...reportOf(step), ran: { shape: y.shape, vectorElements, elsewhere } },
  };
}
