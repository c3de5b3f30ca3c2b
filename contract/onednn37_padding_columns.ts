/**
 * torch 2.6's onednn engine (oneDNN 3.7, brgemm convolution brg_conv_fwd) dies (SIGSEGV at address 0, inside
 * dnnl_primitive_execute) on convs whose every output column lies wholly in the padding: no tap of any output column's
 * kernel window along W falls inside the input, with two output columns or more and dilation_w > 1 (e.g. x [1, 1, 5, 1],
 * weight [1, 1, 5, 1], stride [3, 2], padding [0, 1], dilation [1, 2]: torch 1.13's onednn gives [100, 100]).
 *
 * Measured (torch 2.6.0 in the chroot, oneDNN 3.7 brg_conv_fwd:avx512_core_vnni on a Zen 4 EPYC, one thread, each conv
 * in a fresh forked child, by quantized::conv2d directly and through the torch adapter): every death is within this rule,
 * on W = 1..6, KW = 1..3, stride_w 1..6, padding_w 0..4, dilation_w 1..4 (OH 3), on W = 1..3, KW = 1..2, stride_w 2..7,
 * padding_w 1..6, dilation_w 1..8 (the columns all in the padding), on the mirrored H-axis grid, and in
 * tests/backends/torch26_onednn_padding_columns.test.ts (698 convs: OH 1 and 3, 1 or 3 channels, per-tensor and
 * per-channel weights, x_zero_point 0 and 7, bias or not; 15 of its 28 convs within the rule die). No conv whose output
 * rows all lie in the padding died, nor one with a single output column, nor one with an output column touching the input.
 * Within the rule not every conv dies: with KW = 1 a conv dies when dilation_w exceeds a threshold that depends on W,
 * stride_w and padding_w, and that threshold moves with the process's state: under ONEDNN_VERBOSE=1 or =all other convs
 * of the rule die (=all: some of dilation_w 1 too), while MALLOC_PERTURB_=85 / =170 change nothing; the fault is at
 * address 0, so a pointer nobody set, not a function of the geometry. So the whole geometry is refused (a superset of the
 * deaths on any one host, as onednn37_unwritten_reads.ts is for its convs); dilation_w 1 is computed (it died only under
 * ONEDNN_VERBOSE=all, which the adapter never sets). The rule's convs that did not die gave torch-onednn@1's outputs.
 */
import { torchConvOutputSize } from './conv.js';

/** Whether some tap of output column `o`'s kernel window lies inside an input of `input` columns. */
function touchesInput(o: number, input: number, kernel: number, stride: number, padding: number, dilation: number): boolean {
  for (let k = 0; k < kernel; k++) {
    const i = o * stride - padding + k * dilation;
    if (i >= 0 && i < input) return true;
  }
  return false;
}

/** Whether torch 2.6's onednn engine may die on a conv of these W-axis facts (the rule above); OW from torch's sizing. */
export function onednn37PaddingColumnsDie(w: number, kw: number, stride: number, padding: number, dilation: number): boolean {
  if (dilation <= 1) return false;
  const ow = torchConvOutputSize(w, kw, stride, padding, dilation);
  if (ow < 2) return false;
  for (let o = 0; o < ow; o++) if (touchesInput(o, w, kw, stride, padding, dilation)) return false;
  return true;
}

/** Why torch-onednn@2 refuses such a conv (unsupported_by_scheme). */
export const ONEDNN37_PADDING_COLUMNS =
  'every output column lies wholly in the padding (two or more columns, dilation_w > 1): torch 2.6 (oneDNN 3.7 brg_conv_fwd) dies of SIGSEGV on such convs (contract/onednn37_padding_columns.ts)';
