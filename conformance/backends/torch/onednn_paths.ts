/**
 * Which oneDNN v2.6.3 kernel torch 1.13.1's `onednn` engine runs for a quantized conv2d (quint8 activations,
 * symmetric qint8 weights), per x86 ISA, and which accumulator model (contract/conv.ts ACCUMULATORS) that
 * kernel's arithmetic is. The one statement of the rule: the Python adapter's copy
 * (python/onednn_paths.py) is checked against it, and both against the kernels oneDNN reported
 * (ONEDNN_VERBOSE) for 848 convs run under QEMU -cpu Haswell and -cpu Nehalem (tests/onednn/).
 *
 * Sources (oneDNN v2.6.3): src/cpu/cpu_convolution_list.cpp (the {u8, s8, u8} list: jit_uni_x8s8s32x_1x1,
 * jit_uni_x8s8s32x for avx2 then sse41, gemm_x8s8s32x, ref_convolution_int8);
 * src/cpu/x64/jit_uni_x8s8s32x_conv_kernel.cpp init_conf (depthwise: everyone_is(1, ic, oc) per group;
 * otherwise ic_block = oc_block = 8 (avx2) or 4 (sse41), falling back to 4 on avx2; grouped convs are not
 * padded, so per-group counts the block does not divide are unimplemented -> ref). The choice is the same
 * on avx2 and sse41; only the VNNI level changes it.
 * contract/conv_accumulators.ts isOnednn1x1Geometry for the 1x1 kernel.
 */
import type { Accumulator } from '../../../contract/conv.js';
import { type OnednnGeometry, isOnednn1x1Geometry } from '../../../contract/conv_accumulators.js';

/**
 * The x86 ISA levels whose oneDNN int8 paths are modelled: AVX512-VNNI (this project's host; brgconv,
 * jit_int8 and gemm kernels with vpdpbusd or exact products), AVX2 without VNNI (Haswell) and SSE4.1 (Nehalem).
 */
export const ONEDNN_ISAS = ['avx512_vnni', 'avx2', 'sse41'] as const;
export type OnednnIsa = (typeof ONEDNN_ISAS)[number];

/**
 * The kernel chosen without VNNI, by the name ONEDNN_VERBOSE prints before `:<isa>` (`jit_uni_int8_dw` is
 * `jit_uni_int8` running its depthwise code, compute_ker_dw); `vnni` stands for any AVX512-VNNI kernel.
 */
export type OnednnKernel = 'jit_uni_int8_1x1' | 'jit_uni_int8' | 'jit_uni_int8_dw' | 'ref_int8' | 'vnni';

export function onednnKernel(isa: OnednnIsa, g: OnednnGeometry): OnednnKernel {
  if (isa === 'avx512_vnni') return 'vnni';
  if (g.groups === 1) return isOnednn1x1Geometry(g) ? 'jit_uni_int8_1x1' : 'jit_uni_int8';
  if (g.icg === 1 && g.ocg === 1) return 'jit_uni_int8_dw';
  // avx2 tries blocks of 8 then 4, sse41 blocks of 4: the same convs qualify (multiples of 8 are multiples of 4)
  return g.icg % 4 === 0 && g.ocg % 4 === 0 ? 'jit_uni_int8' : 'ref_int8';
}

/**
 * The accumulator model of each kernel: vpmaddubsw pairs (`sat16_pairs`), the 1x1 kernel's float32
 * zero-point compensation on top (`sat16_pairs_f32_zp`), exact products with int32 sums elsewhere
 * (the depthwise code zero-extends before vpmaddwd; ref and the VNNI kernels are exact).
 */
export const KERNEL_ACCUMULATORS: Readonly<Record<OnednnKernel, Accumulator>> = {
  jit_uni_int8_1x1: 'sat16_pairs_f32_zp',
  jit_uni_int8: 'sat16_pairs',
  jit_uni_int8_dw: 'int32_wrap',
  ref_int8: 'int32_wrap',
  vnni: 'int32_wrap',
};

export function onednnAccumulator(isa: OnednnIsa, g: OnednnGeometry): Accumulator {
  return KERNEL_ACCUMULATORS[onednnKernel(isa, g)];
}

/** The name ONEDNN_VERBOSE prints for a non-VNNI kernel, e.g. `jit_uni_int8_1x1:avx2`, `ref_int8:any`. */
export function onednnVerboseName(isa: Exclude<OnednnIsa, 'avx512_vnni'>, kernel: Exclude<OnednnKernel, 'vnni'>): string {
  if (kernel === 'ref_int8') return 'ref_int8:any';
  return `${kernel === 'jit_uni_int8_dw' ? 'jit_uni_int8' : kernel}:${isa}`;
}
