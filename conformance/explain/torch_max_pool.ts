/**
 * What torch 1.13's quantized max_pool2d refuses, for `qconform explain`'s torch MaxPool2d steps (max_pool.ts): its
 * windows are the ones ORT's MaxPool computes (the model max_pool.ts runs), but its padding rule and its output
 * sizes are its own. Measured with /usr/bin/python3 (Debian torch 1.13.0a0), torch.nn.functional.max_pool2d on
 * quint8 and qint8 tensors under the onednn and qnnpack engines, ceil_mode True and False, every pad up to kernel // 2,
 * dilations 1 to 3 (tests/explain/torch_max_pool.test.ts runs it live):
 *   - wherever torch returns a tensor, its sizes and values are the model's, a window over padding only included
 *     (ceil_mode True as False): it gives the type's lowest value (quint8 0, qint8 -128), as the native kernel starts
 *     each window from numeric_limits<underlying>::lowest() (aten/src/ATen/native/quantized/cpu/Pooling.cpp
 *     spatial_dilated_max_pooling); the one exception is the QNNPACK path below;
 *   - a pad above kernel // 2 is refused ("padding should be smaller than half of kernel_size.", q_maxpool_2d), where
 *     ORT takes any pad below the kernel;
 *   - an output size below 1 is refused ("Given input size: ... Output size is too small.", aten/src/ATen/native/
 *     Pool.h pool2d_shape_check), where ORT gives an empty output (size 0) or, floor mode, truncates a negative
 *     numerator toward zero (torch floors it: pooling_output_shape's div_rtn).
 * The messages are the native kernel's, which runs every ceil_mode pool and every pool under the onednn engine; under
 * the qnnpack engine a quint8 pool with ceil_mode False runs QNNPACK's max pooling instead
 * (QMaxPool2D_arr_args::run), whose messages differ ("pad should be at most half of kernel size, ...",
 * "qnnpack_maxpool2d(): the resulting output Tensor size should be >= 0") and whose values differ from the native
 * kernel's when dilation > 1 and padding > 0 (measured: 67 of 257 such runs): not modelled, explain gives the native
 * kernel's. Also not modelled: torch's native kernel on a [N, C > 1, 1, 1] input with padding writes its output in NHWC
 * order into an NCHW tensor (the channels come out mixed; measured).
 */
import type { MaxPoolStep } from './model_types.js';
import { ModelReadError } from './model_types.js';

/**
 * One spatial dim's output size, as torch 1.13's pooling_output_shape (aten/src/ATen/native/Pool.h), in integers:
 * floor((in + 2 pad - dilation (kernel - 1) - 1 + (ceil ? stride - 1 : 0)) / stride) + 1 (div_rtn floors), then in ceil
 * mode one less when the last window would start at or past in + pad.
 */
export function torchPooledSize(input: number, kernel: number, pad: number, stride: number, dilation: number, ceilMode: boolean): number {
  let out = Math.floor((input + 2 * pad - dilation * (kernel - 1) - 1 + (ceilMode ? stride - 1 : 0)) / stride) + 1;
  if (ceilMode && (out - 1) * stride >= input + pad) out--;
  return out;
}

/** torch's padding rule, shape-independent: each pad at most kernel // 2 (q_maxpool_2d), else a ModelReadError with torch's message. */
export function checkTorchMaxPoolPadding(path: string, step: MaxPoolStep): void {
  const [ph, pw] = step.pads as [number, number];
  if (!(Math.floor(step.kernel[0] / 2) >= ph && Math.floor(step.kernel[1] / 2) >= pw)) {
    throw new ModelReadError(path, `MaxPool2d ${step.name}: padding (${ph}, ${pw}) with kernel_size (${step.kernel.join(', ')}): torch 1.13 refuses it ("padding should be smaller than half of kernel_size.")`);
  }
}

/** torch's output sizes for NCHW `shape`: a ModelReadError with torch's message when one is below 1. */
export function checkTorchPooledSizes(path: string, step: MaxPoolStep, shape: readonly number[]): void {
  const [, c, h, w] = shape as [number, number, number, number];
  const [oh, ow] = [0, 1].map((d) => torchPooledSize(shape[2 + d]!, step.kernel[d]!, step.pads[d]!, step.stride[d]!, step.dilation[d]!, step.ceilMode));
  if (oh! < 1 || ow! < 1) {
    throw new ModelReadError(path, `MaxPool2d ${step.name}: torch 1.13 refuses its input [${shape.join(', ')}] ("Given input size: (${c}x${h}x${w}). Calculated output size: (${c}x${oh}x${ow}). Output size is too small.")`);
  }
}
