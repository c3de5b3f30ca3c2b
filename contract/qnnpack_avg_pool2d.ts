/**
 * qnnpack_avg_pool2d@1: torch 1.13.1's avg_pool2d and adaptive_avg_pool2d on a quint8 tensor under the qnnpack engine,
 * where torch runs QNNPACK's average pooling (what a MobileNetV2 or ResNet classifier's pool, or Inception's pool
 * branches, run after conversion for qnnpack): aten/src/ATen/native/quantized/cpu/AveragePool2d.cpp qnnpack_avg_pool2d
 * (avg_pool2d without ceil_mode; adaptive_avg_pool2d, AdaptiveAveragePooling.cpp, when the output size divides the
 * input's and differs from it, with kernel = stride = input / output and no padding), QNNPACK
 * pytorch_qnnp_create_average_pooling2d_nhwc_q8 (qnnpack/src/average-pooling.c) and its x86 ukernels
 * (src/q8avgpool/up8x9-sse2.c, up8xm-sse2.c, mp8x9p8q-sse2.c), which compute alike. Measured on Debian's torch 1.13.1.
 *
 * The output keeps the input's scale s and zero point z. Windows [o s - p, o s - p + k) per dimension, output size
 * floor((in + 2 p - k) / stride) + 1; the padded positions read a buffer of z. Per output, with K = kH kW:
 *   acc = sum over the window's input positions of (x - z)    (int32; the padding adds 0)
 *   m   = f32(f32(s) / f32(f32(s) f32(K)))                   (float32: input_scale / (output_scale * pooling_size))
 *   y   = clamp(cvtps2dq(f32(f32(acc) m)) + z, 0, 255)        (rounded half to even)
 * So every window divides by K: torch passes neither count_include_pad nor divisor_override to QNNPACK, and this path
 * ignores them (count_include_pad=False and divisor_override give the count_include_pad=True average; a torch bug,
 * reproduced). The op takes them, as torch's call does, and they change nothing.
 *
 * Refused as torch refuses: a 3-D input ("Expected input to be 4-dimensional"), and QNNPACK's create failures ("failed to
 * create QNNPACK Average Pooling operator", unsupported_by_scheme): a 1x1 kernel, a kernel of 2^24 or more elements, a
 * float32 scale that is not a positive normal. Not this op: qint8 and ceil_mode (torch runs its own kernels:
 * quantized_avg_pool2d@1). Scope otherwise as quantized_avg_pool2d@1's (padding at most half the kernel, as torch's
 * pooling_output_shape checks). Outputs in logical NCHW order (torch converts QNNPACK's NHWC output to the input's
 * memory format).
 */
import type { QuantizedAvgPool2dAttrs } from './quantized_avg_pool2d.js';
import type { IntTensor } from './tensor.js';

/** avg_pool2d's arguments but ceil_mode (false here); this path ignores countIncludePad and divisorOverride (null or an int32). */
export type QnnpackAvgPool2dAttrs = Pick<QuantizedAvgPool2dAttrs, 'scale' | 'zeroPoint' | 'kernelSize' | 'stride' | 'padding' | 'countIncludePad' | 'divisorOverride'>;

export interface QnnpackAvgPool2dOps {
  qnnpackAvgPool2d(x: IntTensor, attrs: QnnpackAvgPool2dAttrs): IntTensor;
}
