/**
 * QEmbedLayerNormalization rejects bad input with the contract's typed error, in reference/ and impl/ alike: what ORT
 * 1.30 refuses (shapes of embed_layer_norm::CheckInputs, ids outside their tables, too few position rows, 8-bit
 * tensors of two dtypes, a negative or NaN epsilon) and what qconform requires besides (the four segment inputs
 * together, one-element finite positive scales, no empty tensor). Each row also passes with its one defect removed
 * (the base call, whose values are worked out by hand).
 */
import { describe, expect, it } from 'vitest';
import { float32BitsOf } from '../../contract/float_bits.js';
import type { QEmbedLayerNormArgs } from '../../contract/onnx_qops.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { type BadInputRow, f32, itRefusesEveryRow, row, s8, u8 } from '../support/onnx_qop_bad_input_rows.js';

const i32 = (shape: number[], ...v: number[]) => intTensor('int32', shape, v);
const q8 = (shape: number[], ...v: number[]) => intTensor('quint8', shape, v);

/** B = 1, S = 2, H = 2: token 0 reads word row 1, token 1 word row 0; one segment row; gamma 2, beta 0.5. */
const BASE: QEmbedLayerNormArgs = {
  inputIds: i32([1, 2], 1, 0),
  segmentIds: i32([1, 2], 0, 0),
  wordEmbedding: q8([2, 2], 10, 10, 12, 8),
  positionEmbedding: q8([3, 2], 10, 10, 10, 10, 10, 10),
  segmentEmbedding: q8([1, 2], 10, 10),
  gamma: q8([2], 12, 12),
  beta: q8([2], 11, 11),
  mask: i32([1, 2], 1, 2),
  wordEmbeddingScale: f32([], 0.5),
  positionEmbeddingScale: f32([1], 0.25),
  segmentEmbeddingScale: f32([], 1),
  gammaScale: f32([], 1),
  betaScale: f32([], 0.5),
  wordEmbeddingZeroPoint: u8([], 10),
  positionEmbeddingZeroPoint: u8([], 10),
  segmentEmbeddingZeroPoint: u8([1], 10),
  gammaZeroPoint: u8([], 10),
  betaZeroPoint: u8([], 10),
  epsilon: 0,
};

const ROWS: readonly BadInputRow[] = [
  row('input id past the word table', 'invalid_integer', ['input_ids[1]', 'word_embedding'], (o) => o.qembedLayerNormalization({ ...BASE, inputIds: i32([1, 2], 1, 2) })),
  row('negative segment id', 'invalid_integer', ['segment_ids[0]', 'segment_embedding'], (o) => o.qembedLayerNormalization({ ...BASE, segmentIds: i32([1, 2], -1, 0) })),
  row('fewer position rows than the sequence', 'shape_mismatch', ['position_embedding', 'sequence_length'], (o) => o.qembedLayerNormalization({ ...BASE, positionEmbedding: q8([1, 2], 10, 10) })),
  row('input_ids of rank 1', 'shape_mismatch', ['input_ids'], (o) => o.qembedLayerNormalization({ ...BASE, inputIds: i32([2], 1, 0) })),
  row('empty input_ids', 'shape_mismatch', ['input_ids'], (o) => o.qembedLayerNormalization({ ...BASE, inputIds: i32([1, 0]) })),
  row('input_ids of uint8', 'invalid_dtype', ['input_ids.dtype'], (o) => o.qembedLayerNormalization({ ...BASE, inputIds: q8([1, 2], 1, 0) })),
  row('position table of another hidden size', 'shape_mismatch', ['position_embedding', 'hidden size 2'], (o) => o.qembedLayerNormalization({ ...BASE, positionEmbedding: u8([3, 3]) })),
  row('word table of rank 1', 'shape_mismatch', ['word_embedding', '2 dimensions'], (o) => o.qembedLayerNormalization({ ...BASE, wordEmbedding: u8([4]) })),
  row('gamma of another length', 'shape_mismatch', ['gamma', '[2]'], (o) => o.qembedLayerNormalization({ ...BASE, gamma: u8([3]) })),
  row('beta of int8', 'invalid_dtype', ['beta.dtype', 'qint8', 'T2'], (o) => o.qembedLayerNormalization({ ...BASE, beta: s8([2]) })),
  row('gamma zero point of int8', 'invalid_dtype', ['gamma_zero_point.dtype', 'qint8'], (o) => o.qembedLayerNormalization({ ...BASE, gammaZeroPoint: s8([]) })),
  row('segment_ids without the segment table', 'malformed_request', ['segment_embedding', 'all four or none'], (o) => o.qembedLayerNormalization({ ...BASE, segmentEmbedding: null })),
  row('segment_ids of another shape', 'shape_mismatch', ['segment_ids'], (o) => o.qembedLayerNormalization({ ...BASE, segmentIds: i32([2, 1], 0, 0) })),
  row('mask of another shape', 'shape_mismatch', ['mask'], (o) => o.qembedLayerNormalization({ ...BASE, mask: i32([2], 1, 1) })),
  row('word scale of two elements', 'shape_mismatch', ['word_embedding_scale'], (o) => o.qembedLayerNormalization({ ...BASE, wordEmbeddingScale: f32([2], 0.5, 0.5) })),
  row('beta scale zero', 'scale_not_positive', ['beta_scale'], (o) => o.qembedLayerNormalization({ ...BASE, betaScale: f32([], 0) })),
  row('gamma scale infinite', 'scale_not_finite', ['gamma_scale'], (o) => o.qembedLayerNormalization({ ...BASE, gammaScale: f32([], Infinity) })),
  row('word value out of range', 'invalid_integer', ['word_embedding[1]'], (o) => o.qembedLayerNormalization({ ...BASE, wordEmbedding: q8([2, 2], 10, 256, 12, 8) })),
  row('negative epsilon', 'malformed_request', ['epsilon', '>= 0'], (o) => o.qembedLayerNormalization({ ...BASE, epsilon: -1e-5 })),
  row('NaN epsilon', 'malformed_request', ['epsilon'], (o) => o.qembedLayerNormalization({ ...BASE, epsilon: Number.NaN })),
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: QEmbedLayerNormalization refuses bad input with typed errors`, () => {
    it('accepts the base call: two tokens, mask_index counting only the 1s', () => {
      const r = ops.qembedLayerNormalization(BASE);
      expect(r.y.shape).toEqual([1, 2, 2]);
      // token 0: word row 1 = (2 * 0.5, -2 * 0.5) = (1, -1), position and segment 0: mean 0, a = (1, -1), variance 1,
      // e = sqrt(1 + 0) = 1, y = a * 2 + 0.5 = (2.5, -1.5); token 1: word row 0 = (0, 0): a = 0, e = 0, 0 / 0 = NaN
      expect([...r.y.data].slice(0, 2)).toEqual([2.5, -1.5]);
      expect(Array.from(r.y.data.slice(2), float32BitsOf)).toEqual([0xffc00000, 0xffc00000]);
      expect(r.maskIndex.dtype).toBe('int32');
      expect([...r.maskIndex.data]).toEqual([1]);
      const noMask = ops.qembedLayerNormalization({ ...BASE, mask: null, segmentIds: null, segmentEmbedding: null, segmentEmbeddingScale: null, segmentEmbeddingZeroPoint: null, epsilon: 3 });
      expect([...noMask.maskIndex.data]).toEqual([0]);
      // epsilon 3: e = sqrt(1 + 3) = 2 for token 0, sqrt(0 + 3) for token 1 (y = 0 * 2 + 0.5)
      expect([...noMask.y.data]).toEqual([1.5, -0.5, 0.5, 0.5]);
    });
    itRefusesEveryRow(ROWS, ops);
  });
}
