/**
 * Which accumulator model (contract/conv.ts ACCUMULATORS) ONNX Runtime 1.30's QLinearConv follows for a conv
 * on a given CPU, from the CPUID flags MLAS dispatches on (onnxruntime/core/mlas/lib/platform.cpp,
 * core/providers/cpu/quantization/qlinearconv.cc). Measured against the real 1.30 binary under
 * `qemu-x86_64-static -cpu Haswell|Nehalem` and natively on AVX512-VNNI (0 mismatches on 1,468 + 600 cases):
 *   - VNNI (avx512_vnni or avx_vnni): vpdpbusd, exact products and int32 sums: `int32_wrap`;
 *   - AVX2 without VNNI: uint8 activations x int8 weights, not depthwise or with weight zero points that differ (the vpmaddubsw GEMM and the AVX2
 *     ConvSym kernel) saturate to int16 the sums of consecutive pairs of the flat NHWC im2col K index, padded
 *     taps included as z_x: `sat16_pairs_im2col`; depthwise convs and int8 activations are exact;
 *   - SSE4 only (no AVX2): every route is exact (the SSE U8X8 and default GEMMs widen to int16 first).
 * The per-route rule is ort_cpu_paths.ts; this file maps CPUID flags to a dispatch level. AVX-512 without VNNI
 * (Skylake-X, MlasGemmU8S8KernelAvx512Core) was not measured: it is treated like AVX2 here.
 */
import type { WireRequest } from '../../protocol/messages.js';
import { ORT_CPU_MODELS, ortAccumulator as ortCpuAccumulator } from './ort_cpu_paths.js';

export type OrtKernelLevel = 'vnni' | 'avx2' | 'sse';

/** The MLAS int8 dispatch level that these CPUID flags select. */
export function ortKernelLevel(flags: readonly string[]): OrtKernelLevel {
  if (flags.includes('avx512_vnni') || flags.includes('avx_vnni')) return 'vnni';
  return flags.includes('avx2') ? 'avx2' : 'sse';
}

/** The one accumulator every conv uses at this level, or null when it depends on the conv (AVX2). */
export function ortUniformAccumulator(level: OrtKernelLevel): string | null {
  return level === 'avx2' ? null : 'int32_wrap';
}

/** The accumulator of this request's route at `level`: ort_cpu_paths.ts's rule (the one statement of it). */
export function ortAccumulator(level: OrtKernelLevel, request: WireRequest): string {
  const uniform = ortUniformAccumulator(level);
  if (uniform) return uniform;
  return ortCpuAccumulator(ORT_CPU_MODELS.haswell, request);
}
