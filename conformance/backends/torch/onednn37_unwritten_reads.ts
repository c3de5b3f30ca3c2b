/**
 * The convs on which torch 2.6's onednn engine (oneDNN 3.7, brgemm convolution `brg_conv_fwd`) reads memory it never
 * wrote, so that its outputs are not a function of the inputs: they change with what the allocator's memory held before
 * (measured by running each conv in a fresh forked child three times, plainly and under glibc's MALLOC_PERTURB_=85 and
 * =170, which fill every malloc'd byte not written since with 0xaa resp. 0x55: scripts/oracle/torch26_amx_conv_probe.ts).
 * No model of the inputs can give these outputs, so they are refused (not claimed), never modelled.
 *
 * Two geometries, each read from the oneDNN 3.7 sources (src/cpu/x64/jit_brgemm_conv.cpp, jit_brgemm_conv_utils.cpp)
 * and measured:
 *
 * 1. One output column (OW == 1) over several output rows (OH > 1) with stride_w > 1. init_conf picks exec_trans and,
 *    for OW == 1, `is_os_blocking`: the output rows of a block become one brgemm M block over the input copied into
 *    `inp_buffer` by maybe_conv_inp. The first output row is right; the later rows read buffer memory the copy did not
 *    write (01851 rerun with y_scale = 2048 * x_scale * w_scale, zero point 128, no bias: rows 123, 127, 121 came out
 *    123, 122, 128). Which line goes wrong was not pinned down; a related bug of the same path (the input buffer sized
 *    by brg_blocking_t::get_inp_size, which clamps the stride to min(k, stride), overlapped by the AMX scratch for
 *    stride_h > kh) was fixed after 3.7 (oneDNN PR #5494).
 * 2. An output position whose kernel window lies wholly in the padding along H or W (e.g. padding 2 with a 2x2
 *    kernel, or kh 2 dilated 2 over one input row with padding 1), with x_zero_point != 0. torch passes oneDNN a source
 *    zero point only when x_zero_point != 0 (attr-zero-points:src0 in ONEDNN_VERBOSE); the zero-point compensation
 *    for padded outputs (`req_cal_comp_pad`) is computed by cal_compensation only over non-empty kernel ranges
 *    (`assert(kd_ee > kd_bb && kh_ee > kh_bb && kw_ee > kw_bb)`), while perform_outwork / the brgemm post-ops
 *    apply `src_zp_comp_ptr[comp_ker_offs + ...]` at every output position: the entry of an empty range is scratchpad
 *    memory nobody wrote. Every such conv with x_zero_point 0 agreed.
 *
 * Measured on an Intel Xeon with AMX (Sapphire Rapids class: brg_conv_fwd:avx10_1_512_amx and, for the convs AMX does
 * not take, brg_conv_fwd:avx512_core_vnni), torch 2.6.0 (Debian 13, oneDNN 3.7.2), one thread, each conv run three times:
 *   - vectors/torch-2.6: 5 of its 1,200 onednn convs differ (quantized_conv2d-00365, -01025, -01143, -01851, -02185),
 *     all within the rule; 00365 and 01025 change with MALLOC_PERTURB_, the other three gave the same wrong outputs in
 *     all three runs; none is a rounding difference. The rule leaves out 239 of the 1,200 (96 by its first branch, 143
 *     by its second); the other 961 pass (`qconform run --backend torch26-onednn`);
 *   - fresh draws as vectors/torch-2.6 draws its onednn convs: seed amx-probe-1, 31 of 3,877 differ; amx-probe-2, 38
 *     of 3,887 (the rule was read off these); amx-probe-3, drawn after, 26 of 3,853: every one within the rule. Of the
 *     convs that agreed, 863 resp. 782 are within the rule (left out although they agreed: the rule is a superset, it
 *     also covers 1x1, depthwise and jit kernels that never differed) and 2,986 resp. 3,045 outside it;
 *   - seed amx-probe-1 with ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI (no AMX kernels): 18 differ, 17 of them following the
 *     allocator's leftovers, all within the rule; vectors/torch-2.6 so capped: 01851 and 02185 differ. So oneDNN 3.7's
 *     AVX-512 VNNI kernels read unwritten memory on these convs too, on this CPU (its cache sizes set the blocking);
 *     on the AMD EPYC (AVX-512 VNNI, no AMX, Zen 5 class: "Turin-like", with AVX-VNNI) that wrote vectors/torch-2.6
 *     all 1,200 came out right.
 *
 * Measured on an AMD EPYC of the Zen 4 class under KVM (family 25 model 17: AVX-512 VNNI, no AVX-VNNI, no AMX; 32 KiB L1d,
 * 1 MiB L2 per core), torch 2.6.0 in the chroot, oneDNN v3.7.2 brg_conv_fwd:avx512_core_vnni with attr-scratchpad:user:
 *   - `npm run vectors:check:torch26` (one thread, every conv in a fresh forked child) changes exactly 01851 and 02185,
 *     both within the first branch (OW 1, OH 3 resp. 4, stride_w 3 resp. 2, x_zero_point 0); the first output row is
 *     right, later rows are not: 01851 y[7], y[8] (channel 2, rows 1 and 2) 255 -> 0; 02185 y[1..3] 0 -> 255. Their
 *     y_scale is tiny (about 1e-8 and 1.5e-7), so every output saturates to 0 or 255 and the wrong rows come out the
 *     same in every run, also under MALLOC_PERTURB_; rerun unsaturated (y_scale = f32(2048 x_scale w_scale), zero
 *     point 128, no bias, no relu) the later rows are wrong and some follow MALLOC_PERTURB_ (01851 channel 0 rows 1
 *     and 2: impl 127, 121; torch 122 in all three runs, and 128 / 122 / 125 plain / =85 / =170; 02185 rows 1-3: impl
 *     121, 119, 119; torch 131, 123, then 124 / 139 / 132). The other 237 convs within the rule and the other 961
 *     onednn convs agree.
 *   - the same wrong outputs capped at ONEDNN_MAX_CPU_ISA=AVX512_CORE_VNNI and at AVX512_CORE (brg_conv_fwd:avx512_core);
 *     at AVX2_VNNI, AVX2 or SSE41 oneDNN runs jit_uni_int8 and both are right;
 *   - the per-core cache sizes oneDNN's blocking reads (platform::get_per_core_cache_size, interposed by LD_PRELOAD:
 *     L1 4 KiB to 1 MiB, L2 64 KiB to 32 MiB) change nothing; the thread count does: torch.set_num_threads(2) leaves
 *     one wrong row in each, 4 gives the right outputs (each thread's block is then one output row).
 *   So the committed outputs (torch-onednn@2's) are right and this host's are the allocator-dependent ones; why the
 *   Turin-like host read memory that gave the right answers was not measured (no such CPU here).
 *   `npm run vectors:check:torch26` reports such convs as known and keeps the committed outputs
 *   (torch26_kept_deviation.ts).
 */
import { torchConvOutputSize } from '../../../contract/conv.js';
import type { WireRequest } from '../../protocol/messages.js';

/** The facts of a conv the rule looks at (x [N, C, H, W], weight [OC, C / groups, KH, KW]). */
export interface Onednn37ConvFacts {
  readonly h: number;
  readonly w: number;
  readonly kh: number;
  readonly kw: number;
  readonly stride: readonly [number, number];
  readonly padding: readonly [number, number];
  readonly dilation: readonly [number, number];
  readonly xZeroPoint: number;
}

/** Whether some output index along one axis has no kernel tap inside the input (its window lies in the padding). */
function someWindowInPadding(input: number, kernel: number, stride: number, padding: number, dilation: number): boolean {
  const out = torchConvOutputSize(input, kernel, stride, padding, dilation);
  for (let o = 0; o < out; o++) {
    let inside = false;
    for (let k = 0; k < kernel && !inside; k++) {
      const i = o * stride - padding + k * dilation;
      inside = i >= 0 && i < input;
    }
    if (!inside) return true;
  }
  return false;
}

/** Why oneDNN 3.7's brgemm conv reads memory it never wrote on this conv (the two rules above), or null. */
export function onednn37UnwrittenReads(f: Onednn37ConvFacts): string | null {
  const oh = torchConvOutputSize(f.h, f.kh, f.stride[0], f.padding[0], f.dilation[0]);
  const ow = torchConvOutputSize(f.w, f.kw, f.stride[1], f.padding[1], f.dilation[1]);
  if (oh <= 0 || ow <= 0) return null; // no output (torch's C-division size): torch returns an empty y or refuses it (empty_output)
  if (ow === 1 && oh > 1 && f.stride[1] > 1) return 'one output column over several rows with stride_w > 1: oneDNN 3.7 brgemm conv (exec_trans, os blocking) reads input-buffer rows it did not copy';
  if (f.xZeroPoint !== 0 && (someWindowInPadding(f.h, f.kh, f.stride[0], f.padding[0], f.dilation[0]) || someWindowInPadding(f.w, f.kw, f.stride[1], f.padding[1], f.dilation[1]))) {
    return 'a kernel window wholly in the padding with x_zero_point != 0: oneDNN 3.7 brgemm conv applies a source zero-point compensation entry it never computed';
  }
  return null;
}

const pair = (v: unknown): [number, number] | null => (Array.isArray(v) && v.length === 2 && v.every((n) => Number.isInteger(n)) ? [v[0] as number, v[1] as number] : null);
const shape = (t: unknown): readonly number[] | null => {
  const s = (t as { shape?: unknown } | null | undefined)?.shape;
  return Array.isArray(s) && s.length === 4 && s.every((n) => Number.isInteger(n)) ? (s as number[]) : null;
};

/**
 * onednn37UnwrittenReads of a quantized_conv2d@1 request, or null for other requests and for requests too malformed to
 * say (those reach torch and are judged as usual).
 */
export function onednn37UnwrittenReadsOf(request: WireRequest): string | null {
  if (request.op !== 'quantized_conv2d@1') return null;
  const a = request.attrs ?? {};
  const [x, w] = [shape(request.inputs?.x), shape(request.inputs?.weight)];
  const [stride, padding, dilation] = [pair(a.stride), pair(a.padding), pair(a.dilation)];
  if (!x || !w || !stride || !padding || !dilation || !Number.isInteger(a.x_zero_point) || stride.some((s) => s <= 0)) return null;
  return onednn37UnwrittenReads({ h: x[2]!, w: x[3]!, kh: w[2]!, kw: w[3]!, stride, padding, dilation, xZeroPoint: a.x_zero_point as number });
}
