import fc from 'fast-check';
import { type F32Tensor, f32Tensor, numel } from '../../contract/tensor.js';
import { batchValues } from './batch_values.js';

/** Batch shapes for per-tensor observers: 1-D of 1..40 (crossing the 8-lane aminmax split), 2-D, or empty. */
const perTensorBatchShape = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 40 }).map((n) => [n]) },
  { weight: 2, arbitrary: fc.tuple(fc.integer({ min: 1, max: 4 }), fc.integer({ min: 1, max: 10 })).map(([a, b]) => [a, b]) },
  { weight: 1, arbitrary: fc.constantFrom([0], [0, 3], [3, 0]) },
);

export const perTensorBatch: fc.Arbitrary<F32Tensor> = perTensorBatchShape.chain((shape) => batchValues(numel(shape)).map((v) => f32Tensor(shape, v)));

/** 1 to 4 batches for a per-tensor observer. */
export const perTensorBatches: fc.Arbitrary<F32Tensor[]> = fc.array(perTensorBatch, { minLength: 1, maxLength: 4 });
