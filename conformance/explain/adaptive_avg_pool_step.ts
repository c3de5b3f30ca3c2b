/**
 * explain's run of a torch adaptive average pool on the chain's quantized tensor (model_types.ts AdaptiveAvgPoolStep):
 * impl's quantized_adaptive_avg_pool2d@1 in the memory format the tensor has, which picks torch 1.13's kernel (NHWC for
 * a channels_last tensor, a quantized conv's output; NCHW for a contiguous one). The report names the kernel and counts
 * the outputs the other layout's kernel would change: where the same model's pool parts between a channels_last and a
 * contiguous tensor (torch 2.x, another runtime, a model that calls .contiguous() first).
 *
 * Not run (the chain stops): on the qnnpack engine, a quint8 pool whose output size differs from the input's and divides
 * it (adaptive_avg_pool2d_quantized_cpu then runs QNNPACK's average pool, not modelled); a tensor that is not 3-D or 4-D.
 * The fake-quant chain is not carried through it (the float pool's rounding is not modelled).
 */
import { type AdaptivePoolKernel, adaptivePoolKernel } from '../../contract/quantized_adaptive_avg_pool2d_checks.js';
import type { MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import type { IntTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import type { AdaptiveAvgPoolStep } from './model_types.js';

export interface AdaptiveAvgPoolReport {
  readonly kind: 'adaptive_avg_pool2d';
  readonly name: string;
  readonly opType: string;
  readonly memoryFormat: MemoryFormat;
  /** no integers reached it (the chain stopped before it) */
  readonly idle?: true;
  /** what ran on the chain's integers (absent when idle) */
  readonly ran?: {
    readonly inputShape: readonly number[];
    readonly outputShape: readonly number[];
    readonly kernel: AdaptivePoolKernel;
    /** outputs the other layout's kernel changes (null where torch runs one kernel in either layout: C = 1 or H = W = 1, 3-D) */
    readonly otherLayoutDiffering: number | null;
  };
}

/** The report of a pool no integers reached. */
export function idleAdaptiveAvgPool(step: AdaptiveAvgPoolStep): AdaptiveAvgPoolReport {
  return { kind: 'adaptive_avg_pool2d', name: step.name, opType: step.opType, memoryFormat: step.memoryFormat, idle: true };
}

/** The output size the step asks of an input of this shape (a null entry keeps the input's). */
function outputSizeFor(step: AdaptiveAvgPoolStep, shape: readonly number[]): [number, number] {
  return [step.outputSize[0] ?? shape.at(-2)!, step.outputSize[1] ?? shape.at(-1)!];
}

/** Why the pool cannot run on the chain's integers (QNNPACK's pool, a tensor of another rank), else null. */
export function adaptivePoolNotRun(step: AdaptiveAvgPoolStep, xq: IntTensor): string | null {
  if (xq.shape.length !== 3 && xq.shape.length !== 4) return `it pools a ${xq.shape.length}-d tensor ([${xq.shape.join(', ')}]); torch's adaptive_avg_pool2d takes 3-D or 4-D`;
  const [oh, ow] = outputSizeFor(step, xq.shape);
  const [h, w] = xq.shape.slice(-2) as [number, number];
  if (step.torchEngine === 'qnnpack' && xq.dtype === 'quint8' && !(h === oh && w === ow) && h % oh === 0 && w % ow === 0) {
    return `on the qnnpack engine torch pools this quint8 tensor ([${xq.shape.join(', ')}] to (${oh}, ${ow}), windows that divide it) with QNNPACK's average pool, which is not modelled (quantized_adaptive_avg_pool2d@1 is ATen's own kernels)`;
  }
  return null;
}

/** The pool on the chain's integers (adaptivePoolNotRun gave null) and its report. */
export function runAdaptiveAvgPool(step: AdaptiveAvgPoolStep, xq: IntTensor): { xq: IntTensor; report: AdaptiveAvgPoolReport } {
  const attrs = (memoryFormat: MemoryFormat) => ({ scale: step.x.scale, zeroPoint: step.x.zeroPoint, outputSize: outputSizeFor(step, xq.shape), memoryFormat });
  const y = impl.quantizedAdaptiveAvgPool2d(xq, attrs(step.memoryFormat));
  const kernel = adaptivePoolKernel(xq.shape, step.memoryFormat);
  const other: MemoryFormat = step.memoryFormat === 'channels_last' ? 'contiguous' : 'channels_last';
  const otherKernelRuns = adaptivePoolKernel(xq.shape, other) !== kernel;
  const otherLayoutDiffering = otherKernelRuns ? impl.quantizedAdaptiveAvgPool2d(xq, attrs(other)).data.filter((v, i) => v !== y.data[i]).length : null;
  return {
    xq: y,
    report: { kind: 'adaptive_avg_pool2d', name: step.name, opType: step.opType, memoryFormat: step.memoryFormat, ran: { inputShape: xq.shape, outputShape: y.shape, kernel, otherLayoutDiffering } },
  };
}
