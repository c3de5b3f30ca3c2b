import type { Conv2dArgs } from '../../contract/conv.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { encodeTensor, f64ToHex } from '../../contract/wire.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';

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

/** `a` as the quantized_conv2d@1 wire request `id` (docs/protocol.md): scales as float64 bit patterns, tensors encoded as JSON, bias only when `a` has one. */
export function convWireRequest(a: Conv2dArgs, id: string): WireRequest {
  return {
    id,
    op: 'quantized_conv2d@1',
    attrs: { scheme: a.scheme, accumulator: a.accumulator, stride: a.stride, padding: a.padding, dilation: a.dilation, groups: a.groups, relu: a.relu, x_scale: f64ToHex(a.xScale), x_zero_point: a.xZeroPoint, y_scale: f64ToHex(a.yScale), y_zero_point: a.yZeroPoint, weight_quantization: a.weightQuantization },
    inputs: { x: encodeTensor(a.x), weight: encodeTensor(a.weight), weight_scales: encodeTensor(a.weightScales), weight_zero_points: encodeTensor(a.weightZeroPoints), ...(a.bias ? { bias: encodeTensor(a.bias) } : {}) },
  } as WireRequest;
}
