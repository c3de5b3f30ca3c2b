/**
 * torch 1.13's Tensor.reshape / Tensor.view on a quantized model's chain (ReshapeStep): the same values, in row-major
 * order, under the target shape; the integers and qparams are kept (measured on quint8 and qint8 conv and linear
 * outputs, both engines: tests/explain/torch_carried_ops.test.ts). The target is resolved on the shape of the tensor
 * reshaped as torch resolves it: x.size(d) is that tensor's dim d (c10/core/WrapDimMinimal.h maybe_wrap_dim: d in
 * [-rank, rank - 1]), and one -1 is inferred from the element count (aten/src/ATen/InferSize.h infer_size_impl); where
 * torch refuses, its message.
 */
import { type F32Tensor, type IntTensor, f32Tensor, numel, reshaped } from '../../contract/tensor.js';
import type { ReshapeDim } from './model_types.js';

/** The target as the forward writes it: [x.size(0), -1]. */
export function reshapeDimsText(dims: readonly ReshapeDim[]): string {
  return `[${dims.map((d) => (typeof d === 'number' ? String(d) : `x.size(${d.inputDim})`)).join(', ')}]`;
}

/** The shape torch gives a tensor of shape `input` reshaped to `dims`, or torch's message refusing it. */
export function torchReshapeShape(dims: readonly ReshapeDim[], input: readonly number[]): { readonly shape: number[] } | { readonly refused: string } {
  const rank = input.length;
  const shape: number[] = [];
  for (const d of dims) {
    if (typeof d === 'number') {
      shape.push(d);
    } else if (d.inputDim < -rank || d.inputDim >= rank) {
      return { refused: `Dimension out of range (expected to be in range of [${-rank}, ${rank - 1}], but got ${d.inputDim})` };
    } else {
      shape.push(input[d.inputDim < 0 ? d.inputDim + rank : d.inputDim]!);
    }
  }
  let known = 1;
  let inferred: number | null = null;
  for (const [i, d] of shape.entries()) {
    if (d === -1) {
      if (inferred !== null) return { refused: 'only one dimension can be inferred' };
      inferred = i;
    } else if (d >= 0) {
      known *= d;
    } else {
      return { refused: `invalid shape dimension ${d}` };
    }
  }
  const count = numel(input);
  const text = `[${shape.join(', ')}]`;
  if (count === known || (inferred !== null && known > 0 && count % known === 0)) {
    if (inferred === null) return { shape };
    if (known === 0) return { refused: `cannot reshape tensor of 0 elements into shape ${text} because the unspecified dimension size -1 can be any value and is ambiguous` };
    shape[inferred] = count / known;
    return { shape };
  }
  return { refused: `shape '${text}' is invalid for input of size ${count}` };
}

/** The chain's integers (and the fake-quant model's floats) reshaped to `dims`, or torch's message refusing it. */
export function reshapeChain(dims: readonly ReshapeDim[], xq: IntTensor, xf: F32Tensor | null): { readonly xq: IntTensor; readonly xf: F32Tensor | null } | { readonly refused: string } {
  const r = torchReshapeShape(dims, xq.shape);
  if ('refused' in r) return r;
  return { xq: reshaped(xq, r.shape), xf: xf ? f32Tensor(r.shape, xf.data) : null };
}
