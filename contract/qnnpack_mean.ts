/**
 * qnnpack_mean@1: torch 1.13.1's Tensor.mean over dims (2, 3) of a quint8 [N, C, H, W] tensor under the qnnpack engine,
 * where torch runs QNNPACK's global average pooling instead of its own kernels (a ShuffleNetV2 or MobileNet head's
 * `x.mean([2, 3])` converted for qnnpack): aten/src/ATen/native/quantized/cpu/ReduceOps.cpp mean_out_quantized_cpu and
 * qnnpack_mean, QNNPACK pytorch_qnnp_create_global_average_pooling_nwc_q8 and _setup_ (qnnpack/src/global-average-pooling.c)
 * and its x86 ukernels (src/q8gavgpool/up8x7-sse2.c, up8xm-sse2.c, mp8x7p7q-sse2.c), which compute alike.
 * Read in Debian's pytorch 1.13.1 source; measured on Debian's torch 1.13.1 (vectors/torch-1.13-qnnpack-mean).
 *
 * The output is quint8 with x's scale s and zero point z, shape [N, C] ([N, C, 1, 1] with keepdim). Per (n, c), with
 * K = H W the values averaged:
 *   acc = sum of the K stored values - K z              (int32; |acc| < 2^30 within MAX_TENSOR_ELEMENTS, no wrap)
 *   m   = f32(f32(s) / f32(f32(s) f32(K)))               (float32: input_scale / (output_scale * width))
 *   y   = clamp(cvtps2dq(f32(f32(acc) m)) + z, 0, 255)    (rounded half to even; QNNPACK's average pools' output step)
 * which is qnnpack_avg_pool2d@1's arithmetic over one window of the whole plane. It differs from quantized_mean@1's
 * (nearbyint(f32(f32(S) / f32(K))) on the sum S of stored values, or the float path) where the mean lies on a
 * half-integer: QNNPACK rounds the centered mean S / K - z half to even, so an odd z moves the tie.
 *
 * Only the literal dims [2, 3] take this path (mean_out_quantized_cpu compares dim[0] == 2 and dim[1] == 3): torch runs
 * x.mean([-2, -1]) or x.mean([3, 2]) of the same tensor with quantized_mean@1's kernels on the qnnpack engine too, and a
 * qint8 x as well; those are refused here (`unsupported_by_scheme`, `invalid_dtype`), naming quantized_mean@1. x's memory
 * format changes nothing (the path makes x channels_last itself), nor do the ATen capability and thread count (QNNPACK's
 * integer sums are exact in any order).
 *
 * Refused as torch refuses: a float32 scale that is not a positive normal (QNNPACK's create fails: "failed to create
 * QNNPACK Global Average Pooling operator", `unsupported_by_scheme`). torch also refuses C = 0 and H W = 0; like
 * quantized_mean@1, this op takes no empty dimension (`shape_mismatch`).
 */
import type { IntTensor } from './tensor.js';

export interface QnnpackMeanAttrs {
  /** x's q_scale (a double; QNNPACK takes it as a float32) and q_zero_point */
  readonly xScale: number;
  readonly xZeroPoint: number;
  /** the dimensions reduced, as the forward writes them: [2, 3] is the only list that runs QNNPACK */
  readonly dims: readonly number[];
  readonly keepdim: boolean;
}

export interface QnnpackMeanOps {
  /** its output's qparams are x's */
  qnnpackMean(x: IntTensor, attrs: QnnpackMeanAttrs): IntTensor;
}
