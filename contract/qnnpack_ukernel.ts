/**
 * Which QNNPACK micro-kernel family torch 1.13.1's qnnpack engine runs a quantized::conv2d on, as far as it changes
 * the arithmetic: the 1x1 GEMM path or the indirection-buffer paths (q8conv, q8dwconv). Used by reference/ and
 * impl/ alike (one statement of the rule).
 *
 * Selection (aten/src/ATen/native/quantized/cpu/qnnpack/src/convolution.c, pytorch_qnnp_create_convolution*_q8):
 *   dwconv   if kernel_size in {9, 25} and group_input_channels == 1 and group_output_channels == 1 and groups > 1
 *   gemm     else if kernel_size == 1 and stride == (1, 1) and no padding
 *            (xzp_gemm instead when group_input_channels >= q8conv_xzp.kthreshold: an aarch32 NEON kernel, whose
 *            threshold init.c lowers on some ARM cores only; not chosen on x86, where 512 input channels measured as gemm)
 *   conv     otherwise.
 * Dilation does not enter (a 1x1 kernel with dilation 2 runs the GEMM). Measured on torch 1.13.1 (Debian
 * 1.13.1+dfsg-4, x86-64): 1x1 stride 1 padding 0 with groups 1 or 2, dilation 2, or 512 input channels behave as
 * gemm; padding (0, 1), stride (1, 2), 1x2, 3x3, 3x3 depthwise, 1x9 / 9x1 depthwise and 5x5 depthwise as the others
 * (torch 2.6.0, Debian 13, answers tests/properties/qnnpack_bias_packing.test.ts's table the same).
 *
 * What differs is the packed int32 bias (qnnpack::PrePackConvWeights, conv-prepack.cc, with pack.h's packers):
 * pytorch_pack_q8gemm_wrq copies b[i]; pytorch_pack_q8conv_wrq, pytorch_pack_q8dw_wrq and pytorch_pack_q8dw_w_dilation
 * store `b ? b[i] : 0.0f`, an int32 -> float -> int32 round trip. Read from libtorch_cpu.so.1.13.0's
 * PrePackConvWeights::PrePackConvWeights: the gemm branch (ukernel type 7) is a plain `mov`, the conv (5) and
 * dwconv (6) branches `cvtsi2ss` then `cvttss2si`. (A later pack.h revision writes the same ternary in q8gemm_wrq
 * too; the 1.13.1 binary and torch 2.6.0's measured outputs both copy on the gemm path.)
 */
import type { Conv2dArgs } from './conv.js';
import type { ConvGeometry } from './conv_checks.js';

/** `gemm`: pytorch_qnnp_ukernel_type_gemm (q8gemm, bias copied); `indirect`: q8conv or q8dwconv (bias through float32). */
export type QnnpackPath = 'gemm' | 'indirect';

/** The qnnpack path of a checked conv: gemm for a 1x1 kernel with stride (1, 1) and padding (0, 0), else indirect. */
export function qnnpackPath(a: Pick<Conv2dArgs, 'stride' | 'padding'>, g: Pick<ConvGeometry, 'kh' | 'kw'>): QnnpackPath {
  const gemm = g.kh * g.kw === 1 && a.stride[0] === 1 && a.stride[1] === 1 && a.padding[0] === 0 && a.padding[1] === 0;
  return gemm ? 'gemm' : 'indirect';
}
