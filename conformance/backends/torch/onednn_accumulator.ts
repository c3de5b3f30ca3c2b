/**
 * Which accumulator model (contract/conv.ts ACCUMULATORS) torch 1.13.1's quantized conv follows on a CPU,
 * per engine, from the CPUID flags the torch process reports (python/cpu.py) and the conv's geometry.
 * - qnnpack: its SSE2 kernels widen to int16 before multiplying: exact products, int32 sums (`int32_wrap`)
 *   on every x86 CPU (measured natively and under qemu -cpu Haswell).
 * - onednn (oneDNN v2.6.3 in torch 1.13): with VNNI (avx512_vnni or avx_vnni) vpdpbusd, exact (`int32_wrap`).
 *   Without VNNI (AVX2 and SSE4.1 kernels, measured under qemu -cpu Haswell and Nehalem; model and citations in
 *   the onednn-novnni research): jit_uni_x8s8s32x(_1x1) uses vpmaddubsw/pmaddubsw on input-channel pairs of a
 *   tap, saturating to int16, with padding and the input zero point compensated exactly outside the pairs
 *   (`sat16_pairs`; the 1x1 kernel adds the zero-point compensation in float32, `sat16_pairs_f32_zp`), for
 *   groups == 1 and for grouped convs whose channels per group (in and out) are both multiples of 4; depthwise
 *   convs and the other grouped convs are exact. The per-geometry rule is onednn_paths.ts.
 */
import { torchConvOutputSize } from '../../../contract/conv.js';
import type { WireRequest } from '../../protocol/messages.js';
import { type OnednnIsa, onednnAccumulator } from './onednn_paths.js';

export type TorchEngine = 'qnnpack' | 'onednn';

const hasVnni = (flags: readonly string[]) => flags.includes('avx512_vnni') || flags.includes('avx_vnni');

/** The one accumulator every conv of `engine` uses on a CPU with these flags, or null when it depends on the geometry. */
export function torchUniformAccumulator(engine: TorchEngine, flags: readonly string[]): string | null {
  return engine === 'qnnpack' || hasVnni(flags) ? 'int32_wrap' : null;
}

/**
 * The ops torch's `engine` is claimed for on a CPU with these flags: every op of its handshake on the modelled CPUs
 * (VNNI, AVX2, SSE4.1). oneDNN 2.6.3 runs both onednn linears as matmul gemm:jit, whose int8 gemm without VNNI forms
 * u8 x s8 products pairwise in int16 with vpmaddubsw (jit_avx2_gemm_s8u8s32_kern.cpp dot_product): accumulator
 * `sat16_pairs` (torchLinearAccumulator), which the per-CPU vector set states per case. Measured on AVX2 only
 * (qemu -cpu Haswell); oneDNN's SSE4.1 gemm (jit_sse41_kernel_gemm_s8u8s32_kern) is not, so on a CPU without AVX2
 * the onednn linears are not claimed.
 */
export function torchClaimedOps(engine: TorchEngine, flags: readonly string[], ops: readonly string[]): string[] {
  const linearsMeasured = engine !== 'onednn' || hasVnni(flags) || flags.includes('avx2');
  return linearsMeasured ? [...ops] : ops.filter((op) => op !== 'quantized_linear_dynamic@1' && op !== 'quantized_linear@1');
}

/** The accumulator of torch 1.13.1's onednn linears (static and dynamic: oneDNN's matmul gemm) on a CPU with these flags. */
export function torchLinearAccumulator(flags: readonly string[]): 'int32_wrap' | 'sat16_pairs' {
  return hasVnni(flags) ? 'int32_wrap' : 'sat16_pairs';
}

/** The accumulator of an onednn request on a CPU with these flags: the linear's, or the conv's by geometry. */
export function torchOnednnRequestAccumulator(flags: readonly string[], request: WireRequest): string {
  if (request.op === 'quantized_linear@1' || request.op === 'quantized_linear_dynamic@1') return torchLinearAccumulator(flags);
  return torchConvAccumulator('onednn', flags, request);
}

/**
 * The modelled oneDNN ISA of a CPU from its CPUID flags (the TypeScript twin of python/onednn_paths.py's
 * onednn_isa), or null for CPUs whose kernels are not modelled (AVX512 without VNNI, AVX-VNNI without AVX512).
 */
export function onednnIsaFromFlags(flags: readonly string[]): OnednnIsa | null {
  if (flags.includes('avx512_vnni')) return 'avx512_vnni';
  if (flags.includes('avx512f') || flags.includes('avx_vnni')) return null;
  if (flags.includes('avx2')) return 'avx2';
  return flags.includes('sse4_1') ? 'sse41' : null;
}

/**
 * The accumulator of this conv request on `engine`, from its shapes and attrs through onednn_paths.ts's
 * kernel rule (the one statement of which oneDNN kernel runs which conv).
 */
export function torchConvAccumulator(engine: TorchEngine, flags: readonly string[], request: WireRequest): string {
  const uniform = torchUniformAccumulator(engine, flags);
  if (uniform) return uniform;
  const isa = onednnIsaFromFlags(flags);
  if (isa === null) throw new Error(`torch onednn on a CPU with flags [${flags.join(' ')}] runs kernels qconform does not model`);
  const attrs = request.attrs ?? {};
  const pair = (name: string, fallback: number): [number, number] => (Array.isArray(attrs[name]) ? (attrs[name] as [number, number]) : [fallback, fallback]);
  const groups = Number(attrs.groups ?? 1);
  const [, , h = 0, w = 0] = (request.inputs?.x as { shape?: number[] } | undefined)?.shape ?? [];
  const [oc = 0, icg = 0, kh = 0, kw = 0] = (request.inputs?.weight as { shape?: number[] } | undefined)?.shape ?? [];
  const [stride, padding, dilation] = [pair('stride', 1), pair('padding', 0), pair('dilation', 1)];
  const oh = torchConvOutputSize(h, kh, stride[0], padding[0], dilation[0]);
  const ow = torchConvOutputSize(w, kw, stride[1], padding[1], dilation[1]);
  return onednnAccumulator(isa, { groups, icg, ocg: groups > 0 ? oc / groups : oc, kh, kw, h, w, oh, ow, stride, padding });
}
