/**
 * Which convs an accumulator model (contract/conv.ts ACCUMULATORS) is defined for, checked once by
 * contract/conv_checks.ts for reference/ and impl/ alike. Most models apply to every conv; the
 * `sat16_pairs_f32_zp` model is one oneDNN kernel's arithmetic and exists only where that kernel runs.
 */
import type { Accumulator, Pair, RequantScheme } from './conv.js';

/** The geometry facts oneDNN's kernel choice depends on (per-group channel counts, spatial sizes). */
export interface OnednnGeometry {
  readonly groups: number;
  /** input and output channels per group */
  readonly icg: number;
  readonly ocg: number;
  readonly kh: number;
  readonly kw: number;
  readonly h: number;
  readonly w: number;
  readonly oh: number;
  readonly ow: number;
  readonly stride: Pair;
  readonly padding: Pair;
}

/**
 * Whether oneDNN v2.6.3 runs a conv on its 1x1 kernel (jit_uni_x8s8s32x_1x1 without VNNI): groups == 1,
 * a 1x1 kernel, no padding, and stride 1, or a stride that tiles the input exactly (OH * SH == H and
 * OW * SW == W: oneDNN's "reduce to unit stride" copies the strided input densely first,
 * src/cpu/x64/jit_uni_1x1_conv_utils.hpp rtus_prepare). Dilation is irrelevant for a 1x1 kernel.
 * Sources: src/cpu/x64/jit_uni_x8s8s32x_1x1_conv_kernel.cpp init_conf (ngroups == 1, kh == kw == 1,
 * no padding, unit stride, ow == iw, oh == ih). Measured under QEMU Haswell and Nehalem: every 1x1 conv of
 * this shape chose `jit_uni_int8_1x1`, every other one did not (tests/onednn/onednn_paths.test.ts).
 */
export function isOnednn1x1Geometry(g: OnednnGeometry): boolean {
  if (g.groups !== 1 || g.kh !== 1 || g.kw !== 1 || g.padding[0] !== 0 || g.padding[1] !== 0) return false;
  const unitStride = g.stride[0] === 1 && g.stride[1] === 1;
  return unitStride || (g.oh * g.stride[0] === g.h && g.ow * g.stride[1] === g.w);
}

/** Why an accumulator model does not apply to a conv, or null when it does. */
export function accumulatorRefusal(accumulator: Accumulator, scheme: RequantScheme, g: OnednnGeometry): string | null {
  if (accumulator !== 'sat16_pairs_f32_zp') return null;
  if (scheme !== 'torch-onednn@1') return `sat16_pairs_f32_zp is oneDNN's 1x1 kernel: only with torch-onednn@1, not ${scheme}`;
  if (!isOnednn1x1Geometry(g)) return 'sat16_pairs_f32_zp is oneDNN\'s 1x1 kernel: groups 1, a 1x1 kernel, padding 0, stride 1 or OH * SH == H and OW * SW == W';
  return null;
}
