/**
 * explain's run of a torch adaptive average pool on the chain's quantized tensor (model_types.ts AdaptiveAvgPoolStep):
 * impl's quantized_adaptive_avg_pool2d@1 in the memory format the tensor has, which picks torch 1.13's kernel (NHWC for
 * a channels_last tensor, a quantized conv's output; NCHW for a contiguous one). The report names the kernel and counts
 * the outputs the other layout's kernel would change: where the same model's pool parts between a channels_last and a
 * contiguous tensor (torch 2.x, another runtime, a model that calls .contiguous() first).
 *
 * On the qnnpack engine a quint8 pool whose output size differs from the input's and divides it runs QNNPACK's average
 * pool (adaptive_avg_pool2d_quantized_cpu's qnnpack_adaptive_avg_pool2d): impl's qnnpack_avg_pool2d@1 with kernel =
 * stride = input / output, and the report counts the outputs ATen's kernel (the other engines') would change.
 *
 * Not run (the chain stops): a tensor that is not 3-D or 4-D, and a 3-D one QNNPACK's pool would take (torch raises).
 * The fake-quant chain is not carried through it (the float pool's rounding is not modelled).
 */
import { type AdaptivePoolKernel, adaptivePoolKernel } from '../../contract/quantized_adaptive_avg_pool2d_checks.js';
import type { MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import { isQconformError } from '../../contract/errors.js';
import type { QnnpackAvgPool2dAttrs } from '../../contract/qnnpack_avg_pool2d.js';
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
    /** torch's NHWC or NCHW kernel, or QNNPACK's average pool (the qnnpack engine) */
    readonly kernel: AdaptivePoolKernel | 'qnnpack';
    /** outputs the other layout's kernel changes (null where torch runs one kernel in either layout: C = 1 or H = W = 1, 3-D; and for QNNPACK's) */
    readonly otherLayoutDiffering: number | null;
    /** QNNPACK's pool: outputs ATen's kernel (the fbgemm, onednn and x86 engines', in the tensor's layout) gives otherwise */
    readonly atenDiffering?: number;
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

/**
 * QNNPACK's pool (adaptive_avg_pool2d_quantized_cpu on the qnnpack engine, enable_qnnpack_for_ada_avgpool): a quint8
 * tensor whose output size differs from its size and divides it, as qnnpack_avg_pool2d@1 attributes (kernel = stride =
 * input / output, no padding); else null.
 */
function qnnpackPool(step: AdaptiveAvgPoolStep, xq: IntTensor): QnnpackAvgPool2dAttrs | null {
  const [oh, ow] = outputSizeFor(step, xq.shape);
  const [h, w] = xq.shape.slice(-2) as [number, number];
  if (step.torchEngine !== 'qnnpack' || xq.dtype !== 'quint8' || (h === oh && w === ow) || h % oh !== 0 || w % ow !== 0) return null;
  const kernelSize = [h / oh, w / ow] as const;
  return { scale: step.x.scale, zeroPoint: step.x.zeroPoint, kernelSize, stride: kernelSize, padding: [0, 0], countIncludePad: false, divisorOverride: null };
}

/**
 * The pool on the chain's integers and its report; or why it cannot run on them (a tensor of another rank, QNNPACK's
 * pool refusing it).
 */
export function runAdaptiveAvgPool(step: AdaptiveAvgPoolStep, xq: IntTensor): { xq: IntTensor; report: AdaptiveAvgPoolReport } | { notRun: string } {
  if (xq.shape.length !== 3 && xq.shape.length !== 4) return { notRun: `it pools a ${xq.shape.length}-d tensor ([${xq.shape.join(', ')}]); torch's adaptive_avg_pool2d takes 3-D or 4-D` };
  const attrs = (memoryFormat: MemoryFormat) => ({ scale: step.x.scale, zeroPoint: step.x.zeroPoint, outputSize: outputSizeFor(step, xq.shape), memoryFormat });
  const qnnpack = qnnpackPool(step, xq);
  if (qnnpack) {
    let y: IntTensor;
    try {
      y = impl.qnnpackAvgPool2d(xq, qnnpack);
    } catch (e) {
      if (!isQconformError(e)) throw e;
      return { notRun: `on the qnnpack engine torch pools this quint8 tensor with QNNPACK's average pool, which refuses it (torch raises as well): ${e.message}` };
    }
    const atenDiffering = impl.quantizedAdaptiveAvgPool2d(xq, attrs(step.memoryFormat)).data.filter((v, i) => v !== y.data[i]).length;
    return {
      xq: y,
      report: { kind: 'adaptive_avg_pool2d', name: step.name, opType: step.opType, memoryFormat: step.memoryFormat, ran: { inputShape: xq.shape, outputShape: y.shape, kernel: 'qnnpack', otherLayoutDiffering: null, atenDiffering } },
    };
  }
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
