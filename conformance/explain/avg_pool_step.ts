/**
 * explain's run of a torch avg_pool2d on a quantized tensor (model_types.ts AvgPoolStep): impl's quantized_avg_pool2d@1
 * in the memory format the tensor has, which picks torch 1.13's kernel (NHWC for a channels_last tensor, a quantized
 * conv's output), and the ATen capability of the torch that read the model. The report names the kernel and counts the
 * outputs the other layout's kernel, and each other capability, would change (under AVX512 the NHWC kernel stores
 * repeated channels: contract/quantize_avx512_store.ts).
 *
 * Not run (the chain stops): a tensor that is not 3-D or 4-D, and what torch refuses (a window that does not fit).
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
  readonly memoryFormat: MemoryFormat;
  readonly cpuCapability: AtenCpuCapability;
  /** it pools another step's output (otherBranch) */
  readonly otherBranch?: string;
  /** no integers reached it (the chain stopped before it) */
  readonly idle?: true;
  /** what ran on the integers (absent when idle) */
  readonly ran?: {
    readonly inputShape: readonly number[];
    readonly outputShape: readonly number[];
    readonly kernel: 'nhwc' | 'nchw';
    /** outputs the other layout's kernel changes (null where torch runs one kernel in either layout: C = 1 or H = W = 1, 3-D) */
    readonly otherLayoutDiffering: number | null;
    /** outputs each other capability changes */
    readonly elsewhere: ReadonlyArray<{ readonly cpuCapability: AtenCpuCapability; readonly differing: number }>;
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
  let y: IntTensor;
  try {
    y = impl.quantizedAvgPool2d(xq, attrs(step.memoryFormat, step.cpuCapability));
  } catch (e) {
    if (!isQconformError(e)) throw e;
    return { notRun: `torch refuses it on the [${xq.shape.join('x')}] tensor this run gave it: ${e.message}` };
  }
  const differing = (other: IntTensor) => other.data.filter((v, i) => v !== y.data[i]).length;
  const kernel = kernelOf(xq.shape, step.memoryFormat);
  const otherFormat: MemoryFormat = step.memoryFormat === 'channels_last' ? 'contiguous' : 'channels_last';
  const otherKernelRuns = xq.shape.length === 4 && kernelOf(xq.shape, otherFormat) !== kernel;
  return {
    xq: y,
    report: {
      kind: 'avg_pool2d',
      name: step.name,
      opType: step.opType,
      memoryFormat: step.memoryFormat,
      cpuCapability: step.cpuCapability,
      ...(step.otherBranch ? { otherBranch: `it ${step.otherBranch.because}` } : {}),
      ran: {
        inputShape: xq.shape,
        outputShape: y.shape,
        kernel,
        otherLayoutDiffering: otherKernelRuns ? differing(impl.quantizedAvgPool2d(xq, attrs(otherFormat, step.cpuCapability))) : null,
        elsewhere: ATEN_CPU_CAPABILITIES.filter((c) => c !== step.cpuCapability).map((c) => ({ cpuCapability: c, differing: differing(impl.quantizedAvgPool2d(xq, attrs(step.memoryFormat, c))) })),
      },
    },
  };
}
