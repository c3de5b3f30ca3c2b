/**
 * torch 2.6's onednn engine (oneDNN 3.7, brgemm convolution brg_conv_fwd) dies (SIGSEGV at address 0, inside
 * dnnl_primitive_execute) on convs whose every output column lies wholly in the padding: no tap of any output column's
 * kernel window along W falls inside the input, with two output columns or more and dilation_w > 1 (e.g. x [1, 1, 5, 1],
 * weight [1, 1, 5, 1], stride [3, 2], padding [0, 1], dilation [1, 2]: torch 1.13's onednn gives [100, 100]).
 *
 * Measured (torch 2.6.0 in the chroot, Zen 4 EPYC, brg_conv_fwd:avx512_core_vnni, each conv in a fresh forked child;
 * tests/backends/torch26_onednn_padding_columns.test.ts): every death is within this rule, on W = 1..6, KW = 1..3,
 * stride_w 1..7, padding_w 0..6, dilation_w 1..8, OH 1 and 3, per-tensor and per-channel weights, x_zero_point 0 and not.
 * No conv whose output rows (H) all lie in the padding died, nor one with a single output column, nor one with some
 * output column touching the input. Within the rule not every conv dies: with KW = 1, which ones do follows a threshold
 * on dilation_w that moves with the process's state (ONEDNN_VERBOSE=1 or =all makes others die, =all even some of
 * dilation_w 1), not with the heap's contents (MALLOC_PERTURB_ changes nothing): a read of state nobody wrote (the
 * null address), not a function of the geometry. So the whole geometry is refused (a superset of the deaths on any one
 * host, as onednn37_unwritten_reads.ts is for its convs); dilation_w 1 is computed (it died only under ONEDNN_VERBOSE=all,
 * which the adapter never sets). Outputs of the convs within the rule that did not die equalled torch-onednn@2's.
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
