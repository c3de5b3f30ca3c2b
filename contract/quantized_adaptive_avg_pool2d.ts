/**
 * quantized_adaptive_avg_pool2d@1: torch 1.13.1's adaptive_avg_pool2d on a quantized tensor (nn.AdaptiveAvgPool2d and
 * F.adaptive_avg_pool2d after a quantized layer: ResNet's and MobileNetV2's pool before the classifier) on the fbgemm,
 * onednn and x86 engines: adaptive_avg_pool2d_quantized_cpu, aten/src/ATen/native/quantized/cpu/AdaptiveAveragePooling.cpp.
 * The qnnpack engine's own pool (quint8, evenly dividing windows) is another op: qnnpack_avg_pool2d@1 with kernel = stride =
 * input / output.
 *
 * The output keeps the input's scale and zero point. Window o of an output dimension of length O over an input
 * dimension of length I is [floor(f32(o I) / f32(O)), ceil(f32((o + 1) I) / f32(O))), a float32 division (start_index,
 * end_index). Two kernels, chosen by the input's memory layout, round differently:
 *  - NHWC (input.is_contiguous(ChannelsLast): a channels_last tensor, and also a contiguous 4-D one with C = 1 or
 *    H = W = 1): _qadaptive_avg_pool_kernel (kernels/QuantizedOpKernels.cpp). Per window of size n = kH kW:
 *    acc = sum(q) - z n in int32; m = f32(f32(f32(s) / f32(s)) / f32(n)); then quantize_val(f32(1 / m), z, f32(acc)):
 *    (int64) f32(f32(z) + nearbyint(f32(f32(acc) * f32(1 / f32(1 / m))))), clamped to the dtype (a float32 scale of 0 or
 *    inf makes m NaN: every output is the dtype's minimum). Its AVX2 / AVX512 channel blocks call quantize_vec with the
 *    same 1 / m, whose results are quantize_val's, so the CPU capability does not change the outputs.
 *  - NCHW (otherwise, and every 3-D input): adaptive_avg_pool_single_out_frame. The raw values are summed, zero point
 *    included (int64), and rounded: nearbyint(f32(f32(sum) * r)), r = f32(f32(1 / f32(kH)) / f32(kW)) (not always
 *    f32(1 / n)); no clamp (the mean of dtype values stays in the dtype).
 * The forms part where the zero point is odd and the mean is a tie (NCHW rounds q-mean, NHWC rounds q-mean - z): a
 * 2x2 window of 1, 1, 1, 3 with zero point 1 gives 2 in NCHW and 1 in NHWC.
 *
 * Where the outputs land: the NHWC kernel writes them in NHWC order into an output tensor of the input's
 * suggest_memory_format(). That is channels_last for a channels_last input, but NCHW for a contiguous one (C = 1, or
 * H = W = 1): the NHWC-ordered values then fill an NCHW tensor as they are. With C > 1 and more than one output
 * position (a contiguous [N, C, 1, 1] pooled to (2, 2)) its logical values are scrambled: measured, torch 1.13.1
 * (vectors/torch-1.13-pool).
 *
 * Scope: 3-D [C, H, W] or 4-D [N, C, H, W] quint8 or qint8 tensors (qint32 is not modelled); memory_format is the
 * input's layout (channels_last needs 4-D): a contiguous tensor has NCHW strides, a channels_last one the strides torch
 * gives a tensor it allocates channels_last (a quantized conv's output; for H = W = 1 not x.contiguous(memory_format=
 * torch.channels_last), which keeps NCHW strides there). Outputs are given in logical NCHW order.
 */
import type { MemoryFormat } from './aten_vectorized_loop.js';
import type { IntTensor } from './tensor.js';

export interface QuantizedAdaptiveAvgPool2dAttrs {
  /** the input's q_scale and q_zero_point (a double and an integer, as torch stores them); the output keeps them */
  readonly scale: number;
  readonly zeroPoint: number;
  /** [OH, OW] */
  readonly outputSize: readonly [number, number];
  readonly memoryFormat: MemoryFormat;
}

export interface QuantizedAdaptiveAvgPool2dOps {
  quantizedAdaptiveAvgPool2d(x: IntTensor, attrs: QuantizedAdaptiveAvgPool2dAttrs): IntTensor;
}
