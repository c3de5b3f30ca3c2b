/**
 * The contract check of dynamic_quantize_lstm@1 (com.microsoft DynamicQuantizeLSTM as ONNX Runtime 1.30's CPU kernel
 * computes it: onnxruntime/contrib_ops/cpu/quantization/dynamic_quantize_lstm.cc, LSTMBase in
 * core/providers/cpu/rnn/lstm_base.h/.cc, rnn_helpers.cc ValidateCommonRnnInputs), run once by reference/ and impl/.
 *
 * What ORT refuses, refused alike: W [1, input_size, 4H] and R [1, H, 4H] of one type (uint8 or int8: the schema's
 * T2), H = hidden_size; each of W_scale, W_zero_point, R_scale, R_zero_point of shape [1] or [1, 4H] (WeightCheck), a
 * zero point of its weight's type; a 2-D int8 zero point all 0, a 2-D uint8 one constant (ZeroPointCheck); B
 * [1, 8H]; initial_h, initial_c [1, batch, H]; P [1, 3H]; clip > 0 (LSTMBase: ORT_ENFORCE(clip_ > 0.f)). (The com.microsoft schema has no layout attribute.)
 *
 * The modelled subset (measured bit for bit against onnxruntime-node 1.30 on AVX512-VNNI and under qemu -cpu
 * Haswell): direction 'forward', the default activations (Sigmoid, Tanh, Tanh; no activation_alpha / _beta), no
 * sequence_lens. Anything else is refused with unsupported_by_scheme. Also refused: NaN in x or initial_h (they are
 * quantized as DynamicQuantizeLinear does, whose min/max then depends on the vector lane holding the NaN: nan_input),
 * infinities in any float input (not measured: unsupported_by_scheme), an int8 zero point of one element that is not
 * 0 (ORT then hands its bits to MLAS as a uint8 zero point: not measured). Work: seq * batch * 4H * (input + H)
 * multiply-accumulates within MAX_MATMUL_MACS.
 */
import type { QuantDtype } from './dtypes.js';
import { QconformError } from './errors.js';
import { MAX_MATMUL_MACS, checkLimit } from './limits.js';
import { checkAccumulator, checkScales, quantTensor, zeroPointTensor } from './onnx_matmul_checks.js';
import type { DynamicQuantizeLstmArgs, MatmulAccumulator } from './onnx_qops.js';
import type { F32Tensor, IntTensor } from './tensor.js';
import { numel } from './tensor.js';
import { validateF32 } from './validate.js';

/** float32's largest finite value: LSTMBase's default clip (std::numeric_limits<float>::max()). */
export const FLT_MAX = 3.4028234663852886e38;

export interface LstmGeometry {
  readonly seqLength: number;
  readonly batch: number;
  readonly inputSize: number;
  readonly hidden: number;
  readonly weightDtype: QuantDtype;
  /** the weights' zero points as MLAS takes them: the first element (ZeroPointCheck made the rest equal) */
  readonly wZeroPoint: number;
  readonly rZeroPoint: number;
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

/** WeightCheck: a scale or zero point of shape [1] (per tensor) or [1, 4H] (per column). */
function checkWeightParamShape(what: string, t: { shape: readonly number[] }, h4: number): void {
  const ok = (t.shape.length === 1 && t.shape[0] === 1) || (t.shape.length === 2 && t.shape[0] === 1 && t.shape[1] === h4);
  if (!ok) fail('shape_mismatch', what, t.shape, `[1] for per-tensor or [1, ${h4}] for per-column quantization (ORT 1.30 WeightCheck)`);
}

/** ZeroPointCheck, and the one-element int8 zero point qconform does not model unless 0. */
function checkWeightZeroPoint(what: string, zp: IntTensor, dtype: QuantDtype, h4: number): number {
  zeroPointTensor(what, zp, dtype);
  checkWeightParamShape(what, zp, h4);
  const first = zp.data[0] as number;
  if (dtype === 'qint8' && zp.data.some((v) => v !== 0)) {
    if (zp.shape.length === 2) fail('zero_point_out_of_range', what, [...zp.data], 'ORT 1.30 requires an int8 weight zero point of 0 (DynamicQuantizeLSTM ZeroPointCheck)');
    fail('unsupported_by_scheme', what, first, 'a non-zero int8 weight zero point is not modelled (ORT passes its bits to MLAS as a uint8 zero point)');
  }
  if (zp.data.some((v) => v !== first)) fail('zero_point_out_of_range', what, [...zp.data], 'ORT 1.30 requires a uint8 weight zero point constant over the columns (DynamicQuantizeLSTM ZeroPointCheck)');
  return first;
}

const DEFAULT_ACTIVATIONS = ['sigmoid', 'tanh', 'tanh'];

/** The attributes: the modelled subset (forward, default activations), hidden_size, clip, input_forget. */
function checkAttributes(what: string, a: DynamicQuantizeLstmArgs): { clip: number; inputForget: boolean } {
  if (!Number.isSafeInteger(a.hiddenSize) || a.hiddenSize < 1) fail('malformed_request', `${what}: hidden_size`, a.hiddenSize, 'an integer >= 1');
  if (a.direction !== 'forward') {
    if (a.direction === 'reverse' || a.direction === 'bidirectional') fail('unsupported_by_scheme', `${what}: direction`, a.direction, "only 'forward' is modelled");
    fail('malformed_request', `${what}: direction`, a.direction, "'forward', 'reverse' or 'bidirectional'");
  }
  // ORT lower-cases the names (NormalizeActivationArgumentAndGetAlphaBetaCount)
  if (a.activations && (a.activations.length !== 3 || a.activations.some((f, i) => f.toLowerCase() !== DEFAULT_ACTIVATIONS[i]))) {
    fail('unsupported_by_scheme', `${what}: activations`, a.activations, 'only the defaults (Sigmoid, Tanh, Tanh) are modelled');
  }
  if (a.activationAlpha || a.activationBeta) fail('unsupported_by_scheme', `${what}: activation_alpha / activation_beta`, [a.activationAlpha, a.activationBeta], 'not modelled (the default activations take none)');
  if (a.inputForget !== 0 && a.inputForget !== 1) fail('malformed_request', `${what}: input_forget`, a.inputForget, '0 or 1');
  const clip = a.clip === null ? FLT_MAX : Math.fround(a.clip);
  if (!(clip > 0)) fail('malformed_request', `${what}: clip`, a.clip, 'clip > 0 (ORT 1.30 LSTMBase: ORT_ENFORCE(clip_ > 0.f))');
  return { clip, inputForget: a.inputForget === 1 };
}

export function checkDynamicQuantizeLstm(a: DynamicQuantizeLstmArgs): LstmGeometry {
  const what = 'dynamic_quantize_lstm';
  const { clip, inputForget } = checkAttributes(what, a);
  if (a.sequenceLens) fail('unsupported_by_scheme', `${what}: sequence_lens`, a.sequenceLens.shape, 'sequence_lens is not modelled (every sequence runs seq_length steps)');
  if ((a.x as { dtype: string }).dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}: x.dtype`, (a.x as { dtype: string }).dtype, 'x is float32');
  validateF32(`${what}: x`, a.x);
  if (a.x.shape.length !== 3 || a.x.shape.some((d) => d < 1)) fail('shape_mismatch', `${what}: x`, a.x.shape, '[seq_length, batch_size, input_size], each >= 1');
  const [seqLength, batch, inputSize] = a.x.shape as [number, number, number];
  const hidden = a.hiddenSize;
  const h4 = 4 * hidden;
  const weightDtype = quantTensor(`${what}: w`, a.w);
  checkShape(`${what}: w`, a.w, [1, inputSize, h4], 'W is [num_directions, input_size, 4 * hidden_size]');
  if (a.r.dtype !== weightDtype) throw new QconformError('invalid_dtype', `${what}: r.dtype`, a.r.dtype, `W and R share one type (the schema's T2: ${weightDtype})`);
  quantTensor(`${what}: r`, a.r);
  checkShape(`${what}: r`, a.r, [1, hidden, h4], 'R is [num_directions, hidden_size, 4 * hidden_size]');
  for (const [name, s] of [['w_scale', a.wScale], ['r_scale', a.rScale]] as const) {
    checkScales(`${what}: ${name}`, s);
    checkWeightParamShape(`${what}: ${name}`, s, h4);
  }
  const wZeroPoint = checkWeightZeroPoint(`${what}: w_zero_point`, a.wZeroPoint, weightDtype, h4);
  const rZeroPoint = checkWeightZeroPoint(`${what}: r_zero_point`, a.rZeroPoint, weightDtype, h4);
  const floats: ReadonlyArray<readonly [string, F32Tensor | null, readonly number[], string]> = [
    ['b', a.b, [1, 2 * h4], 'B is [num_directions, 8 * hidden_size]'],
    ['initial_h', a.initialH, [1, batch, hidden], 'initial_h is [num_directions, batch_size, hidden_size]'],
    ['initial_c', a.initialC, [1, batch, hidden], 'initial_c is [num_directions, batch_size, hidden_size]'],
    ['p', a.p, [1, 3 * hidden], 'P is [num_directions, 3 * hidden_size]'],
  ];
  for (const [name, t, shape, rule] of floats) {
    if (!t) continue;
    if ((t as { dtype: string }).dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}: ${name}.dtype`, (t as { dtype: string }).dtype, `${name} is float32`);
    checkShape(`${what}: ${name}`, t, shape, rule);
    checkFloats(`${what}: ${name}`, t, name === 'initial_h');
  }
  checkFloats(`${what}: x`, a.x, true);
  const accumulator = checkAccumulator(what, a.accumulator, 'quint8', weightDtype);
  checkLimit(`${what}: multiply-accumulates (seq * batch * 4H * (input + H))`, numel([seqLength, batch, h4, inputSize + hidden]), MAX_MATMUL_MACS, 'MAX_MATMUL_MACS');
  return { seqLength, batch, inputSize, hidden, weightDtype, wZeroPoint, rZeroPoint, clip, inputForget, accumulator };
}
