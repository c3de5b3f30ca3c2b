import fc from 'fast-check';
import { type F32Tensor, f32Tensor } from '../../contract/tensor.js';
import { permutation } from './permutation.js';
import { perTensorBatches } from './per_tensor_batches.js';

export interface PermutedBatches {
  readonly batches: readonly F32Tensor[];
  /** the same values: batches in another order, elements shuffled inside each batch (shapes kept) */
  readonly permuted: readonly F32Tensor[];
}

function shuffled(batch: F32Tensor, order: readonly number[]): F32Tensor {
  return f32Tensor(batch.shape, order.map((i) => batch.data[i]!));
}

/** Per-tensor observer batches together with a reordering of batches and of the elements in each. */
export const permutedBatches: fc.Arbitrary<PermutedBatches> = perTensorBatches.chain((batches) =>
  fc
    .record({ batchOrder: permutation(batches.length), elementOrders: fc.tuple(...batches.map((b) => permutation(b.data.length))) })
    .map(({ batchOrder, elementOrders }) => ({
      batches,
      permuted: batchOrder.map((b) => shuffled(batches[b]!, elementOrders[b]!)),
    })),
);
