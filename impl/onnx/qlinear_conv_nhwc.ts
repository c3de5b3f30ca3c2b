/** qlinear_conv_nhwc@1, fast twin of reference/onnx/qlinear_conv_nhwc.ts: impl's quantized_conv2d@1 (scheme onnxruntime@1) between the NHWC boundary transposes. */
import type { QLinearConvNhwcArgs } from '../../contract/onnx_qops.js';
import { checkQLinearConvNhwc, qlinearConvNhwcOutput } from '../../contract/qlinear_conv_nhwc_checks.js';
import type { IntTensor } from '../../contract/tensor.js';
import { quantizedConv2d } from '../conv/conv2d.js';

export function qlinearConvNhwc(a: QLinearConvNhwcArgs): IntTensor {
  return qlinearConvNhwcOutput(a, quantizedConv2d(checkQLinearConvNhwc('qlinear_conv_nhwc', a)));
}
