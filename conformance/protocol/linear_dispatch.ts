/**
 * The wire form of quantized_linear@1 and quantized_linear_dynamic@1 (docs/protocol.md, "Linear ops"): decode
 * attrs and inputs, call the implementation, encode the output. Imported by dispatch.ts.
 */
import type { Accumulator, RequantScheme, WeightQuantization } from '../../contract/conv.js';
import { QconformError } from '../../contract/errors.js';
import { type DynamicLinearAccumulator, LINEAR_OP_NAMES, type LinearOpName, type LinearOps } from '../../contract/linear.js';
import type { F32Tensor, IntTensor } from '../../contract/tensor.js';
import type { Attrs, Inputs, TypedOutputs } from './messages.js';

export function isLinearOpName(op: unknown): op is LinearOpName {
  return typeof op === 'string' && (LINEAR_OP_NAMES as readonly string[]).includes(op);
}

/** Whether an implementation answers the linear ops. */
export function hasLinearOps(ops: object): ops is LinearOps {
  const o = ops as Partial<LinearOps>;
  return typeof o.quantizedLinear === 'function' && typeof o.quantizedLinearDynamic === 'function';
}

function bias(i: Inputs, op: string, allowed: readonly string[]): F32Tensor | IntTensor | null {
  const b = i.optional('bias');
  if (b === null || allowed.includes(b.dtype)) return b as F32Tensor | IntTensor;
  throw new QconformError('malformed_request', `${op}: inputs.bias`, b.dtype, `bias is ${allowed.join(' or ')}`);
}

export function evaluateLinear(ops: LinearOps, op: LinearOpName, a: Attrs, i: Inputs): TypedOutputs {
  const weight = {
    weight: i.int('weight'),
    weightQuantization: a.str<WeightQuantization>('weight_quantization'),
    weightScales: i.f64('weight_scales'),
    weightZeroPoints: i.int('weight_zero_points'),
    relu: a.bool('relu'),
    scheme: a.str<RequantScheme>('scheme'),
  };
  if (op === 'quantized_linear_dynamic@1') {
    return { y: ops.quantizedLinearDynamic({ ...weight, x: i.f32('x'), bias: bias(i, op, ['float32']) as F32Tensor | null, reduceRange: a.bool('reduce_range'), accumulator: a.strOr<DynamicLinearAccumulator>('accumulator', 'int32_wrap') }) };
  }
  return {
    y: ops.quantizedLinear({
      ...weight,
      x: i.int('x'),
      xScale: a.f64('x_scale'),
      xZeroPoint: a.int('x_zero_point'),
      bias: bias(i, op, ['float32', 'int32']),
      yScale: a.f64('y_scale'),
      yZeroPoint: a.int('y_zero_point'),
      accumulator: a.str<Accumulator>('accumulator'),
    }),
  };
}
