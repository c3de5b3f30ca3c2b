/**
 * Every public op of both implementations rejects bad input with the QconformError code of the
 * contract (contract/errors.ts), and its message names what was checked, the rule ([code]) and the value.
 * One table, run against reference/ and impl/ alike.
 */
import { expect, it } from 'vitest';
import type { ErrorCode } from '../../contract/errors.js';
import type { QuantDtype } from '../../contract/dtypes.js';
import type { QuantOps } from '../../contract/ops.js';
import { f32Tensor, f64Tensor, intTensor } from '../../contract/tensor.js';
import { describeEachImplementation } from '../support/implementations.js';
import { expectQconformError } from '../support/qconform_error_assertions.js';
import * as call from '../support/op_calls.js';
import { CONFIGURED_OPS, MATRIX, RAGGED, VALID_CALLS, f32Vector, f64Vector, int32Vector, int64Vector, scalar } from '../support/op_calls.js';

interface BadInput {
  readonly name: string;
  readonly code: ErrorCode;
  /** Fragments the message must contain: what was checked and the offending value. */
  readonly mentions: readonly string[];
  readonly run: (ops: QuantOps) => unknown;
}

const bad = (name: string, code: ErrorCode, mentions: readonly string[], run: (ops: QuantOps) => unknown): BadInput => ({ name, code, mentions, run });
const quint8Matrix = (...values: number[]) => intTensor('quint8', [2, 3], values);
const configuredOps = Object.entries(CONFIGURED_OPS);

const PER_CHANNEL_OBSERVERS = [
  ['per_channel_min_max_observer', call.perChannelMinMaxObserver],
  ['moving_average_per_channel_min_max_observer', call.movingAveragePerChannelMinMaxObserver],
] as const;
const OBSERVERS = [
  ['min_max_observer', call.minMaxObserver],
  ['moving_average_min_max_observer', call.movingAverageMinMaxObserver],
  ...PER_CHANNEL_OBSERVERS,
  ['fixed_qparams_observer', call.fixedQparamsObserver],
] as const;

/** Each op that takes a (double) scale, with that scale replaced; per-channel ops get it as channel 1. */
const SCALE_TAKERS: ReadonlyArray<readonly [what: string, run: (ops: QuantOps, scale: number) => unknown]> = [
  ['quantize_per_tensor: scale', (ops, scale) => call.quantizePerTensor(ops, { scale })],
  ['dequantize_per_tensor: scale', (ops, scale) => call.dequantizePerTensor(ops, { scale })],
  ['fake_quantize_per_tensor_affine: scale', (ops, scale) => call.fakeQuantizePerTensorAffine(ops, { scale })],
  ['fixed_qparams_observer: scale', (ops, scale) => call.fixedQparamsObserver(ops, { scale })],
  ['quantize_per_channel: scales[1]', (ops, s) => call.quantizePerChannel(ops, { scales: f64Vector(0.5, s) })],
  ['dequantize_per_channel: scales[1]', (ops, s) => call.dequantizePerChannel(ops, { scales: f64Vector(0.5, s) })],
  ['fake_quantize_per_channel_affine: scales[1]', (ops, s) => call.fakeQuantizePerChannelAffine(ops, { scales: f32Vector(0.5, s) })],
];

const BAD_SCALES: ReadonlyArray<readonly [scale: number, code: ErrorCode, printed: string]> = [
  [NaN, 'scale_not_finite', 'got NaN'],
  [Infinity, 'scale_not_finite', 'got Infinity'],
  [-Infinity, 'scale_not_finite', 'got -Infinity'],
  [0, 'scale_not_positive', 'got 0'],
  [-0, 'scale_not_positive', 'got -0'],
  [-0.5, 'scale_not_positive', 'got -0.5'],
];

const SCALE_CASES = SCALE_TAKERS.flatMap(([what, run]) =>
  BAD_SCALES.map(([scale, code, printed]) => bad(`${what} = ${printed.slice(4)}`, code, [what, printed], (ops) => run(ops, scale))),
);

const FLOAT_QPARAMS_CASES = [
  ...([
    ['quantize_per_channel_float_qparams', call.quantizePerChannelFloatQparams],
    ['dequantize_per_channel_float_qparams', call.dequantizePerChannelFloatQparams],
  ] as const).flatMap(([name, run]) => [
    bad(`${name}: scales[1] = -1`, 'scale_not_positive', [`${name}: scales[1]`, 'got -1'], (ops) => run(ops, { scales: f32Vector(0.5, -1) })),
    bad(`${name}: scales[1] = NaN`, 'scale_not_finite', [`${name}: scales[1]`, 'got NaN'], (ops) => run(ops, { scales: f32Vector(0.5, NaN) })),
  ]),
  // (their NaN and infinite zero points are computed as torch computes them: tests/backends/torch_float_zero_points.test.ts)
];

const ZERO_POINT_CASES = [
  bad('quantize_per_tensor: qint8 zero_point 128', 'zero_point_out_of_range', ['quantize_per_tensor: zero_point', 'got 128'], (ops) =>
    call.quantizePerTensor(ops, { dtype: 'qint8', zeroPoint: 128 }),
  ),
  bad('quantize_per_tensor: quint8 zero_point -1', 'zero_point_out_of_range', ['quantize_per_tensor: zero_point', 'got -1'], (ops) =>
    call.quantizePerTensor(ops, { dtype: 'quint8', zeroPoint: -1 }),
  ),
  bad('quantize_per_tensor: quint4x2 zero_point 256 (torch checks uint8, its underlying type)', 'zero_point_out_of_range', ['got 256'], (ops) => call.quantizePerTensor(ops, { dtype: 'quint4x2', zeroPoint: 256 })),
  bad('dequantize_per_tensor: quint8 zero_point 256', 'zero_point_out_of_range', ['dequantize_per_tensor: zero_point', 'got 256'], (ops) =>
    call.dequantizePerTensor(ops, { zeroPoint: 256 }),
  ),
  bad('quantize_per_channel: qint8 zero_points[1] 128', 'zero_point_out_of_range', ['zero_points[1]', 'got 128'], (ops) =>
    call.quantizePerChannel(ops, { zeroPoints: int64Vector(0, 128) }),
  ),
  bad('dequantize_per_channel: quint8 zero_points[1] -1', 'zero_point_out_of_range', ['zero_points[1]', 'got -1'], (ops) =>
    call.dequantizePerChannel(ops, { zeroPoints: int64Vector(0, -1) }),
  ),
  bad('fake_quantize_per_tensor_affine: zero_point 11 outside [0, 10]', 'zero_point_out_of_range', ['fake_quantize_per_tensor_affine: zero_point', 'got 11'], (ops) =>
    call.fakeQuantizePerTensorAffine(ops, { quantMin: 0, quantMax: 10, zeroPoint: 11 }),
  ),
  bad('fake_quantize_per_channel_affine: zero_points[1] 256 outside [0, 255]', 'zero_point_out_of_range', ['zero_points[1]', 'got 256'], (ops) =>
    call.fakeQuantizePerChannelAffine(ops, { zeroPoints: int32Vector(0, 256) }),
  ),
  bad('fixed_qparams_observer: zero_point 2^31 outside its int32 buffer', 'zero_point_out_of_range', ['fixed_qparams_observer: zero_point (an int32 buffer)', 'got 2147483648', 'allowed [-2147483648, 2147483647]'], (ops) =>
    call.fixedQparamsObserver(ops, { zeroPoint: 2 ** 31 }),
  ),
  bad('quantize_per_tensor: zero_point 1.5', 'invalid_integer', ['zero_point', 'got 1.5'], (ops) => call.quantizePerTensor(ops, { zeroPoint: 1.5 })),
];

/** torch _validate_qmin_qmax / calculate_qmin_qmax, for calculate_qmin_qmax and every configured op. */
const QUANT_RANGE_RULES: ReadonlyArray<readonly [label: string, range: { dtype: QuantDtype; quantMin: number; quantMax: number }, code: ErrorCode, printed: string]> = [
  ['[1, 10]', { dtype: 'quint8', quantMin: 1, quantMax: 10 }, 'quant_range_excludes_zero', 'got [1,10]'],
  ['[0, 0]', { dtype: 'quint8', quantMin: 0, quantMax: 0 }, 'quant_range_not_increasing', 'got [0,0]'],
  ['qint8 [-200, 200]', { dtype: 'qint8', quantMin: -200, quantMax: 200 }, 'quant_range_too_wide', 'got 401'],
  ['qint32 [-2^31, 2^31 - 1]', { dtype: 'qint32', quantMin: -(2 ** 31), quantMax: 2 ** 31 - 1 }, 'quant_range_too_wide', 'got 4294967296'],
];

const QUANT_RANGE_CASES = [
  ['calculate_qmin_qmax', call.calculateQminQmax] as const,
  ...configuredOps.map(([name, op]) => [name, op.call] as const),
].flatMap(([name, run]) =>
  QUANT_RANGE_RULES.map(([label, range, code, printed]) =>
    bad(`${name}: quant range ${label}`, code, [`quant_min=${range.quantMin}, quant_max=${range.quantMax}`, printed], (ops) => run(ops, range)),
  ),
);

const SYMMETRIC_REDUCE_RANGE_CASES = configuredOps.map(([name, op]) => {
  const qscheme = op.family === 'per_tensor' ? 'per_tensor_symmetric' : 'per_channel_symmetric';
  return bad(`${name}: ${qscheme} + reduce_range + quint8`, 'symmetric_reduce_range_quint8', [qscheme], (ops) =>
    op.call(ops, { qscheme, reduceRange: true, dtype: 'quint8' }),
  );
});

const DTYPE_AND_QSCHEME_CASES = [
  ...configuredOps.flatMap(([name, op]) => {
    const otherFamily = op.family === 'per_tensor' ? 'per_channel_affine' : 'per_tensor_affine';
    const cases = [
      bad(`${name}: dtype "float16"`, 'invalid_dtype', ['dtype', 'got "float16"'], (ops) => op.call(ops, { dtype: 'float16' as QuantDtype })),
      bad(`${name}: qscheme "per_tensor_affinee"`, 'invalid_qscheme', ['qscheme', 'got "per_tensor_affinee"'], (ops) =>
        op.call(ops, { qscheme: 'per_tensor_affinee' as 'per_tensor_affine' }),
      ),
    ];
    // calculate_qparams takes any qscheme (its state shape then disagrees); observers only their own family
    if (name.endsWith('observer')) {
      cases.push(bad(`${name}: qscheme ${otherFamily}`, 'invalid_qscheme', ['qscheme', `got "${otherFamily}"`], (ops) => op.call(ops, { qscheme: otherFamily })));
    }
    return cases;
  }),
  bad('calculate_qmin_qmax: dtype "uint8"', 'invalid_dtype', ['dtype', 'got "uint8"'], (ops) => call.calculateQminQmax(ops, { dtype: 'uint8' as QuantDtype })),
  bad('calculate_qmin_qmax: dtype "uint8" with a custom range', 'invalid_dtype', ['dtype', 'got "uint8"'], (ops) =>
    call.calculateQminQmax(ops, { dtype: 'uint8' as QuantDtype, quantMin: 0, quantMax: 10 }),
  ),
  bad('quantize_per_tensor: dtype "int8"', 'invalid_dtype', ['quantize_per_tensor: dtype', 'got "int8"'], (ops) => call.quantizePerTensor(ops, { dtype: 'int8' as QuantDtype })),
  bad('quantize_per_channel: dtype "uint8"', 'invalid_dtype', ['quantize_per_channel: dtype', 'got "uint8"'], (ops) => call.quantizePerChannel(ops, { dtype: 'uint8' as QuantDtype })),
  bad('quantize_per_channel_float_qparams: dtype "float16"', 'invalid_dtype', ['dtype', 'got "float16"'], (ops) =>
    call.quantizePerChannelFloatQparams(ops, { dtype: 'float16' as QuantDtype }),
  ),
  bad('fixed_qparams_observer: dtype "int8"', 'invalid_dtype', ['fixed_qparams_observer: dtype', 'got "int8"'], (ops) => call.fixedQparamsObserver(ops, { dtype: 'int8' as QuantDtype })),
  bad('dequantize_per_tensor: an int32 tensor', 'invalid_dtype', ['q.dtype', 'got "int32"'], (ops) => call.dequantizePerTensor(ops, { q: intTensor('int32', [2], [1, 2]) })),
  bad('dequantize_per_channel: an int64 tensor', 'invalid_dtype', ['q.dtype', 'got "int64"'], (ops) => call.dequantizePerChannel(ops, { q: intTensor('int64', [2, 3], [0, 1, 2, 3, 4, 5]) })),
  bad('dequantize_per_channel_float_qparams: an int32 tensor', 'invalid_dtype', ['q.dtype', 'got "int32"'], (ops) =>
    call.dequantizePerChannelFloatQparams(ops, { q: intTensor('int32', [2, 3], [0, 1, 2, 3, 4, 5]) }),
  ),
  bad('quantize_per_channel: quint4x2', 'invalid_dtype', ['quantize_per_channel: dtype', 'got "quint4x2"'], (ops) => call.quantizePerChannel(ops, { dtype: 'quint4x2' })),
  bad('dequantize_per_channel: a quint4x2 tensor', 'invalid_dtype', ['dequantize_per_channel: dtype', 'got "quint4x2"'], (ops) =>
    call.dequantizePerChannel(ops, { q: intTensor('quint4x2', [2, 3], [0, 1, 2, 3, 4, 5]) }),
  ),
];

const OBSERVED_STATE_CASES = [
  bad('min_max_observer: a NaN in the batch', 'nan_observed', ['got {"channel":0'], (ops) => call.minMaxObserver(ops, { batches: [f32Vector(NaN, 1)] })),
  bad('moving_average_min_max_observer: a NaN in the second batch', 'nan_observed', ['got {"channel":0'], (ops) =>
    call.movingAverageMinMaxObserver(ops, { batches: [f32Vector(0, 1), f32Vector(NaN, 1)] }),
  ),
  bad('per_channel_min_max_observer: a NaN in channel 1', 'nan_observed', ['got {"channel":1'], (ops) =>
    call.perChannelMinMaxObserver(ops, { batches: [f32Tensor([2, 2], [0, 1, 2, NaN])] }),
  ),
  bad('moving_average_per_channel_min_max_observer: a NaN in channel 1', 'nan_observed', ['got {"channel":1'], (ops) =>
    call.movingAveragePerChannelMinMaxObserver(ops, { batches: [f32Tensor([2, 2], [0, 1, NaN, 3])] }),
  ),
  bad('calculate_qparams: min_val NaN', 'nan_observed', ['got {"channel":0'], (ops) => call.calculateQparams(ops, { minVal: scalar(NaN) })),
  bad('calculate_qparams: max_val[1] NaN', 'nan_observed', ['got {"channel":1'], (ops) => call.calculateQparamsPerChannel(ops, { maxVal: f32Vector(1, NaN) })),
  bad('calculate_qparams: min_val 3 > max_val 1', 'min_greater_than_max', ['calculate_qparams', 'got {"channel":0'], (ops) =>
    call.calculateQparams(ops, { minVal: scalar(3), maxVal: scalar(1) }),
  ),
  bad('calculate_qparams: min_val[1] 3 > max_val[1] 2', 'min_greater_than_max', ['calculate_qparams', 'got {"channel":1'], (ops) =>
    call.calculateQparamsPerChannel(ops, { minVal: f32Vector(0, 3), maxVal: f32Vector(1, 2) }),
  ),
];

const PER_CHANNEL_LENGTH = ['"axisSize":2', '"paramShape":[3]'];
/** quantize/dequantize_per_channel and fake_quantize_per_channel_affine compare scales with zero points first, as torch does. */
const PARAM_LENGTHS = (scales: number, zeroPoints: number) => [`"scales":[${scales}]`, `"zero_points":[${zeroPoints}]`];
const RAGGED_MENTION = ['"shape":[2,2]', '"elements":3'];
const raggedQuint8 = intTensor('quint8', [2, 2], [1, 2, 3]);

const SHAPE_CASES = [
  bad('quantize_per_channel: 3 scales for 2 channels', 'shape_mismatch', PARAM_LENGTHS(3, 2), (ops) => call.quantizePerChannel(ops, { scales: f64Vector(1, 1, 1) })),
  bad('dequantize_per_channel: 3 zero points for 2 channels', 'shape_mismatch', PARAM_LENGTHS(2, 3), (ops) => call.dequantizePerChannel(ops, { zeroPoints: int64Vector(0, 0, 0) })),
  bad('quantize_per_channel_float_qparams: 3 scales for 2 channels', 'shape_mismatch', PER_CHANNEL_LENGTH, (ops) =>
    call.quantizePerChannelFloatQparams(ops, { scales: f32Vector(1, 1, 1) }),
  ),
  bad('dequantize_per_channel_float_qparams: 3 zero points for 2 channels', 'shape_mismatch', PER_CHANNEL_LENGTH, (ops) =>
    call.dequantizePerChannelFloatQparams(ops, { zeroPoints: f32Vector(0, 0, 0) }),
  ),
  bad('fake_quantize_per_channel_affine: 3 scales for 2 channels', 'shape_mismatch', PARAM_LENGTHS(3, 2), (ops) =>
    call.fakeQuantizePerChannelAffine(ops, { scales: f32Vector(1, 1, 1) }),
  ),
  bad('quantize_per_tensor: x with 3 elements for shape [2, 2]', 'shape_mismatch', RAGGED_MENTION, (ops) => call.quantizePerTensor(ops, { x: RAGGED })),
  bad('quantize_per_channel: x with 3 elements for shape [2, 2]', 'shape_mismatch', RAGGED_MENTION, (ops) => call.quantizePerChannel(ops, { x: RAGGED })),
  bad('quantize_per_channel_float_qparams: ragged x', 'shape_mismatch', RAGGED_MENTION, (ops) => call.quantizePerChannelFloatQparams(ops, { x: RAGGED })),
  bad('fake_quantize_per_tensor_affine: ragged x', 'shape_mismatch', RAGGED_MENTION, (ops) => call.fakeQuantizePerTensorAffine(ops, { x: RAGGED })),
  bad('fake_quantize_per_channel_affine: ragged x', 'shape_mismatch', RAGGED_MENTION, (ops) => call.fakeQuantizePerChannelAffine(ops, { x: RAGGED })),
  bad('dequantize_per_tensor: ragged q', 'shape_mismatch', RAGGED_MENTION, (ops) => call.dequantizePerTensor(ops, { q: raggedQuint8 })),
  bad('dequantize_per_channel: ragged q', 'shape_mismatch', RAGGED_MENTION, (ops) => call.dequantizePerChannel(ops, { q: raggedQuint8 })),
  bad('dequantize_per_channel_float_qparams: ragged q', 'shape_mismatch', RAGGED_MENTION, (ops) => call.dequantizePerChannelFloatQparams(ops, { q: raggedQuint8 })),
  bad('quantize_per_channel: scales with 1 element for shape [2]', 'shape_mismatch', ['"shape":[2]', '"elements":1'], (ops) =>
    call.quantizePerChannel(ops, { scales: f64Tensor([2], [1]) }),
  ),
  ...OBSERVERS.map(([name, run]) => bad(`${name}: a ragged batch`, 'shape_mismatch', RAGGED_MENTION, (ops) => run(ops, { batches: [RAGGED] }))),
  bad('calculate_qparams: ragged min_val', 'shape_mismatch', ['"shape":[2]', '"elements":1'], (ops) =>
    call.calculateQparamsPerChannel(ops, { minVal: f32Tensor([2], [0]) }),
  ),
  bad('calculate_qparams: per_channel_affine with [2] min_val and [3] max_val', 'shape_mismatch', ['got {"min":[2],"max":[3]}'], (ops) =>
    call.calculateQparamsPerChannel(ops, { maxVal: f32Vector(1, 2, 3) }),
  ),
  // torch 1.13 broadcasts these ([] and [1]) and computes; qconform refuses (a CONTRACT_REJECTIONS code)
  bad('calculate_qparams: per_tensor_affine with [] min_val and [1] max_val', 'min_max_shapes_differ', ['calculate_qparams', 'got {"min":[],"max":[1]}', 'broadcast'], (ops) =>
    call.calculateQparams(ops, { maxVal: f32Vector(1) }),
  ),
  bad('calculate_qparams: per_tensor_affine with [] min_val and [3] max_val', 'shape_mismatch', ['calculate_qparams', 'got {"min":[],"max":[3]}', 'more than one value is ambiguous'], (ops) =>
    call.calculateQparams(ops, { maxVal: f32Vector(1, 2, 3) }),
  ),
];

const AXIS_CASES = [
  bad('quantize_per_channel: axis 2 of a 2-D input', 'axis_out_of_range', ['quantize_per_channel: axis', 'got 2'], (ops) => call.quantizePerChannel(ops, { axis: 2 })),
  bad('quantize_per_channel: negative axis -1', 'axis_out_of_range', ['quantize_per_channel: axis', 'got -1'], (ops) => call.quantizePerChannel(ops, { axis: -1 })),
  bad('dequantize_per_channel: negative axis -1', 'axis_out_of_range', ['dequantize_per_channel: axis', 'got -1'], (ops) => call.dequantizePerChannel(ops, { axis: -1 })),
  bad('quantize_per_channel_float_qparams: axis 2', 'axis_out_of_range', ['axis', 'got 2'], (ops) => call.quantizePerChannelFloatQparams(ops, { axis: 2 })),
  bad('dequantize_per_channel_float_qparams: axis -1', 'axis_out_of_range', ['axis', 'got -1'], (ops) => call.dequantizePerChannelFloatQparams(ops, { axis: -1 })),
  bad('fake_quantize_per_channel_affine: axis 2', 'axis_out_of_range', ['fake_quantize_per_channel_affine: axis', 'got 2'], (ops) =>
    call.fakeQuantizePerChannelAffine(ops, { axis: 2 }),
  ),
  ...PER_CHANNEL_OBSERVERS.flatMap(([name, run]) => [
    bad(`${name}: ch_axis 2 of a 2-D batch`, 'axis_out_of_range', [`${name}: ch_axis`, 'got 2'], (ops) => run(ops, { chAxis: 2 })),
    bad(`${name}: ch_axis -3 of a 2-D batch`, 'axis_out_of_range', [`${name}: ch_axis`, 'got -3'], (ops) => run(ops, { chAxis: -3 })),
    bad(`${name}: a 1-D batch`, 'axis_out_of_range', ['batch', 'got [6]'], (ops) => run(ops, { batches: [f32Tensor([6], MATRIX.data)] })),
  ]),
];

const FAKE_QUANT_RANGE_CASES = [
  bad('fake_quantize_per_tensor_affine: quant_min 10 > quant_max 0', 'quant_range_outside_dtype', ['quant_min', 'got [10,0]'], (ops) =>
    call.fakeQuantizePerTensorAffine(ops, { quantMin: 10, quantMax: 0, zeroPoint: 5 }),
  ),
  bad('fake_quantize_per_channel_affine: quant_min 10 > quant_max 0', 'quant_range_outside_dtype', ['quant_min', 'got [10,0]'], (ops) =>
    call.fakeQuantizePerChannelAffine(ops, { quantMin: 10, quantMax: 0, zeroPoints: int32Vector(5, 5) }),
  ),
  bad('fixed_qparams_observer: quant_min 0.5', 'invalid_integer', ['fixed_qparams_observer: quant_min, quant_max', 'got 0.5'], (ops) =>
    call.fixedQparamsObserver(ops, { quantMin: 0.5 }),
  ),
];

const QUANTIZED_VALUE_CASES = [
  bad('placeholder_observer: quint8', 'placeholder_has_no_qparams', ['placeholder_observer', 'got "quint8"'], (ops) => call.placeholderObserver(ops)),
  bad('placeholder_observer: qint8, no batches', 'placeholder_has_no_qparams', ['got "qint8"'], (ops) => call.placeholderObserver(ops, { dtype: 'qint8', batches: [] })),
  bad('dequantize_per_tensor: quint8 value 256', 'invalid_integer', ['q[5]', 'got 256'], (ops) => call.dequantizePerTensor(ops, { q: quint8Matrix(0, 1, 2, 3, 4, 256) })),
  bad('dequantize_per_tensor: qint8 value -129', 'invalid_integer', ['q[0]', 'got -129'], (ops) => call.dequantizePerTensor(ops, { q: intTensor('qint8', [1], [-129]), zeroPoint: 0 })),
  bad('dequantize_per_tensor: quint4x2 value 16', 'invalid_integer', ['q[1]', 'got 16'], (ops) => call.dequantizePerTensor(ops, { q: intTensor('quint4x2', [2], [15, 16]) })),
  bad('dequantize_per_channel: quint8 value -1', 'invalid_integer', ['q[2]', 'got -1'], (ops) => call.dequantizePerChannel(ops, { q: quint8Matrix(0, 1, -1, 3, 4, 5) })),
  bad('dequantize_per_channel_float_qparams: quint8 value 300', 'invalid_integer', ['q[3]', 'got 300'], (ops) =>
    call.dequantizePerChannelFloatQparams(ops, { q: quint8Matrix(0, 1, 2, 300, 4, 5) }),
  ),
];

const BAD_INPUTS: readonly BadInput[] = [
  ...SCALE_CASES,
  ...FLOAT_QPARAMS_CASES,
  ...ZERO_POINT_CASES,
  ...QUANT_RANGE_CASES,
  ...SYMMETRIC_REDUCE_RANGE_CASES,
  ...DTYPE_AND_QSCHEME_CASES,
  ...OBSERVED_STATE_CASES,
  ...SHAPE_CASES,
  ...AXIS_CASES,
  ...FAKE_QUANT_RANGE_CASES,
  ...QUANTIZED_VALUE_CASES,
];

describeEachImplementation('bad input', (ops) => {
  it('the table has unique names', () => {
    expect(new Set(BAD_INPUTS.map((c) => c.name)).size).toBe(BAD_INPUTS.length);
  });

  for (const [name, run] of Object.entries(VALID_CALLS)) {
    it(`baseline: ${name} accepts the unmodified call`, () => {
      expect(() => run(ops)).not.toThrow();
    });
  }

  for (const c of BAD_INPUTS) {
    it(`${c.name} -> ${c.code}`, () => {
      expectQconformError(() => c.run(ops), c.code, c.mentions);
    });
  }
});
