/**
 * explain's run of a torch Tensor.mean over H and W on the chain's quantized tensor (model_types.ts QuantizedMeanStep;
 * ShuffleNetV2's x.mean([2, 3])): impl's quantized_mean@1 in the memory format the tensor has (which picks torch's path:
 * the integer sum of a contiguous tensor, or the float32 mean of a channels_last one), the ATen capability and thread
 * count of the torch that read the model (which order each channel's float sum). The report names the path, counts the
 * channels of each summation order and the outputs another capability, one thread, or the other path (the tensor made
 * contiguous first, as torch 2.x or another runtime may) would change. The fake-quant chain is not carried through it
 * (its float mean is the model's own, not a quantized kernel). Not run (the chain stops): a tensor that is not 4-D, and
 * one torch refuses (a quantized conv's channels_last output of 1x1 pixels without keepdim: contract/quantized_mean.ts).
 */
import type { AtenCpuCapability, MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import { isQconformError } from '../../contract/errors.js';
import type { QuantizedMeanAttrs } from '../../contract/quantized_mean.js';
import { checkQuantizedMean } from '../../contract/quantized_mean_checks.js';
import type { IntTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { type ElsewhereCount, atenElsewhere, countDiffering } from './aten_elsewhere.js';
import type { ActivationQparams, QuantizedMeanStep } from './model_types.js';

/** The mean of the same integers in the other memory format: torch's path there and the outputs it changes. */
export interface OtherLayout {
  readonly memoryFormat: MemoryFormat;
  readonly path: 'inner' | 'float';
  readonly differing: number;
}

export interface QuantizedMeanReport {
  readonly kind: 'quantized_mean';
  readonly name: string;
  readonly opType: string;
  readonly y: ActivationQparams;
  readonly memoryFormat: MemoryFormat;
  readonly cpuCapability: AtenCpuCapability;
  readonly threads: number;
  /** no integers reached it (the chain stopped before it) */
  readonly idle?: true;
  readonly ran?: {
    readonly shape: readonly number[];
    /** torch's path: qmean_inner_dim_kernel's integer sum, or dequantize, float32 mean, quantize */
    readonly path: 'inner' | 'float';
    /** the float path's channels summed directly and with four interleaved partials */
    readonly orders: { readonly direct: number; readonly interleaved4: number } | null;
    readonly elsewhere: readonly ElsewhereCount[];
    /** the tensor in the other memory format: torch's path there and the outputs it changes; null where torch refuses it (a channels_last tensor of one channel or pixel without keepdim) */
    readonly otherLayout: OtherLayout | null;
  };
}

/** What every report of the step says: the step, its qparams and the path's inputs. */
function reportOf(step: QuantizedMeanStep): QuantizedMeanReport {
  return { kind: 'quantized_mean', name: step.name, opType: step.opType, y: step.x, memoryFormat: step.memoryFormat, cpuCapability: step.cpuCapability, threads: step.threads };
}

export function idleQuantizedMean(step: QuantizedMeanStep): QuantizedMeanReport {
  return { ...reportOf(step), idle: true };
}

/** The mean on the chain's integers and its report; or why it cannot run on them (a tensor that is not 4-D). */
export function runQuantizedMean(step: QuantizedMeanStep, xq: IntTensor): { xq: IntTensor; report: QuantizedMeanReport } | { notRun: string } {
  if (xq.shape.length !== 4 || xq.shape.includes(0)) return { notRun: `it averages a [${xq.shape.join(', ')}] tensor; quantized_mean@1 takes a 4-D one without an empty dimension` };
  const attrs = (memoryFormat: MemoryFormat, cpuCapability: AtenCpuCapability, threads: number) => ({ xScale: step.x.scale, xZeroPoint: step.x.zeroPoint, dims: step.dims, keepdim: step.keepdim, memoryFormat, cpuCapability, threads });
  const run = (memoryFormat: MemoryFormat, cpuCapability: AtenCpuCapability, threads: number) => impl.quantizedMean(xq, attrs(memoryFormat, cpuCapability, threads));
  let y: IntTensor;
  try {
    y = run(step.memoryFormat, step.cpuCapability, step.threads);
  } catch (e) {
    // what the contract refuses here torch refuses too (a conv's channels_last output of 1x1 pixels without keepdim)
    if (!isQconformError(e)) throw e;
    return { notRun: `torch refuses it on this [${xq.shape.join('x')}] ${step.memoryFormat} tensor: ${e.message}` };
  }
  const g = checkQuantizedMean(xq, attrs(step.memoryFormat, step.cpuCapability, step.threads));
  const direct = g.orders.filter((o) => o === 'direct').length;
  const other: MemoryFormat = step.memoryFormat === 'channels_last' ? 'contiguous' : 'channels_last';
  return {
    xq: y,
    report: {
      ...reportOf(step),
      ran: {
        shape: y.shape,
        path: g.path,
        orders: g.path === 'float' ? { direct, interleaved4: g.orders.length - direct } : null,
        elsewhere: atenElsewhere(y.data, step.cpuCapability, step.threads, (c, t) => run(step.memoryFormat, c, t).data),
        otherLayout: otherLayoutOf(xq, attrs(other, step.cpuCapability, step.threads), y),
      },
    },
  };
}

/** The mean of the same integers laid out in the other memory format (attrs): its path and changed outputs, or null where torch refuses it. */
function otherLayoutOf(xq: IntTensor, attrs: QuantizedMeanAttrs, y: IntTensor): OtherLayout | null {
  try {
    const other = impl.quantizedMean(xq, attrs);
    return { memoryFormat: attrs.memoryFormat, path: checkQuantizedMean(xq, attrs).path, differing: countDiffering(y.data, other.data) };
  } catch (e) {
    if (!isQconformError(e)) throw e;
    return null;
  }
}

/** Its console line: the path, the orders, what another path would change. */
export function quantizedMeanText(s: QuantizedMeanReport): string {
  const what = `${s.opType} over H and W on the quantized tensor (qparams kept)`;
  if (!s.ran) return `${what}, ${s.memoryFormat}`;
  const r = s.ran;
  const path = r.path === 'inner' ? "torch's integer sum (qmean_inner_dim_kernel: a contiguous tensor)" : `torch's float32 mean (a ${s.memoryFormat} tensor: dequantize, ATen's cascade sum, quantize), ${r.orders!.direct} channels summed directly and ${r.orders!.interleaved4} with four interleaved partials (ATen ${s.cpuCapability}, ${s.threads} thread${s.threads === 1 ? '' : 's'})`;
  const elsewhere = r.elsewhere.map((e) => `${e.cpuCapability}${e.threads !== s.threads ? ` on ${e.threads} thread` : ''} ${e.differing}`).join(', ');
  const o = r.otherLayout;
  const otherLayout = o === null ? `the tensor ${s.memoryFormat === 'channels_last' ? 'contiguous' : 'channels_last'}: torch refuses it` : `the tensor ${o.memoryFormat} (the ${o.path === 'inner' ? 'integer' : 'float'} path) ${o.differing}`;
  return `${what}, [${r.shape.join('x')}]: ${path}; outputs another path changes: ${elsewhere}, ${otherLayout}`;
}
