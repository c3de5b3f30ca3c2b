/**
 * Which accumulator model (contract/conv.ts ACCUMULATORS) torch 1.13.1's quantized conv follows on a CPU,
 * per engine, from the CPUID flags the torch process reports (python/cpu.py) and the conv's geometry.
 * - qnnpack: its SSE2 kernels widen to int16 before multiplying: exact products, int32 sums (`int32_wrap`)
 *   on every x86 CPU (measured natively and under qemu -cpu Haswell).
 * - onednn (oneDNN v2.6.3 in torch 1.13): with VNNI (avx512_vnni or avx_vnni) vpdpbusd, exact (`int32_wrap`).
 *   Without VNNI (AVX2 and SSE4.1 kernels, measured under qemu -cpu Haswell and Nehalem; model and citations in
 *   the onednn-novnni research): jit_uni_x8s8s32x(_1x1) uses vpmaddubsw/pmaddubsw on input-channel pairs of a
 *   tap, saturating to int16, with padding and the input zero point compensated exactly outside the pairs
 *   (`sat16_pairs`), for groups == 1 and for grouped convs whose channels per group (in and out) are both
 *   multiples of 4; depthwise convs (compute_ker_dw) and the other grouped convs (ref_convolution_int8) are exact.
 */
import type { WireRequest } from '../../protocol/messages.js';

export type TorchEngine = 'qnnpack' | 'onednn';

const hasVnni = (flags: readonly string[]) => flags.includes('avx512_vnni') || flags.includes('avx_vnni');

/** The one accumulator every conv of `engine` uses on a CPU with these flags, or null when it depends on the geometry. */
export function torchUniformAccumulator(engine: TorchEngine, flags: readonly string[]): string | null {
  return engine === 'qnnpack' || hasVnni(flags) ? 'int32_wrap' : null;
}

/** The accumulator of this conv request on `engine`, from its weight shape [OC, C/groups, KH, KW] and groups. */
export function torchConvAccumulator(engine: TorchEngine, flags: readonly string[], request: WireRequest): string {
  const uniform = torchUniformAccumulator(engine, flags);
  if (uniform) return uniform;
  const groups = Number(request.attrs?.groups ?? 1);
  const [oc = 0, icg = 0] = (request.inputs?.weight as { shape?: number[] } | undefined)?.shape ?? [];
  const ocg = groups > 0 ? oc / groups : oc;
  if (groups === 1) return 'sat16_pairs';
  if (icg === 1 && ocg === 1) return 'int32_wrap';
  return icg % 4 === 0 && ocg % 4 === 0 ? 'sat16_pairs' : 'int32_wrap';
}
