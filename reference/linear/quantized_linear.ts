/**
 * quantized_linear@1, exact reference: the 1x1 conv over M rows that the linear is (contract/linear.ts says why
 * torch's qnnpack and onednn linears compute exactly that), through the conv reference; no arithmetic of its own.
 */
import type { LinearArgs } from '../../contract/linear.js';
import { asLinearRun, linearAsConv, linearOutput } from '../../contract/linear_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { quantizedConv2d } from '../conv/conv2d.js';

/**
 * quantized::linear (torch 1.13 aten/src/ATen/native/quantized/cpu/qlinear.cpp) as the 1x1 conv it computes: quantizedConv2d's
 * domains (exact integer accumulator, the scheme's epilogue). x's K = 0 with M >= 1 (qnnpack, any weight K: it packs the
 * weight with x's K, none of it; contract/linear_checks.ts) is the conv of no input channels and an empty weight: each
 * accumulator is the bias alone and y its requantization, the scheme's usual one.
 */
export function quantizedLinear(a: LinearArgs): IntTensor {
  const { conv, geometry, shape } = linearAsConv(a);
  // N = 0 (taken where torch returns an empty output: contract/linear_checks.ts emptyLinearRefusal): no output channel, no conv to run
  if (shape.n === 0) return intTensor(geometry.dtype, shape.outShape, []);
  return linearOutput(asLinearRun(() => quantizedConv2d(conv)), shape);
}
