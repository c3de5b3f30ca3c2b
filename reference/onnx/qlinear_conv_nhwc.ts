/**
 * qlinear_conv_nhwc@1, exact reference: com.microsoft QLinearConv with channels_last = 1 as onnxruntime 1.30
 * computes it (onnxruntime/core/providers/cpu/quantization/qlinearconv.cc, the kMSDomain registration of
 * QLinearConv<T>). ORT's kernel computes in NHWC for both layouts (it transposes an NCHW input to NHWC and back), so
 * the arithmetic is quantized_conv2d@1 with scheme onnxruntime@1 (reference/conv/conv2d.ts: the accumulator model in
 * exact integers, then reference/requant/onnxruntime.ts's float32 epilogue) on the NCHW transpose of x padded with
 * z_x (contract/qlinear_conv_nhwc_checks.ts); only the layouts at the boundary change here (no arithmetic). A 1-D conv
 * is the 2-D one with H = KH = 1, a 3-D one the pointwise 2-D conv over its NHWC im2col rows (contract/qlinear_conv_3d.ts);
 * uint8 weights are int8 ones shifted by 128 with their zero point (the same w - z_w).
 */
import type { QLinearConvNhwcArgs } from '../../contract/onnx_qops.js';
import { checkQLinearConvNhwc, qlinearConvNhwcOutput } from '../../contract/qlinear_conv_nhwc_checks.js';
import type { IntTensor } from '../../contract/tensor.js';
import { quantizedConv2d } from '../conv/conv2d.js';

/** com.microsoft QLinearConv<T>::Compute with channels_last (onnxruntime/core/providers/cpu/quantization/qlinearconv.cc): quantizedConv2d on the NCHW view (exact integer accumulator, onnxruntime@1's float32 epilogue). */
export function qlinearConvNhwc(a: QLinearConvNhwcArgs): IntTensor {
  return qlinearConvNhwcOutput(a, quantizedConv2d(checkQLinearConvNhwc('qlinear_conv_nhwc', a)));
}
