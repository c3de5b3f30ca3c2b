/**
 * Small valid linears for the refusal tests (tests/contract/linear_errors.test.ts, linear_refusal_names.test.ts): a
 * static quantized_linear@1 of a [2, 3] quint8 x and a [2, 3] qint8 weight (torch-qnnpack@1), and a dynamic one of a
 * [2, 3] float x with per-channel weight qparams; each test breaks one field through `o`.
 */
import type { DynamicLinearArgs, LinearArgs } from '../../contract/linear.js';
import { f32Tensor, f64Tensor, intTensor } from '../../contract/tensor.js';

export const staticLinearArgs = (o: Partial<LinearArgs> = {}): LinearArgs => ({
  x: intTensor('quint8', [2, 3], [1, 2, 3, 4, 5, 6]),
  xScale: 0.1,
  xZeroPoint: 3,
  weight: intTensor('qint8', [2, 3], [1, -2, 3, -4, 5, -6]),
  weightQuantization: 'per_tensor',
  weightScales: f64Tensor([1], [0.02]),
  weightZeroPoints: intTensor('int64', [1], [0]),
  bias: f32Tensor([2], [0.5, -0.25]),
  relu: false,
  yScale: 0.05,
  yZeroPoint: 10,
  scheme: 'torch-qnnpack@1',
  accumulator: 'int32_wrap',
  ...o,
});

export const dynamicLinearArgs = (o: Partial<DynamicLinearArgs> = {}): DynamicLinearArgs => ({
  x: f32Tensor([2, 3], [0.5, -1, 2, 0.25, 3, -0.75]),
  weight: intTensor('qint8', [2, 3], [1, -2, 3, -4, 5, -6]),
  weightQuantization: 'per_channel',
  weightScales: f64Tensor([2], [0.02, 0.03]),
  weightZeroPoints: intTensor('int64', [2], [0, 4]),
  bias: null,
  relu: true,
  reduceRange: false,
  scheme: 'torch-qnnpack@1',
  accumulator: 'int32_wrap',
  ...o,
});
