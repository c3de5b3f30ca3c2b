/**
 * Which elements of an ATen elementwise op (cpu_kernel_vec) take the op's vector lambda and which its scalar lambda,
 * in torch 1.13.1. Integer domain only: a shape, a memory format, a CPU capability and a thread count in, one flag per
 * element out. The two lambdas may round differently (quantized::add's do, contract/quantized_add.ts), so where
 * the split falls is part of the result.
 *
 * - TensorIteratorBase::for_each (aten/src/ATen/TensorIterator.cpp): below at::internal::GRAIN_SIZE (32768)
 *   elements or on one thread, one range [0, n); else at::parallel_for, whose OpenMP invoke_parallel
 *   (aten/src/ATen/ParallelOpenMP.h) runs min(threads, ceil(n / GRAIN_SIZE)) ranges of ceil(n / that) elements.
 * - Inputs and output of one shape and memory format coalesce to one dimension in memory order.
 * - vectorized_loop (aten/src/ATen/native/cpu/Loops.h) walks each range in steps of 2 * Vec::size() and hands the
 *   last (range length mod 2 * Vec::size()) elements to basic_loop, the scalar lambda.
 *   Vec::size() for an 8-bit quantized type is the vector width in bytes: 32 on AVX2, 64 on AVX512. On DEFAULT the
 *   vector type (vec256_qint.h's VectorizedQuantizedConverter, 32 elements) converts each element with the scalar
 *   functions, so the dequantize-quantize kernels' every element has the scalar form; but its requantize_from_int
 *   is its own (quantized::mul's vector form on DEFAULT, contract/quantized_mul.ts): DefaultLoop says which.
 *
 * Measured on torch 1.13.1 (Debian python3-torch) under ATEN_CPU_CAPABILITY=default, avx2 and avx512, natively:
 * quantized::add of 37, 64, 69, 128, 129 and 70,000 elements on one and two threads, and of a [1, 3, 5, 7]
 * channels_last tensor (vectors/torch-1.13-add).
 */
import { QconformError } from './errors.js';
import { validateBoolean } from './validate.js';
import { numel } from './tensor.js';

export const ATEN_CPU_CAPABILITIES = ['default', 'avx2', 'avx512'] as const;
/** ATen's CPU capability, as ATEN_CPU_CAPABILITY names it and torch.__config__.show() reports it. */
export type AtenCpuCapability = (typeof ATEN_CPU_CAPABILITIES)[number];

export const MEMORY_FORMATS = ['contiguous', 'channels_last'] as const;
/** torch.contiguous_format or torch.channels_last (4-D only): the order the loop walks the elements in. */
export type MemoryFormat = (typeof MEMORY_FORMATS)[number];

/** at::internal::GRAIN_SIZE (aten/src/ATen/Parallel.h). */
export const ATEN_GRAIN_SIZE = 32768;

/**
 * Which torch's loop: 1, torch 1.13.1; 2, torch 2.6.0 (Debian 13), measured under ATEN_CPU_CAPABILITY=avx512 to split
 * at multiples of 64 elements, as under avx2, where 1.13 splits at multiples of 128 (vectors/torch-2.6-add: 200 cases,
 * lengths around multiples of 64 and 128, 70,000 elements on two threads, channels_last; 43 of them part from 1.13's
 * AVX512 outputs, none from the 64-element split). DEFAULT and AVX2 are alike in both.
 */
export type AtenLoopVersion = 1 | 2;

/**
 * Whether the DEFAULT capability's vector lambda differs from the scalar one: 'scalar_alike' for the kernels whose
 * vector type's steps on DEFAULT are the scalar functions (add, hardswish, hardsigmoid), 'own' where it has its own
 * (quantized::mul's requantize_from_int: 2 * 32 elements per step, as AVX2).
 */
export type DefaultLoop = 'scalar_alike' | 'own';

/**
 * Elements per step of vectorized_loop for an 8-bit type: 2 * Vec::size() (AVX2 64, torch 1.13's AVX512 128; torch
 * 2.6's AVX512 64, AtenLoopVersion; DEFAULT 64 where its vector lambda is its own); 0 where no element takes a vector
 * form of its own.
 */
export function vectorStep(capability: AtenCpuCapability, version: AtenLoopVersion = 1, defaultLoop: DefaultLoop = 'scalar_alike'): number {
  if (capability === 'default') return defaultLoop === 'own' ? 64 : 0;
  return capability === 'avx2' ? 64 : version === 2 ? 64 : 128;
}

/**
 * Channels of a per-pixel channel loop that an NHWC kernel computes in whole float vectors (quantized::cat's
 * qcat_nhwc_kernel, avg_pool2d's _qavg_pool_nhwc_kernel): floor(C / 8) 8 under AVX2, floor(C / 16) 16 under AVX512, none
 * under DEFAULT (whose vector path is absent or element by element). torch 2.6 (version 2) computes AVX512's as AVX2's
 * (measured on its quantized::cat).
 */
export function channelVectorBlocks(channels: number, capability: AtenCpuCapability, version: AtenLoopVersion = 1): number {
  const floatLanes = capability === 'avx2' || (capability === 'avx512' && version === 2) ? 8 : capability === 'avx512' ? 16 : 0;
  return floatLanes === 0 ? 0 : Math.floor(channels / floatLanes) * floatLanes;
}

/** The [begin, end) ranges for_each runs (in memory order) for n elements on `threads` OpenMP threads. */
export function atenRanges(n: number, threads: number): Array<readonly [number, number]> {
  if (n === 0) return [];
  if (n < ATEN_GRAIN_SIZE || threads === 1) return [[0, n]];
  const tasks = Math.min(threads, Math.ceil(n / ATEN_GRAIN_SIZE));
  const chunk = Math.ceil(n / tasks);
  const ranges: Array<readonly [number, number]> = [];
  for (let begin = 0; begin < n; begin += chunk) ranges.push([begin, Math.min(n, begin + chunk)]);
  return ranges;
}

/**
 * tensor.is_contiguous(at::MemoryFormat::ChannelsLast) of a tensor laid out as `format` (compute_channels_last_contiguous_2d,
 * c10/core/TensorImpl.h: the strides of C, W, H, N, skipping dimensions of size 1, are 1, C, CW, CHW): a channels_last
 * 4-D tensor, and also a contiguous one with C = 1 or H = W = 1 (its NCHW strides pass the same test). Shapes without
 * a zero dimension.
 */
export function isChannelsLastContiguous(shape: readonly number[], format: MemoryFormat): boolean {
  if (shape.length !== 4) return false;
  const [, c, h, w] = shape as [number, number, number, number];
  return format === 'channels_last' || c === 1 || (h === 1 && w === 1);
}

/** The memory position of every logical (row-major) element: identity, or NHWC order for a channels_last [N, C, H, W]. */
export function memoryPositions(shape: readonly number[], format: MemoryFormat): Int32Array | null {
  if (format === 'contiguous') return null;
  if (shape.length !== 4) throw new QconformError('shape_mismatch', 'memory_format channels_last', shape, 'a 4-D [N, C, H, W] tensor (torch.channels_last)');
  const [n, c, h, w] = shape as [number, number, number, number];
  const out = new Int32Array(n * c * h * w);
  let i = 0;
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let y = 0; y < h; y++) for (let x = 0; x < w; x++) out[i++] = ((b * h + y) * w + x) * c + ch;
  return out;
}

/** A bound on `threads`: the split is modelled for any count, this keeps requests sane. */
export const MAX_ATEN_THREADS = 1024;

/** How an ATen elementwise kernel (cpu_kernel_vec) runs: what decides each element's form. */
export interface AtenElementwiseAttrs {
  readonly cpuCapability: AtenCpuCapability;
  readonly memoryFormat: MemoryFormat;
  /** torch.get_num_threads() of the process (1 to MAX_ATEN_THREADS) */
  readonly threads: number;
  /** the op's version: 1 (absent), torch 1.13's loop; 2, torch 2.6's (AtenLoopVersion) */
  readonly semantics?: AtenLoopVersion;
}

/**
 * The contract check of an elementwise op's AtenElementwiseAttrs (the capability, memory format, thread count and
 * version) for inputs of `shape`; returns vectorFormMask's flags.
 */
export function checkAtenElementwise(what: string, shape: readonly number[], attrs: AtenElementwiseAttrs, defaultLoop: DefaultLoop = 'scalar_alike'): Uint8Array {
  checkCpuCapability(what, attrs.cpuCapability);
  checkMemoryFormat(what, attrs.memoryFormat);
  const version = checkAtenLoopVersion(what, attrs.semantics);
  if (!Number.isSafeInteger(attrs.threads) || attrs.threads < 1 || attrs.threads > MAX_ATEN_THREADS) {
    throw new QconformError('invalid_integer', `${what}: threads`, attrs.threads, `an integer in [1, ${MAX_ATEN_THREADS}] (torch.get_num_threads())`);
  }
  return vectorFormMask(shape, attrs.memoryFormat, attrs.cpuCapability, attrs.threads, version, defaultLoop);
}

/**
 * One flag per logical element: 1 where the vector lambda computes it, 0 where the scalar lambda does (as above).
 */
export function vectorFormMask(shape: readonly number[], format: MemoryFormat, capability: AtenCpuCapability, threads: number, version: AtenLoopVersion = 1, defaultLoop: DefaultLoop = 'scalar_alike'): Uint8Array {
  const positions = memoryPositions(shape, format);
  const n = numel(shape);
  const byPosition = new Uint8Array(n);
  const step = vectorStep(capability, version, defaultLoop);
  if (step > 0) {
    for (const [begin, end] of atenRanges(n, threads)) byPosition.fill(1, begin, begin + Math.floor((end - begin) / step) * step);
  }
  if (positions === null) return byPosition;
  return Uint8Array.from(positions, (p) => byPosition[p]!);
}

/**
 * The attributes of an ATen kernel whose vector and scalar forms part (quantized_add, quantized_cat): relu, the CPU
 * capability, the memory format and the op's version (1, absent: torch 1.13; 2: torch 2.6); returns the version.
 */
export function checkAtenKernelAttrs(what: string, a: { readonly relu: unknown; readonly cpuCapability: unknown; readonly memoryFormat: unknown; readonly semantics?: unknown }): AtenLoopVersion {
  validateBoolean(`${what}: relu`, a.relu);
  checkCpuCapability(what, a.cpuCapability);
  checkMemoryFormat(what, a.memoryFormat);
  return checkAtenLoopVersion(what, a.semantics);
}

/** A request's op version (semantics): 1 (absent: torch 1.13) or 2 (torch 2.6). */
export function checkAtenLoopVersion(what: string, semantics: unknown): AtenLoopVersion {
  const version = semantics ?? 1;
  if (version !== 1 && version !== 2) throw new QconformError('malformed_request', `${what}: semantics`, version, '1 (torch 1.13) or 2 (torch 2.6)');
  return version;
}

/** A request's cpu_capability: one of ATEN_CPU_CAPABILITIES. */
export function checkCpuCapability(what: string, capability: unknown): asserts capability is AtenCpuCapability {
  if (!(ATEN_CPU_CAPABILITIES as readonly unknown[]).includes(capability)) throw new QconformError('malformed_request', `${what}: cpu_capability`, capability, ATEN_CPU_CAPABILITIES.join(', '));
}

/** A request's memory_format: one of MEMORY_FORMATS. */
export function checkMemoryFormat(what: string, format: unknown): asserts format is MemoryFormat {
  if (!(MEMORY_FORMATS as readonly unknown[]).includes(format)) throw new QconformError('malformed_request', `${what}: memory_format`, format, MEMORY_FORMATS.join(', '));
}
