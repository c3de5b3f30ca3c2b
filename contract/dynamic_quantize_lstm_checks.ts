/**
 * The contract check of dynamic_quantize_lstm@1 (com.microsoft DynamicQuantizeLSTM as ONNX Runtime 1.30's CPU kernel
 * computes it: onnxruntime/contrib_ops/cpu/quantization/dynamic_quantize_lstm.cc, LSTMBase in
 * core/providers/cpu/rnn/lstm_base.h/.cc, rnn_helpers.cc ValidateCommonRnnInputs), run once by reference/ and impl/.
 *
 * What ORT refuses, refused alike: D = num_directions (1, or 2 for 'bidirectional'); W [D, input_size, 4H] and R
 * [D, H, 4H] of one type (uint8 or int8: the schema's T2), H = hidden_size; each of W_scale, W_zero_point, R_scale,
 * R_zero_point of shape [D] or [D, 4H] (WeightCheck), a zero point of its weight's type; a 2-D int8 zero point all 0, a
 * 2-D uint8 one constant over all its elements (ZeroPointCheck); B [D, 8H]; initial_h, initial_c [D, batch, H]; P
 * [D, 3H]; sequence_lens int32 [batch], each in [0, seq_length]; clip > 0 (LSTMBase: ORT_ENFORCE(clip_ > 0.f));
 * hidden_size >= 1 and an int32 (LSTMBase narrow<int>: narrowing_error, contract/ort_int32_attribute.ts); input_forget
 * any integer, non-zero coupling the gates (LSTMBase: `!= 0`);
 * activations (contract/rnn_activations.ts). (The com.microsoft schema has no layout attribute.)
 *
 * Each direction d takes its scales at scale + d * scale_size and its zero point at zero_point + d * scale_size
 * (dynamic_quantize_lstm.cc: the zero point pointer advances by the scale's size), the first element MLAS reads: with a
 * [2, 4H] scale and a [2] zero point that read is past the tensor, refused (unsupported_by_scheme).
 *
 * Also refused: NaN in x or initial_h (they are quantized as DynamicQuantizeLinear does, whose min/max then depends on
 * the vector lane holding the NaN: nan_input), infinities in any float input (not measured: unsupported_by_scheme),
 * an int8 zero point of one element that is not 0 (ORT then hands its bits to MLAS as a uint8 zero point: not
 * measured). Work: D * seq * batch * 4H * (input + H) multiply-accumulates within MAX_MATMUL_MACS.
 */
import type { QuantDtype } from './dtypes.js';
import { QconformError } from './errors.js';
import { MAX_MATMUL_MACS, checkLimit } from './limits.js';
import { ortNarrowCheckedToInt32 } from './ort_int32_attribute.js';
import { checkAccumulator, checkScales, quantTensor, zeroPointTensor } from './onnx_matmul_checks.js';
import type { DynamicQuantizeLstmArgs, MatmulAccumulator } from './onnx_qops.js';
import type { F32Tensor, IntTensor } from './tensor.js';
import { numel } from './tensor.js';
import { validateF32 } from './validate.js';
import { type LstmActivations, checkLstmActivations } from './rnn_activations.js';

/** float32's largest finite value: LSTMBase's default clip (std::numeric_limits<float>::max()). */
export const FLT_MAX = 3.4028234663852886e38;

export interface LstmGeometry {
  readonly seqLength: number;
  readonly batch: number;
  readonly inputSize: number;
  readonly hidden: number;
  readonly weightDtype: QuantDtype;
  /** 1, or 2 ('bidirectional': direction 0 forward, 1 reverse) */
  readonly directions: number;
  /** each direction runs in reverse time order */
  readonly reverse: readonly boolean[];
  /** per direction, the zero point MLAS takes (the first it reads; ZeroPointCheck made a 2-D one constant) */
  readonly wZeroPoints: readonly number[];
  readonly rZeroPoints: readonly number[];
  /** per batch row, the steps it runs (sequence_lens, or seq_length each) */
  readonly sequenceLens: readonly number[];
  /** max(sequence_lens): the steps each direction runs (LSTMBase::ComputeImpl; 0 zeroes every output) */
  readonly maxLen: number;
  /** per direction */
  readonly activations: readonly LstmActivations[];
  /** clip as float32 (FLT_MAX when absent) */
  readonly clip: number;
  readonly inputForget: boolean;
  readonly accumulator: MatmulAccumulator;
}

function fail(code: 'shape_mismatch' | 'unsupported_by_scheme' | 'malformed_request' | 'zero_point_out_of_range', what: string, value: unknown, detail: string): never {
  throw new QconformError(code, what, value, detail);
}

function checkShape(what: string, t: { shape: readonly number[] }, expected: readonly number[], rule: string): void {
  if (t.shape.length !== expected.length || t.shape.some((d, i) => d !== expected[i])) fail('shape_mismatch', what, { shape: t.shape, expected }, rule);
}

/** A float32 input: no NaN (nan_input where it is quantized, else the same code), no infinity (not measured). */
function checkFloats(what: string, t: F32Tensor, quantized: boolean): void {
  validateF32(what, t);
  t.data.forEach((v, i) => {
    if (Number.isNaN(v)) {
      const why = quantized ? "it is quantized as DynamicQuantizeLinear does: ORT's MlasFindMinMaxElement result then depends on the vector lane holding the NaN" : 'NaN inputs are not modelled';
      throw new QconformError('nan_input', `${what}[${i}]`, v, why);
    }
    if (!Number.isFinite(v)) fail('unsupported_by_scheme', `${what}[${i}]`, v, 'infinite inputs were not measured against ORT 1.30 and are not modelled');
  });
}

/** WeightCheck: a scale or zero point of shape [D] (per tensor) or [D, 4H] (per column). */
function checkWeightParamShape(what: string, t: { shape: readonly number[] }, h4: number, d: number): void {
  const ok = (t.shape.length === 1 && t.shape[0] === d) || (t.shape.length === 2 && t.shape[0] === d && t.shape[1] === h4);
  if (!ok) fail('shape_mismatch', what, t.shape, `[${d}] for per-tensor or [${d}, ${h4}] for per-column quantization (ORT 1.30 WeightCheck)`);
}

/**
 * ZeroPointCheck, and the one-element int8 zero point qconform does not model unless 0; per direction d, the element
 * at d * scaleSize (dynamic_quantize_lstm.cc advances the zero point pointer by the scale's size).
 */
function checkWeightZeroPoint(what: string, zp: IntTensor, dtype: QuantDtype, h4: number, d: number, scaleSize: number): number[] {
  zeroPointTensor(what, zp, dtype);
  checkWeightParamShape(what, zp, h4, d);
  if (dtype === 'qint8' && zp.data.some((v) => v !== 0)) {
    if (zp.shape.length === 2) fail('zero_point_out_of_range', what, [...zp.data], 'ORT 1.30 requires an int8 weight zero point of 0 (DynamicQuantizeLSTM ZeroPointCheck)');
    fail('unsupported_by_scheme', what, [...zp.data], 'a non-zero int8 weight zero point is not modelled (ORT passes its bits to MLAS as a uint8 zero point)');
  }
  const first = zp.data[0] as number;
  if (zp.shape.length === 2 && zp.data.some((v) => v !== first)) fail('zero_point_out_of_range', what, [...zp.data], 'ORT 1.30 requires a 2-D uint8 weight zero point constant over all its elements (DynamicQuantizeLSTM ZeroPointCheck)');
  return Array.from({ length: d }, (_, k) => {
    if (k * scaleSize >= zp.data.length) fail('unsupported_by_scheme', what, zp.shape, `direction ${k} reads its zero point at element ${k * scaleSize} (the scale's size times the direction), past the tensor: ORT reads memory it does not own`);
    return zp.data[k * scaleSize] as number;
  });
}

/** The attributes: hidden_size, direction (MakeDirection), clip, input_forget, activations. */
function checkAttributes(what: string, a: DynamicQuantizeLstmArgs): { clip: number; inputForget: boolean; reverse: boolean[]; activations: LstmActivations[] } {
  if (!Number.isSafeInteger(a.hiddenSize) || a.hiddenSize < 1) fail('malformed_request', `${what}: hidden_size`, a.hiddenSize, 'an integer >= 1');
  ortNarrowCheckedToInt32(`${what}: hidden_size`, a.hiddenSize); // LSTMBase: > 0, then narrow<int> (narrowing_error)
  const reverse = a.direction === 'forward' ? [false] : a.direction === 'reverse' ? [true] : a.direction === 'bidirectional' ? [false, true] : null;
  if (!reverse) fail('malformed_request', `${what}: direction`, a.direction, "'forward', 'reverse' or 'bidirectional'");
  // LSTMBase (lstm_base.h): input_forget_ = int64_value != 0, no range check: any non-zero int64 couples the gates
  if (!Number.isSafeInteger(a.inputForget)) fail('malformed_request', `${what}: input_forget`, a.inputForget, 'an integer (an ONNX INT attribute; any non-zero value is true)');
  const clip = a.clip === null ? FLT_MAX : Math.fround(a.clip);
  if (!(clip > 0)) fail('malformed_request', `${what}: clip`, a.clip, 'clip > 0 (ORT 1.30 LSTMBase: ORT_ENFORCE(clip_ > 0.f))');
  const activations = checkLstmActivations(what, a.activations, a.activationAlpha, a.activationBeta, reverse.length);
  return { clip, inputForget: a.inputForget !== 0, reverse, activations };
}

/** sequence_lens: int32 [batch], each in [0, seq_length] (ValidateCommonRnnInputs); absent: seq_length each. */
function checkSequenceLens(what: string, t: IntTensor | null, seqLength: number, batch: number): number[] {
  if (!t) return new Array<number>(batch).fill(seqLength);
  if (t.dtype !== 'int32') throw new QconformError('invalid_dtype', `${what}: sequence_lens.dtype`, t.dtype, 'sequence_lens is int32');
  checkShape(`${what}: sequence_lens`, t, [batch], 'sequence_lens is [batch_size]');
  const lens = Array.from(t.data, Number);
  const bad = lens.findIndex((v) => !(v >= 0 && v <= seqLength));
  if (bad >= 0) throw new QconformError('invalid_integer', `${what}: sequence_lens[${bad}]`, lens[bad], `each in [0, seq_length = ${seqLength}] (ORT 1.30 ValidateCommonRnnInputs)`);
  return lens;
}

export function checkDynamicQuantizeLstm(a: DynamicQuantizeLstmArgs): LstmGeometry {
  const what = 'dynamic_quantize_lstm';
  const { clip, inputForget, reverse, activations } = checkAttributes(what, a);
  const d = reverse.length;
  if ((a.x as { dtype: string }).dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}: x.dtype`, (a.x as { dtype: string }).dtype, 'x is float32');
  validateF32(`${what}: x`, a.x);
  if (a.x.shape.length !== 3 || a.x.shape.some((d) => d < 1)) fail('shape_mismatch', `${what}: x`, a.x.shape, '[seq_length, batch_size, input_size], each >= 1');
  const [seqLength, batch, inputSize] = a.x.shape as [number, number, number];
  const hidden = a.hiddenSize;
  const h4 = 4 * hidden;
  const weightDtype = quantTensor(`${what}: w`, a.w);
  checkShape(`${what}: w`, a.w, [d, inputSize, h4], 'W is [num_directions, input_size, 4 * hidden_size]');
  if (a.r.dtype !== weightDtype) throw new QconformError('invalid_dtype', `${what}: r.dtype`, a.r.dtype, `W and R share one type (the schema's T2: ${weightDtype})`);
  quantTensor(`${what}: r`, a.r);
  checkShape(`${what}: r`, a.r, [d, hidden, h4], 'R is [num_directions, hidden_size, 4 * hidden_size]');
  for (const [name, s] of [['w_scale', a.wScale], ['r_scale', a.rScale]] as const) {
    checkScales(`${what}: ${name}`, s);
    checkWeightParamShape(`${what}: ${name}`, s, h4, d);
  }
  const scaleSize = (s: F32Tensor) => (s.shape.length === 2 ? h4 : 1);
  const wZeroPoints = checkWeightZeroPoint(`${what}: w_zero_point`, a.wZeroPoint, weightDtype, h4, d, scaleSize(a.wScale));
  const rZeroPoints = checkWeightZeroPoint(`${what}: r_zero_point`, a.rZeroPoint, weightDtype, h4, d, scaleSize(a.rScale));
  const floats: ReadonlyArray<readonly [string, F32Tensor | null, readonly number[], string]> = [
    ['b', a.b, [d, 2 * h4], 'B is [num_directions, 8 * hidden_size]'],
    ['initial_h', a.initialH, [d, batch, hidden], 'initial_h is [num_directions, batch_size, hidden_size]'],
    ['initial_c', a.initialC, [d, batch, hidden], 'initial_c is [num_directions, batch_size, hidden_size]'],
    ['p', a.p, [d, 3 * hidden], 'P is [num_directions, 3 * hidden_size]'],
  ];
  for (const [name, t, shape, rule] of floats) {
    if (!t) continue;
    if ((t as { dtype: string }).dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}: ${name}.dtype`, (t as { dtype: string }).dtype, `${name} is float32`);
    checkShape(`${what}: ${name}`, t, shape, rule);
    checkFloats(`${what}: ${name}`, t, name === 'initial_h');
  }
  checkFloats(`${what}: x`, a.x, true);
  const sequenceLens = checkSequenceLens(what, a.sequenceLens, seqLength, batch);
  const accumulator = checkAccumulator(what, a.accumulator, 'quint8', weightDtype);
  checkLimit(`${what}: multiply-accumulates (D * seq * batch * 4H * (input + H))`, numel([d, seqLength, batch, h4, inputSize + hidden]), MAX_MATMUL_MACS, 'MAX_MATMUL_MACS');
  const maxLen = sequenceLens.reduce((m, n) => Math.max(m, n), 0);
  return { seqLength, batch, inputSize, hidden, weightDtype, directions: d, reverse, wZeroPoints, rZeroPoints, sequenceLens, maxLen, activations, clip, inputForget, accumulator };
}
