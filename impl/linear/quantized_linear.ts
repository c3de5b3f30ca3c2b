/** quantized_linear@1, fast: the 1x1 conv over M rows the linear is (contract/linear.ts), through impl/conv. */
import type { LinearArgs } from '../../contract/linear.js';
import { asLinearRun, linearAsConv, linearOutput } from '../../contract/linear_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { quantizedConv2d } from '../conv/conv2d.js';

export function quantizedLinear(a: LinearArgs): IntTensor {
  const { conv, geometry, shape } = linearAsConv(a);
  // N = 0 (taken where torch returns an empty output: contract/linear_checks.ts emptyLinearRefusal): no output channel, no conv to run
  if (shape.n === 0) return intTensor(geometry.dtype, shape.outShape, []);
  return linearOutput(asLinearRun(() => quantizedConv2d(conv)), shape);
}
