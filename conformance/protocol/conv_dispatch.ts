/**
 * The wire form of quantized_conv2d@1 (docs/protocol.md, "Conv ops"): decode attrs and inputs into
 * Conv2dArgs, call the implementation, encode the output. Imported by dispatch.ts, which routes conv
 * op names here.
 */
import { type Accumulator, CONV_OP_NAMES, type Conv2dArgs, type ConvOpName, type ConvOps, type RequantScheme, type WeightQuantization } from '../../contract/conv.js';
import { QconformError } from '../../contract/errors.js';
import type { F32Tensor, IntTensor } from '../../contract/tensor.js';
import type { Attrs, Inputs, TypedOutputs } from './messages.js';

export function isConvOpName(op: unknown): op is ConvOpName {
  return typeof op === 'string' && (CONV_OP_NAMES as readonly string[]).includes(op);
}

function bias(i: Inputs, op: string): F32Tensor | IntTensor | null {
  const b = i.optional('bias');
  if (b === null || b.dtype === 'float32' || b.dtype === 'int32') return b;
  throw new QconformError('malformed_request', `${op}: inputs.bias`, b.dtype, 'bias is float32 or int32');
}

/** The typed arguments of a quantized_conv2d@1 request (wire-format checks only; the contract check is the op's). */
export function decodeConvArgs(op: ConvOpName, a: Attrs, i: Inputs): Conv2dArgs {
  return {
    x: i.int('x'),
    xScale: a.f64('x_scale'),
    xZeroPoint: a.int('x_zero_point'),
    weight: i.int('weight'),
    weightQuantization: a.str<WeightQuantization>('weight_quantization'),
    weightScales: i.f64('weight_scales'),
    weightZeroPoints: i.int('weight_zero_points'),
    bias: bias(i, op),
    stride: a.intPair('stride'),
    padding: a.intPair('padding'),
    dilation: a.intPair('dilation'),
    groups: a.int('groups'),
    relu: a.bool('relu'),
    yScale: a.f64('y_scale'),
    yZeroPoint: a.int('y_zero_point'),
    scheme: a.str<RequantScheme>('scheme'),
    accumulator: a.str<Accumulator>('accumulator'),
  };
}

export function evaluateConv(ops: ConvOps, op: ConvOpName, a: Attrs, i: Inputs): TypedOutputs {
  return { y: ops.quantizedConv2d(decodeConvArgs(op, a, i)) };
}
