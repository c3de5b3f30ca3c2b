/**
 * QAttention refuses bad input with the contract's typed error, in reference/ and impl/ alike: dtypes and shapes ORT
 * refuses (input rank, weight rows and columns, num_heads dividing hidden, bias length), scales and zero points, the
 * GEMM's accumulator model, mask_index (int32, a form AttentionBase::CheckMask admits, key lengths >= 0) and past
 * (float32 [2, batch, num_heads, *, head_size]), and every request outside the modelled subset (a 4-D mask, a non-finite
 * past, head size above 256, past + sequence above 512, a float32 range that could
 * overflow) as unsupported_by_scheme. Each row also passes with its one defect removed (the base call).
 */
import { describe, expect, it } from 'vitest';
import type { QAttentionArgs } from '../../contract/onnx_qops.js';
import { f32Tensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { type BadInputRow, f32, itRefusesEveryRow, row, s8, u8 } from '../support/onnx_qop_bad_input_rows.js';

/** input at its zero point, so QKV is the bias: equal scores, uniform probabilities, the output the mean of V's rows. */
const BASE: QAttentionArgs = {
  input: u8([1, 2, 2], 128), weight: s8([2, 6], 5), bias: f32([6], 1, 1, 1, 1, 3, -5),
  inputScale: f32([], 0.02), weightScale: f32([], 0.01), inputZeroPoint: u8([], 128), weightZeroPoint: null,
  maskIndex: null, past: null, numHeads: 1, unidirectional: 0, accumulator: 'int32_wrap', softmaxKernel: 'avx512f',
};
const q = (over: Partial<QAttentionArgs>) => (o: Parameters<BadInputRow['run']>[0]) => o.qattention({ ...BASE, ...over });

const ROWS: readonly BadInputRow[] = [
  row('int8 input', 'invalid_dtype', ['input.dtype', 'qint8'], q({ input: s8([1, 2, 2]) })),
  row('2-D input', 'shape_mismatch', ['input', '3-D'], q({ input: u8([2, 2]) })),
  row('3-D weight', 'shape_mismatch', ['weight', '2-D'], q({ weight: s8([1, 2, 6]) })),
  row('weight rows other than input_hidden', 'shape_mismatch', ['weight', 'input_hidden'], q({ weight: s8([3, 6]) })),
  row('weight columns not 3 * hidden', 'shape_mismatch', ['weight', '3 * hidden'], q({ weight: s8([2, 7]), bias: f32([7], 0, 0, 0, 0, 0, 0, 0) })),
  row('num_heads 0', 'malformed_request', ['num_heads'], q({ numHeads: 0 })),
  row('num_heads 2^32 + 1 (ORT: narrowing_error)', 'invalid_integer', ['num_heads', 'narrowing_error'], q({ numHeads: 2 ** 32 + 1 })),
  row('hidden not divisible by num_heads', 'shape_mismatch', ['num_heads', 'divisible'], q({ numHeads: 3 })),
  row('bias of the wrong length', 'shape_mismatch', ['bias', '[6]'], q({ bias: f32([5], 0, 0, 0, 0, 0) })),
  row('bias NaN', 'bias_not_finite', ['bias[2]'], q({ bias: f32([6], 1, 1, Number.NaN, 1, 3, -5) })),
  row('input scale of two elements', 'shape_mismatch', ['input_scale'], q({ inputScale: f32([2], 0.02, 0.02) })),
  row('weight scale of 2 elements', 'shape_mismatch', ['weight_scale', '[6]'], q({ weightScale: f32([2], 0.01, 0.01) })),
  row('weight scale zero', 'scale_not_positive', ['weight_scale'], q({ weightScale: f32([], 0) })),
  row('input zero point of int8', 'invalid_dtype', ['input_zero_point.dtype', 'qint8'], q({ inputZeroPoint: intTensor('qint8', [], [0]) })),
  row('weight zero point of uint8 for an int8 weight', 'invalid_dtype', ['weight_zero_point.dtype', 'quint8'], q({ weightZeroPoint: u8([], 0) })),
  row('weight zero point of 3 elements', 'shape_mismatch', ['weight_zero_point'], q({ weightZeroPoint: s8([3], 0) })),
  row('sat16 pairs with a uint8 weight', 'unsupported_by_scheme', ['accumulator', 'quint8 x quint8'], q({ weight: u8([2, 6], 5), accumulator: 'sat16_pairs_im2col' })),
  row('unknown softmax kernel', 'unknown_scheme', ['softmax_kernel', 'sse2'], q({ softmaxKernel: 'sse2' as never })),
  row('a mask of int8', 'invalid_dtype', ['mask_index.dtype', 'int32'], q({ maskIndex: s8([1], 2) })),
  row('a 1-D mask of 3 for batch 1', 'shape_mismatch', ['mask_index', '[1, 2]'], q({ maskIndex: intTensor('int32', [3], [2, 0, 0]) })),
  row('a 2-D mask [1, 3]', 'shape_mismatch', ['mask_index'], q({ maskIndex: intTensor('int32', [1, 3], [1, 1, 1]) })),
  row('a 3-D mask [1, 1, 2]', 'shape_mismatch', ['mask_index'], q({ maskIndex: intTensor('int32', [1, 1, 2], [1, 1]) })),
  row('a 5-D mask', 'shape_mismatch', ['mask_index'], q({ maskIndex: intTensor('int32', [1, 1, 1, 2, 2], [1, 1, 1, 1]) })),
  row('a negative key length', 'invalid_integer', ['mask_index[0]', 'non-negative'], q({ maskIndex: intTensor('int32', [1], [-1]) })),
  row('a 4-D (Megatron) mask', 'unsupported_by_scheme', ['mask_index', '4D'], q({ maskIndex: intTensor('int32', [1, 1, 2, 2], [1, 1, 1, 1]) })),
  row('past of 4 dimensions', 'shape_mismatch', ['past', 'head_size'], q({ past: f32Tensor([2, 1, 1, 2], [0, 0, 0, 0]) })),
  row('past of the wrong head size', 'shape_mismatch', ['past'], q({ past: f32Tensor([2, 1, 1, 1, 3], [0, 0, 0, 0, 0, 0]) })),
  row('past not finite', 'unsupported_by_scheme', ['past[1]', 'finite'], q({ past: f32Tensor([2, 1, 1, 1, 2], [0, Number.POSITIVE_INFINITY, 0, 0]) })),
  row('past + sequence 513', 'unsupported_by_scheme', ['sequence', '512'], q({ past: f32Tensor([2, 1, 1, 511, 2], new Array(2044).fill(0)) })),
  row('sequence 513', 'unsupported_by_scheme', ['sequence', '512'], q({ input: u8([1, 513, 2], 128) })),
  row('head size 257', 'unsupported_by_scheme', ['head_size', '256'], q({ weight: s8([2, 771], 5), bias: f32([771], ...new Array(771).fill(0)) })),
  row('scores that could overflow float32', 'unsupported_by_scheme', ['float32 range'], q({ bias: f32([6], 1e30, 1e30, 1e30, 1e30, 3, -5) })),
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: QAttention refuses bad input with typed errors`, () => {
    it('accepts the base call: equal scores, probabilities 1/2, the output the mean of the V rows', () => {
      for (const softmaxKernel of ['avx512f', 'fma3'] as const) {
        const { y, present } = ops.qattention({ ...BASE, softmaxKernel });
        expect(present).toBeNull();
        expect(y.dtype).toBe('float32');
        expect(y.shape).toEqual([1, 2, 2]);
        expect([...y.data]).toEqual([3, -5, 3, -5]);
      }
    });
    it('accepts every mask form, causal masking and past state, and returns present with past', () => {
      const i32 = (shape: number[], ...v: number[]) => intTensor('int32', shape, v);
      for (const maskIndex of [i32([1], 1), i32([2], 2, 1), i32([5], 1, 0, 0, 0, 0), i32([1, 2], 1, 0), i32([1, 1], 0), i32([1, 2, 2], 1, 0, 0, 1)]) {
        expect(ops.qattention({ ...BASE, maskIndex, unidirectional: 1 }).y.shape).toEqual([1, 2, 2]);
      }
      expect(ops.qattention({ ...BASE, numHeads: 2 }).y.shape, 'head size 1 (MLAS N = 1 route)').toEqual([1, 2, 2]);
      const { y, present } = ops.qattention({ ...BASE, past: f32Tensor([2, 1, 1, 1, 2], [7, 7, 9, 9]), maskIndex: i32([1, 3], 1, 1, 1) });
      expect(y.shape).toEqual([1, 2, 2]);
      expect(present?.shape).toEqual([2, 1, 1, 3, 2]);
      expect([...present!.data]).toEqual([7, 7, 1, 1, 1, 1, 9, 9, 3, -5, 3, -5]);
    });
    itRefusesEveryRow(ROWS, ops);
  });
}
