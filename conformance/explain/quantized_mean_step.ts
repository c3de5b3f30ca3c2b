/**
 * explain's run of a torch Tensor.mean over H and W on the chain's quantized tensor (model_types.ts QuantizedMeanStep;
 * ShuffleNetV2's x.mean([2, 3])): impl's quantized_mean@1 in the memory format the tensor has (which picks torch's path:
 * the integer sum of a contiguous tensor, or the float32 mean of a channels_last one), the ATen capability and thread
 * count of the torch that read the model (which order each channel's float sum). The report names the path, counts the
 * channels of each summation order and the outputs another capability, one thread, or the other path (the tensor made
 * contiguous first, as torch 2.x or another runtime may) would change. On the qnnpack engine, for quint8 over the dims
 * written [2, 3], impl's qnnpack_mean@1, QNNPACK's global average pool, and the report counts the outputs ATen's kernels
 * (x.mean([-2, -1]) on the same engine, or another engine) would change where the tensor's layout is known.
 * The fake-quant chain is not carried through it (its float mean is the model's own, not a quantized kernel). Not run
 * (the chain stops): a tensor that is not 4-D, and one torch refuses (a quantized conv's channels_last output of 1x1
 * pixels without keepdim on ATen's path: contract/quantized_mean.ts).
 */
import type { AtenCpuCapability, MemoryFormat } from '../../contract/aten_vectorized_loop.js';
import { isQconformError } from '../../contract/errors.js';
import type { QnnpackMeanAttrs } from '../../contract/qnnpack_mean.js';
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
  /** the tensor's memory format; null where unknown (QNNPACK's pool only) */
  readonly memoryFormat: MemoryFormat | null;
  readonly cpuCapability: AtenCpuCapability;
  readonly threads: number;
  /** no integers reached it (the chain stopped before it) */
  readonly idle?: true;
  readonly ran?: {
    readonly shape: readonly number[];
    /** torch's path: qmean_inner_dim_kernel's integer sum, or dequantize, float32 mean, quantize; or QNNPACK's global average pool */
    readonly path: 'inner' | 'float' | 'qnnpack';
    /** the float path's channels summed directly and with four interleaved partials */
    readonly orders: { readonly direct: number; readonly interleaved4: number } | null;
    readonly elsewhere: readonly ElsewhereCount[];
    /** the tensor in the other memory format: torch's path there and the outputs it changes; null where torch refuses it (a channels_last tensor of one channel or pixel without keepdim) or the path does not depend on it (QNNPACK's) */
    readonly otherLayout: OtherLayout | null;
    /** QNNPACK's pool: the outputs ATen's kernels (quantized_mean@1 in the tensor's layout) change, 'refused' where they refuse the tensor (channels_last of one channel or pixel without keepdim), null where the layout is unknown */
    readonly atenDiffering?: number | 'refused' | null;
  };
}

/** What every report of the step says: the step, its qparams and the path's inputs. */
function reportOf(step: QuantizedMeanStep): QuantizedMeanReport {
  return { kind: 'quantized_mean', name: step.name, opType: step.opType, y: step.x, memoryFormat: step.memoryFormat, cpuCapability: step.cpuCapability, threads: step.threads };
}

export function idleQuantizedMean(step: QuantizedMeanStep): QuantizedMeanReport {
  return { ...reportOf(step), idle: true };
}

/** The mean on the chain's integers and its report; or why it cannot run on them (a tensor that is not 4-D, one torch refuses). */
export function runQuantizedMean(step: QuantizedMeanStep, xq: IntTensor): { xq: IntTensor; report: QuantizedMeanReport } | { notRun: string } {
  if (xq.shape.length !== 4 || xq.shape.includes(0)) return { notRun: `it averages a [${xq.shape.join(', ')}] tensor; ${step.kernel === 'qnnpack' ? 'qnnpack_mean@1' : 'quantized_mean@1'} takes a 4-D one without an empty dimension` };
  const attrs = (memoryFormat: MemoryFormat, cpuCapability: AtenCpuCapability, threads: number) => ({ xScale: step.x.scale, xZeroPoint: step.x.zeroPoint, dims: step.dims, keepdim: step.keepdim, memoryFormat, cpuCapability, threads });
  const run = (memoryFormat: MemoryFormat, cpuCapability: AtenCpuCapability, threads: number) => impl.quantizedMean(xq, attrs(memoryFormat, cpuCapability, threads));
  const format = step.memoryFormat;
  if (step.kernel === 'aten' && format === null) throw new Error(`${step.name}: ATen's mean needs the tensor's memory format (torch_model.ts)`);
  const qnnpackAttrs: QnnpackMeanAttrs = { xScale: step.x.scale, xZeroPoint: step.x.zeroPoint, dims: step.dims, keepdim: step.keepdim };
  let y: IntTensor;
  try {
    y = step.kernel === 'qnnpack' ? impl.qnnpackMean(xq, qnnpackAttrs) : run(format!, step.cpuCapability, step.threads);
  } catch (e) {
    // what the contract refuses here torch refuses too (a conv's channels_last output of 1x1 pixels without keepdim)
    if (!isQconformError(e)) throw e;
    return { notRun: `torch refuses it on this [${xq.shape.join('x')}]${format === null ? '' : ` ${format}`} tensor${step.kernel === 'qnnpack' ? " (QNNPACK's global average pool, the qnnpack engine)" : ''}: ${e.message}` };
  }
  if (step.kernel === 'qnnpack') {
    return { xq: y, report: { ...reportOf(step), ran: { shape: y.shape, path: 'qnnpack', orders: null, elsewhere: [], otherLayout: null, atenDiffering: atenDifferingOf(y, format === null ? null : () => run(format, step.cpuCapability, step.threads)) } } };
  }
  const g = checkQuantizedMean(xq, attrs(format!, step.cpuCapability, step.threads));
  const direct = g.orders.filter((o) => o === 'direct').length;
  const other: MemoryFormat = format === 'channels_last' ? 'contiguous' : 'channels_last';
  return {
    xq: y,
    report: {
      ...reportOf(step),
      ran: {
        shape: y.shape,
        path: g.path,
        orders: g.path === 'float' ? { direct, interleaved4: g.orders.length - direct } : null,
        elsewhere: atenElsewhere(y.data, step.cpuCapability, step.threads, (c, t) => run(format!, c, t).data),
        otherLayout: otherLayoutOf(xq, attrs(other, step.cpuCapability, step.threads), y),
      },
    },
  };
}

/** ATen's kernels on the same integers (what x.mean([-2, -1]) runs on the qnnpack engine): the outputs they change, 'refused', or null without a layout. */
function atenDifferingOf(y: IntTensor, aten: (() => IntTensor) | null): number | 'refused' | null {
  if (aten === null) return null;
  try {
    return countDiffering(y.data, aten().data);
  } catch (e) {
    if (!isQconformError(e)) throw e;
    return 'refused';
  }
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
  if (!s.ran) return `${what}${s.memoryFormat === null ? '' : `, ${s.memoryFormat}`}`;
  const r = s.ran;
  if (r.path === 'qnnpack') {
    const d = r.atenDiffering ?? null;
    const aten = d === null ? "ATen's kernels not compared (the tensor's layout is unknown)" : d === 'refused' ? `ATen's kernels (x.mean([-2, -1]) on this engine, or another engine) refuse this ${s.memoryFormat} tensor` : `ATen's kernels (x.mean([-2, -1]) on this engine, or another engine) ${d}`;
    return `${what}, [${r.shape.join('x')}]: QNNPACK's global average pool (the qnnpack engine, quint8, dims written [2, 3]); outputs another kernel changes: ${aten}`;
  }
  const path = r.path === 'inner' ? "torch's integer sum (qmean_inner_dim_kernel: a contiguous tensor)" : `torch's float32 mean (a ${s.memoryFormat} tensor: dequantize, ATen's cascade sum, quantize), ${r.orders!.direct} channels summed directly and ${r.orders!.interleaved4} with four interleaved partials (ATen ${s.cpuCapability}, ${s.threads} thread${s.threads === 1 ? '' : 's'})`;
  const elsewhere = r.elsewhere.map((e) => `${e.cpuCapability}${e.threads !== s.threads ? ` on ${e.threads} thread` : ''} ${e.differing}`).join(', ');
  const o = r.otherLayout;
  const otherLayout = o === null ? `the tensor ${s.memoryFormat === 'channels_last' ? 'contiguous' : 'channels_last'}: torch refuses it` : `the tensor ${o.memoryFormat} (the ${o.path === 'inner' ? 'integer' : 'float'} path) ${o.differing}`;
  return `${what}, [${r.shape.join('x')}]: ${path}; outputs another path changes: ${elsewhere}, ${otherLayout}`;
}
