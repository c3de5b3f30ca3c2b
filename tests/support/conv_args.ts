import type { Conv2dArgs } from '../../contract/conv.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';

/**
 * A direct quantized_conv2d call for contract-level tests: `x` and `weight` given, everything else defaulted
 * (unit scales, zero points 0, per-tensor, no bias, stride and dilation 1, no padding, one group, no relu,
 * onnxruntime@1, sat16_pairs_im2col) unless overridden.
 */
export function convArgs(o: Pick<Conv2dArgs, 'x' | 'weight'> & Partial<Conv2dArgs> & { weightZeroPoint?: number }): Conv2dArgs {
  const { weightZeroPoint = 0, ...rest } = o;
  return {
    xScale: 1,
    xZeroPoint: 0,
    weightQuantization: 'per_tensor',
    weightScales: f64Tensor([1], [1]),
    weightZeroPoints: intTensor('int64', [1], [weightZeroPoint]),
    bias: null,
    stride: [1, 1],
    padding: [0, 0],
    dilation: [1, 1],
    groups: 1,
    relu: false,
    yScale: 1,
    yZeroPoint: 0,
    scheme: 'onnxruntime@1',
    accumulator: 'sat16_pairs_im2col',
    ...rest,
  };
}
