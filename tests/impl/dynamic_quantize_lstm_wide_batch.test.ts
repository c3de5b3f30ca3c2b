/**
 * impl's DynamicQuantizeLSTM on a batch of 200,000 rows: max(sequence_lens) was Math.max(...lens), which throws
 * RangeError (Maximum call stack size exceeded) past about 125,000 values. The rows cycle through 7 inputs and 7
 * sequence lengths (0 and 1), so each must equal the same row of a batch of 7. (The reference had the same spread, and
 * another over a step of y; it takes 30 s on this batch, so it was checked by hand: it agrees with impl.)
 */
import { describe, expect, it } from 'vitest';
import type { DynamicQuantizeLstmArgs } from '../../contract/onnx_qops.js';
import { f32Tensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';

/** seq 1, input 1, hidden 1; row i reads x = (i mod 7) - 3 with sequence length 1, but every 7th row has length 0. */
function lstm(batch: number): DynamicQuantizeLstmArgs {
  return {
    x: f32Tensor([1, batch, 1], Float32Array.from({ length: batch }, (_, i) => (i % 7) - 3)),
    w: intTensor('quint8', [1, 1, 4], [200, 10, 128, 90]),
    r: intTensor('quint8', [1, 1, 4], [140, 140, 140, 140]),
    b: null,
    sequenceLens: intTensor('int32', [batch], Int32Array.from({ length: batch }, (_, i) => (i % 7 === 6 ? 0 : 1))),
    initialH: null,
    initialC: null,
    p: null,
    wScale: f32Tensor([1], [0.02]),
    wZeroPoint: intTensor('quint8', [1], [128]),
    rScale: f32Tensor([1, 4], [0.01, 0.02, 0.03, 0.04]),
    rZeroPoint: intTensor('quint8', [1, 4], [120, 120, 120, 120]),
    hiddenSize: 1,
    direction: 'forward',
    clip: null,
    inputForget: 0,
    activations: null,
    activationAlpha: null,
    activationBeta: null,
    accumulator: 'int32_wrap',
  };
}

describe('impl DynamicQuantizeLSTM on a wide batch', () => {
  it('200,000 rows give, row by row, what a batch of 7 gives', () => {
    const rows = 200_000;
    const wide = impl.dynamicQuantizeLstm(lstm(rows));
    const seven = impl.dynamicQuantizeLstm(lstm(7));
    expect(new Set(seven.y.data).size, 'the 7 rows differ (not vacuous)').toBeGreaterThan(3);
    for (const key of ['y', 'yH', 'yC'] as const) {
      const got = wide[key].data;
      expect(got.length).toBe(rows);
      for (let i = 0; i < rows; i++) if (!Object.is(got[i], seven[key].data[i % 7])) expect.fail(`${key}[${i}] = ${got[i]}, a batch of 7 gives ${seven[key].data[i % 7]}; replay: npx vitest run tests/impl/dynamic_quantize_lstm_wide_batch.test.ts`);
    }
  });
});
