/**
 * DynamicQuantizeLSTM rejects bad input with the contract's typed error, in reference/ and impl/ alike: what ORT 1.30
 * refuses (shapes of x, W, R, B, the states and P; WeightCheck's scale and zero-point shapes; ZeroPointCheck; W and R
 * of different types; clip <= 0; sequence_lens of another shape or type or past seq_length; activations of another
 * count or unknown) and what qconform does not model (ScaledTanh, Elu, Softplus; a second direction's zero point read
 * past the tensor; NaN and infinite inputs, a non-zero one-element int8 zero point, the AVX2 accumulator with uint8
 * weights). Each row also passes with its one defect removed (the base call); reverse, bidirectional, sequence_lens
 * and the other activations are accepted.
 */
import { describe, expect, it } from 'vitest';
import type { DynamicQuantizeLstmArgs } from '../../contract/onnx_qops.js';
import { intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { type BadInputRow, f32, itRefusesEveryRow, row, s8, u8 } from '../support/onnx_qop_bad_input_rows.js';

// seq 2, batch 1, input 2, hidden 1: W [1, 2, 4], R [1, 1, 4]
const LSTM: DynamicQuantizeLstmArgs = {
  x: f32([2, 1, 2], 0.5, -1, 2, 0.25),
  w: intTensor('quint8', [1, 2, 4], [200, 10, 128, 90, 30, 250, 128, 140]),
  r: u8([1, 1, 4], 140),
  b: null, sequenceLens: null, initialH: null, initialC: null, p: null,
  wScale: f32([1], 0.02), wZeroPoint: u8([1], 128), rScale: f32([1, 4], 0.01, 0.02, 0.03, 0.04), rZeroPoint: u8([1, 4], 120),
  hiddenSize: 1, direction: 'forward', clip: null, inputForget: 0, activations: null, activationAlpha: null, activationBeta: null,
  accumulator: 'int32_wrap',
};
const call = (changes: Partial<DynamicQuantizeLstmArgs>) => (o: { dynamicQuantizeLstm: (a: DynamicQuantizeLstmArgs) => unknown }) => o.dynamicQuantizeLstm({ ...LSTM, ...changes });

const ROWS: readonly BadInputRow[] = [
  row('x of rank 2', 'shape_mismatch', ['x', 'seq_length'], call({ x: f32([1, 2], 0.5, 1) })),
  row('x with an empty batch', 'shape_mismatch', ['x'], call({ x: f32([2, 0, 2]) })),
  row('W of another input size', 'shape_mismatch', ['w', 'input_size'], call({ w: u8([1, 3, 4]) })),
  row('W for two directions', 'shape_mismatch', ['w'], call({ w: u8([2, 2, 4]) })),
  row('hidden_size that does not fit R', 'shape_mismatch', ['w'], call({ hiddenSize: 2 })),
  row('hidden_size 0', 'malformed_request', ['hidden_size'], call({ hiddenSize: 0 })),
  row('R of int8 with W of uint8', 'invalid_dtype', ['r.dtype', 'T2'], call({ r: s8([1, 1, 4], 3) })),
  row('W of int32', 'invalid_dtype', ['w.dtype'], call({ w: intTensor('int32', [1, 2, 4], [1, 2, 3, 4, 5, 6, 7, 8]) })),
  row('B of 4H elements', 'shape_mismatch', ['b', '8 * hidden_size'], call({ b: f32([1, 4], 0, 0, 0, 0) })),
  row('initial_h of another batch', 'shape_mismatch', ['initial_h'], call({ initialH: f32([1, 2, 1], 0, 0) })),
  row('P of 4H elements', 'shape_mismatch', ['p', '3 * hidden_size'], call({ p: f32([1, 4], 0, 0, 0, 0) })),
  row('W scale of shape []', 'shape_mismatch', ['w_scale', 'WeightCheck'], call({ wScale: f32([], 0.02) })),
  row('R scale of 3 columns', 'shape_mismatch', ['r_scale'], call({ rScale: f32([1, 3], 0.01, 0.01, 0.01) })),
  row('W scale 0', 'scale_not_positive', ['w_scale'], call({ wScale: f32([1], 0) })),
  row('zero point of int8 with uint8 weights', 'invalid_dtype', ['w_zero_point.dtype'], call({ wZeroPoint: s8([1], 0) })),
  row('per-column uint8 zero point that varies', 'zero_point_out_of_range', ['r_zero_point', 'constant'], call({ rZeroPoint: intTensor('quint8', [1, 4], [120, 120, 121, 120]) })),
  row('per-column int8 zero point not 0', 'zero_point_out_of_range', ['w_zero_point', '0'], call({ w: s8([1, 2, 4]), r: s8([1, 1, 4]), wZeroPoint: intTensor('qint8', [1, 4], [0, 0, 1, 0]), rZeroPoint: s8([1], 0) })),
  row('one-element int8 zero point not 0', 'unsupported_by_scheme', ['w_zero_point', 'not modelled'], call({ w: s8([1, 2, 4]), r: s8([1, 1, 4]), wZeroPoint: s8([1], 5), rZeroPoint: s8([1], 0) })),
  row('clip 0', 'malformed_request', ['clip', '> 0'], call({ clip: 0 })),
  row('clip NaN', 'malformed_request', ['clip'], call({ clip: Number.NaN })),
  row('bidirectional with one direction of weights', 'shape_mismatch', ['w'], call({ direction: 'bidirectional' })),
  row('direction sideways', 'malformed_request', ['direction'], call({ direction: 'sideways' })),
  row('activations Elu (expf)', 'unsupported_by_scheme', ['activations[1]', 'C library'], call({ activations: ['Sigmoid', 'Elu', 'Tanh'] })),
  row('activations ScaledTanh', 'unsupported_by_scheme', ['activations[2]'], call({ activations: ['Sigmoid', 'Tanh', 'ScaledTanh'] })),
  row('activations Softplus', 'unsupported_by_scheme', ['activations[0]'], call({ activations: ['softplus', 'Tanh', 'Tanh'] })),
  row('an unknown activation', 'malformed_request', ['activations[1]', 'Affine'], call({ activations: ['Sigmoid', 'Swish', 'Tanh'] })),
  row('two activations for one direction', 'malformed_request', ['activations', '3 * num_directions'], call({ activations: ['Sigmoid', 'Tanh'] })),
  // a non-finite activation_alpha / activation_beta is no defect: ORT 1.30 computes with it
  // (tests/backends/ort_qlstm_activation_params.test.ts); only one that is not a number is
  row('an activation_alpha a string', 'malformed_request', ['dynamicQuantizeLstm: activationAlpha', '"0.5"'], call({ activations: ['Sigmoid', 'Affine', 'Tanh'], activationAlpha: ['0.5' as unknown as number] })),
  row('input_forget 1.5', 'malformed_request', ['input_forget'], call({ inputForget: 1.5 })),
  row('hidden_size 2^31 (ORT: narrowing_error)', 'invalid_integer', ['hidden_size', 'narrowing_error'], call({ hiddenSize: 2 ** 31 })),
  row('sequence_lens past seq_length', 'invalid_integer', ['sequence_lens[0]', 'seq_length'], call({ sequenceLens: intTensor('int32', [1], [3]) })),
  row('negative sequence_lens', 'invalid_integer', ['sequence_lens[0]'], call({ sequenceLens: intTensor('int32', [1], [-1]) })),
  row('sequence_lens of two rows for one', 'shape_mismatch', ['sequence_lens'], call({ sequenceLens: intTensor('int32', [2], [1, 1]) })),
  row('sequence_lens of int64', 'invalid_dtype', ['sequence_lens.dtype'], call({ sequenceLens: intTensor('int64', [1], [1]) })),
  row('a second direction reading its zero point past a [2] tensor', 'unsupported_by_scheme', ['r_zero_point', 'past the tensor'], call({ direction: 'bidirectional', x: f32([2, 1, 2], 0.5, -1, 2, 0.25), w: u8([2, 2, 4], 130), r: u8([2, 1, 4], 140), wScale: f32([2], 0.02, 0.03), wZeroPoint: intTensor('quint8', [2], [128, 120]), rScale: f32([2, 4], 0.01, 0.02, 0.03, 0.04, 0.01, 0.02, 0.03, 0.04), rZeroPoint: intTensor('quint8', [2], [120, 120]) })),
  row('NaN in x', 'nan_input', ['x[1]', 'DynamicQuantizeLinear'], call({ x: f32([2, 1, 2], 0.5, Number.NaN, 2, 0.25) })),
  row('NaN in initial_h', 'nan_input', ['initial_h[0]'], call({ initialH: f32([1, 1, 1], Number.NaN) })),
  row('infinity in x', 'unsupported_by_scheme', ['x[2]', 'infinite'], call({ x: f32([2, 1, 2], 0.5, 1, Number.POSITIVE_INFINITY, 0.25) })),
  row('infinity in B', 'unsupported_by_scheme', ['b[3]'], call({ b: f32([1, 8], 0, 0, 0, Number.NEGATIVE_INFINITY, 0, 0, 0, 0) })),
  row('NaN in P', 'nan_input', ['p[1]'], call({ p: f32([1, 3], 0, Number.NaN, 0) })),
  row('the AVX2 accumulator with uint8 weights', 'unsupported_by_scheme', ['sat16_pairs_im2col', 'quint8 x quint8'], call({ accumulator: 'sat16_pairs_im2col' })),
  row('an unknown accumulator', 'unknown_scheme', ['accumulator'], call({ accumulator: 'int64' as DynamicQuantizeLstmArgs['accumulator'] })),
  row('an output scale x_scale * w_scale beyond float32', 'scale_not_finite', ['a_scale * b_scale'], call({ x: f32([2, 1, 2], 3e38, -3e38, 1, 1) })),
];

for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
  describe(`${name}: DynamicQuantizeLSTM refuses bad input with typed errors`, () => {
    it('accepts the base call: Y of [seq 2, 1, batch 1, hidden 1], finite and inside (-1, 1), Y_h its last step', () => {
      const { y, yH, yC } = ops.dynamicQuantizeLstm(LSTM);
      expect(y.shape).toEqual([2, 1, 1, 1]);
      expect([...y.data].every((v) => Number.isFinite(v) && Math.abs(v) < 1)).toBe(true);
      expect([...yH.data]).toEqual([y.data[1]]);
      expect(yC.shape).toEqual([1, 1, 1]);
    });

    it('accepts reverse, bidirectional, sequence_lens and the modelled activations; zeros past a length, all zeros for lengths 0', () => {
      const reversed = ops.dynamicQuantizeLstm({ ...LSTM, direction: 'reverse' });
      expect(reversed.yH.data[0]).toBe(reversed.y.data[0]); // the reverse direction ends at time 0
      const short = ops.dynamicQuantizeLstm({ ...LSTM, sequenceLens: intTensor('int32', [1], [1]) });
      expect(short.y.data[1]).toBe(0);
      expect(short.yH.data[0]).toBe(short.y.data[0]);
      const none = ops.dynamicQuantizeLstm({ ...LSTM, sequenceLens: intTensor('int32', [1], [0]), initialC: f32([1, 1, 1], 3) });
      expect([...none.y.data, ...none.yH.data, ...none.yC.data]).toEqual([0, 0, 0, 0]);
      const both = ops.dynamicQuantizeLstm({ ...LSTM, direction: 'bidirectional', w: u8([2, 2, 4], 130), r: u8([2, 1, 4], 140), wScale: f32([2], 0.02, 0.03), wZeroPoint: intTensor('quint8', [2], [128, 120]), rScale: f32([2], 0.01, 0.02), rZeroPoint: intTensor('quint8', [2], [120, 100]) });
      expect(both.y.shape).toEqual([2, 2, 1, 1]);
      expect(both.yC.shape).toEqual([2, 1, 1]);
      for (const name of ['Relu', 'Affine', 'LeakyRelu', 'ThresholdedRelu', 'HardSigmoid', 'Softsign']) {
        const y = ops.dynamicQuantizeLstm({ ...LSTM, activations: ['Sigmoid', name, name], activationAlpha: [0.5, 0.5], activationBeta: [0.25, 0.25] }).y;
        expect(y.data.every(Number.isFinite), name).toBe(true);
      }
    });
    itRefusesEveryRow(ROWS, ops);
  });
}
