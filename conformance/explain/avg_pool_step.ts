/**
 * explain's run of a torch avg_pool2d on a quantized tensor (model_types.ts AvgPoolStep): impl's quantized_avg_pool2d@1
 * in the memory format the tensor has, which picks torch 1.13's kernel (NHWC for a channels_last tensor, a quantized
 * conv's output), and the ATen capability of the torch that read the model. The report names the kernel and counts the
 * outputs the other layout's kernel, and each other capability, would change (under AVX512 the NHWC kernel stores
 * repeated channels: contract/quantize_avx512_store.ts). On the qnnpack engine (quint8, no ceil_mode) impl's
 * qnnpack_avg_pool2d@1, QNNPACK's average pool, and the report counts the outputs ATen's kernel (the other engines')
 * would change where the tensor's layout is known.
 *
 * Not run (the chain stops): a tensor that is not 3-D or 4-D, and what torch refuses (a window that does not fit; a 3-D
 * tensor or a 1x1 window for QNNPACK's pool).
 * The fake-quant chain is not carried through it (the float pool's rounding is not modelled).
 */
import { ATEN_CPU_CAPABILITIES, type AtenCpuCapability, type MemoryFormat, isChannelsLastContiguous } from '../../contract/aten_vectorized_loop.js';
import { isQconformError } from '../../contract/errors.js';
import type { QuantizedAvgPool2dAttrs } from '../../contract/quantized_avg_pool2d.js';
import type { IntTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import type { AvgPoolStep } from './model_types.js';

export interface AvgPoolReport {
  readonly kind: 'avg_pool2d';
  readonly name: string;
  readonly opType: string;
  /** the pooled tensor's layout; null where unknown (QNNPACK's pool) */
  readonly memoryFormat: MemoryFormat | null;
  readonly cpuCapability: AtenCpuCapability;
  /** it pools another step's output (otherBranch) */
  readonly otherBranch?: string;
  /** no integers reached it (the chain stopped before it) */
  readonly idle?: true;
  /** what ran on the integers (absent when idle) */
  readonly ran?: {
    readonly inputShape: readonly number[];
    readonly outputShape: readonly number[];
    /** torch's NHWC or NCHW kernel, or QNNPACK's average pool (the qnnpack engine) */
    readonly kernel: 'nhwc' | 'nchw' | 'qnnpack';
    /** outputs the other layout's kernel changes (null where torch runs one kernel in either layout: C = 1 or H = W = 1, 3-D; and for QNNPACK's) */
    readonly otherLayoutDiffering: number | null;
    /** outputs each other capability changes (none for QNNPACK's pool) */
    readonly elsewhere: ReadonlyArray<{ readonly cpuCapability: AtenCpuCapability; readonly differing: number }>;
    /** QNNPACK's pool: outputs ATen's kernel (in the tensor's layout, this capability) gives otherwise; null where the layout is unknown */
    readonly atenDiffering?: number | null;
  };
}

/** The report of a pool no integers reached. */
export function idleAvgPool(step: AvgPoolStep): AvgPoolReport {
  return { kind: 'avg_pool2d', name: step.name, opType: step.opType, memoryFormat: step.memoryFormat, cpuCapability: step.cpuCapability, idle: true };
}

const kernelOf = (shape: readonly number[], format: MemoryFormat) => (isChannelsLastContiguous(shape, format) ? 'nhwc' : 'nchw');

/** The pool on these integers and its report, or why it does not run (torch refuses it, or the rank is not 3 or 4). */
export function runAvgPool(step: AvgPoolStep, xq: IntTensor): { xq: IntTensor; report: AvgPoolReport } | { notRun: string } {
  if (xq.shape.length !== 3 && xq.shape.length !== 4) return { notRun: `it pools a ${xq.shape.length}-d tensor ([${xq.shape.join(', ')}]); torch's avg_pool2d takes 3-D or 4-D` };
  const attrs = (memoryFormat: MemoryFormat, cpuCapability: AtenCpuCapability): QuantizedAvgPool2dAttrs => ({
    scale: step.x.scale,
    zeroPoint: step.x.zeroPoint,
    kernelSize: step.kernel,
    stride: step.stride,
    padding: step.padding,
    ceilMode: step.ceilMode,
    countIncludePad: step.countIncludePad,
    divisorOverride: step.divisorOverride,
    memoryFormat,
    cpuCapability,
  });
  const format = step.memoryFormat;
  if (!step.qnnpack && format === null) throw new Error(`${step.name}: ATen's pool needs the tensor's memory format (torch_model.ts)`);
  let y: IntTensor;
  try {
    y = step.qnnpack ? impl.qnnpackAvgPool2d(xq, attrs('contiguous', step.cpuCapability)) : impl.quantizedAvgPool2d(xq, attrs(format!, step.cpuCapability));
  } catch (e) {
    if (!isQconformError(e)) throw e;
    return { notRun: `torch refuses it on the [${xq.shape.join('x')}] tensor this run gave it${step.qnnpack ? " (QNNPACK's average pool, the qnnpack engine)" : ''}: ${e.message}` };
  }
  const differing = (other: IntTensor) => other.data.filter((v, i) => v !== y.data[i]).length;
  const report = { kind: 'avg_pool2d' as const, name: step.name, opType: step.opType, memoryFormat: format, cpuCapability: step.cpuCapability, ...(step.otherBranch ? { otherBranch: `it ${step.otherBranch.because}` } : {}) };
  if (step.qnnpack) {
    const atenDiffering = format === null ? null : differing(impl.quantizedAvgPool2d(xq, attrs(format, step.cpuCapability)));
    return { xq: y, report: { ...report, ran: { inputShape: xq.shape, outputShape: y.shape, kernel: 'qnnpack', otherLayoutDiffering: null, elsewhere: [], atenDiffering } } };
  }
  const kernel = kernelOf(xq.shape, format!);
  const otherFormat: MemoryFormat = format === 'channels_last' ? 'contiguous' : 'channels_last';
  const otherKernelRuns = xq.shape.length === 4 && kernelOf(xq.shape, otherFormat) !== kernel;
  return {
    xq: y,
    report: {
      ...report,
      ran: {
        inputShape: xq.shape,
        outputShape: y.shape,
        kernel,
        otherLayoutDiffering: otherKernelRuns ? differing(impl.quantizedAvgPool2d(xq, attrs(otherFormat, step.cpuCapability))) : null,
        elsewhere: ATEN_CPU_CAPABILITIES.filter((c) => c !== step.cpuCapability).map((c) => ({ cpuCapability: c, differing: differing(impl.quantizedAvgPool2d(xq, attrs(format!, c))) })),
      },
    },
  };
}
