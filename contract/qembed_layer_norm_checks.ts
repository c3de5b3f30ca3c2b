/**
 * The contract check of qembed_layer_normalization@1 (com.microsoft QEmbedLayerNormalization,
 * onnxruntime/contrib_ops/cpu/quantization/qembed_layer_norm.cc with embed_layer_norm::CheckInputs of
 * contrib_ops/cpu/bert/embed_layer_norm_helper.cc), run once by reference/ and impl/.
 *
 * What ORT 1.30 refuses, qconform refuses with a typed error: input_ids not [B, S]; tables not 2-D or of another
 * hidden size than word_embedding's; gamma and beta not [H]; segment_ids or mask not of input_ids' shape
 * (`shape_mismatch`); an input id or segment id outside its table, or fewer position rows than S ("input index out
 * of range": `invalid_integer`, `shape_mismatch`); the 8-bit tensors of more than one dtype (ONNX's T2:
 * `invalid_dtype`); a negative or NaN epsilon (ORT_ENFORCE(epsilon_ >= 0): `malformed_request`); the segment inputs
 * (segment_ids, segment_embedding, its scale and zero point) neither all present nor all absent (type inference:
 * "must either all be provided or all be omitted", `malformed_request`); a scale or zero point of more or fewer than
 * one element where CheckQuantizedInputs checks it (`shape_mismatch`): word_embedding_scale and the five zero points
 * always, the other four scales (position / segment embedding, gamma, beta) only with uint8 tables. Its test of those
 * four, `!IsScalarOr1ElementVector(scale) && scale->IsDataType<int8_t>() == is_signed`, compares a float tensor's
 * IsDataType<int8_t>() (false) with the tables' signedness, so with int8 tables they take any shape and
 * GetTensorQuantizationParams (core/quantization/quantization.h) reads their element 0 (flat), never the others
 * (onnxruntime-node 1.30: [1, 1], [2], [2, 3], [1, 1, 1] with NaN, 0 or -3 after element 0 gave the scalar's y;
 * tests/backends/ort_qembed_scale_shapes.test.ts). An empty one is refused: ORT reads past it
 * (ORT_QEMBED_EMPTY_SCALE, ortQEmbedLayerNormDies). qconform also requires finite positive scales (the element read)
 * and no empty tensor.
 */
import { QconformError } from './errors.js';
import { MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import type { QEmbedLayerNormArgs } from './onnx_qops.js';
import { checkOneElementScale, checkOneElementZeroPoint, checkQ8Tensor } from './qlinear_pool_checks.js';
import type { F32Tensor, IntData, IntTensor } from './tensor.js';
import { A_TENSOR, validateObject, validateScale, validateShape } from './validate.js';

/** ORT's kDefaultEmbedLayerNormEpsilon (core/graph/contrib_ops/contrib_defs.h): 1e-12f. */
export const DEFAULT_EMBED_LAYER_NORM_EPSILON = Math.fround(1e-12);

/** A table's dequantization parameters: float32 scale, zero point. */
export interface DequantParams {
  readonly scale: number;
  readonly zeroPoint: number;
}

type Q8 = 'quint8' | 'qint8';

export interface QEmbedLayerNormGeometry {
  readonly dtype: Q8;
  /** B, S, H */
  readonly batch: number;
  readonly sequence: number;
  readonly hidden: number;
  readonly word: DequantParams;
  readonly position: DequantParams;
  /** null without segments */
  readonly segment: DequantParams | null;
  readonly gamma: DequantParams;
  readonly beta: DequantParams;
  /** float32 */
  readonly epsilon: number;
}

function checkInt32Like(what: string, t: IntTensor, shape: readonly number[]): void {
  if (t.dtype !== 'int32') throw new QconformError('invalid_dtype', `${what}.dtype`, t.dtype, 'int32');
  validateShape(what, t);
  if (t.shape.length !== shape.length || t.shape.some((d, k) => d !== shape[k])) throw new QconformError('shape_mismatch', what, t.shape, `input_ids' shape [${shape.join(', ')}] (ORT: "shall have same shape")`);
}

/** Every entry of an index tensor is a row of a table of `rows` rows. */
function checkRows(what: string, ids: IntData, rows: number, table: string): void {
  const bad = ids.findIndex((v) => v < 0 || v >= rows);
  if (bad >= 0) throw new QconformError('invalid_integer', `${what}[${bad}]`, ids[bad], `a row of ${table}: [0, ${rows}) (ORT: "input index out of range")`);
}

/** A 2-D table [rows, H] of the op's dtype (word_embedding's, which sets it: `dtype` null). */
function checkTable(what: string, t: IntTensor, dtype: Q8 | null, hidden: number | null): { dtype: Q8; rows: number } {
  const got = checkQ8Tensor(what, t);
  if (dtype !== null && got !== dtype) throw new QconformError('invalid_dtype', `${what}.dtype`, got, `word_embedding's dtype (${dtype}): ONNX binds every 8-bit input to one type T2`);
  if (t.shape.length !== 2) throw new QconformError('shape_mismatch', what, t.shape, '2 dimensions [rows, hidden_size]');
  if (hidden !== null && t.shape[1] !== hidden) throw new QconformError('shape_mismatch', what, t.shape, `hidden size ${hidden} (word_embedding's dimension 1)`);
  return { dtype: got, rows: t.shape[0] as number };
}

/**
 * Why an empty position / segment embedding, gamma or beta scale with int8 tables is refused: CheckQuantizedInputs
 * does not check its shape then (see the file comment) and GetTensorQuantizationParams dereferences its data, so
 * onnxruntime-node 1.30 died of SIGSEGV on each of the four given as [0].
 */
export const ORT_QEMBED_EMPTY_SCALE = "an empty position / segment embedding, gamma or beta scale with int8 tables: ORT 1.30 does not check its shape and reads its element 0 (onnxruntime-node 1.30 dies of SIGSEGV)";

/**
 * The scale ORT reads from `scale`: its only element where CheckQuantizedInputs checks the shape (`checked`), else
 * element 0 of any non-empty shape (ORT_QEMBED_EMPTY_SCALE).
 */
function embedScale(what: string, scale: F32Tensor, checked: boolean): number {
  if (checked) return checkOneElementScale(what, scale);
  validateObject(what, scale, A_TENSOR);
  if (scale.dtype !== 'float32') throw new QconformError('invalid_dtype', `${what}.dtype`, scale.dtype, 'scales are float32');
  validateShape(what, scale);
  if (scale.data.length === 0) throw new QconformError('shape_mismatch', what, scale.shape, ORT_QEMBED_EMPTY_SCALE);
  validateScale(`${what}[0]`, scale.data[0] as number);
  return scale.data[0] as number;
}

/** `scaleChecked`: whether ORT checks that the scale has one element (word_embedding's always, the others with uint8 tables). */
function params(what: string, scale: F32Tensor, zeroPoint: IntTensor, dtype: Q8, scaleChecked: boolean): DequantParams {
  return { scale: embedScale(`${what}_scale`, scale, scaleChecked), zeroPoint: checkOneElementZeroPoint(`${what}_zero_point`, zeroPoint, dtype) };
}

/** Whether this QEmbedLayerNormalization kills ORT 1.30's process (ORT_QEMBED_EMPTY_SCALE), from dtypes and shapes alone. */
export function ortQEmbedLayerNormDies(a: QEmbedLayerNormArgs): boolean {
  if (a.wordEmbeddingZeroPoint?.dtype !== 'qint8') return false;
  const scales = [a.positionEmbeddingScale, a.gammaScale, a.betaScale, ...(a.segmentIds ? [a.segmentEmbeddingScale] : [])];
  return scales.some((t) => t != null && Array.isArray(t.shape) && t.shape.includes(0));
}

export function checkQEmbedLayerNorm(what: string, a: QEmbedLayerNormArgs): QEmbedLayerNormGeometry {
  // ORT refuses the epsilon when it creates the kernel, before it sees any input
  const epsilon = Math.fround(a.epsilon);
  if (!(epsilon >= 0)) throw new QconformError('malformed_request', `${what}: epsilon`, a.epsilon, 'a float32 >= 0 (ORT_ENFORCE(epsilon_ >= 0))');
  const ids = a.inputIds;
  if (ids.dtype !== 'int32') throw new QconformError('invalid_dtype', `${what}: input_ids.dtype`, ids.dtype, 'int32');
  validateShape(`${what}: input_ids`, ids);
  if (ids.shape.length !== 2 || ids.data.length === 0) throw new QconformError('shape_mismatch', `${what}: input_ids`, ids.shape, '[batch_size, sequence_length], not empty');
  const [batch, sequence] = ids.shape as [number, number];
  const { dtype, rows: vocabulary } = checkTable(`${what}: word_embedding`, a.wordEmbedding, null, null);
  const hidden = a.wordEmbedding.shape[1] as number;
  const positions = checkTable(`${what}: position_embedding`, a.positionEmbedding, dtype, hidden).rows;
  if (positions < sequence) throw new QconformError('shape_mismatch', `${what}: position_embedding`, a.positionEmbedding.shape, `at least sequence_length = ${sequence} rows (ORT: "input index out of range")`);
  const segmentInputs = [a.segmentIds, a.segmentEmbedding, a.segmentEmbeddingScale, a.segmentEmbeddingZeroPoint];
  const present = segmentInputs.filter((t) => t !== null).length;
  if (present !== 0 && present !== 4) {
    throw new QconformError('malformed_request', `${what}: segment_ids, segment_embedding, segment_embedding_scale, segment_embedding_zero_point`, `${present} of 4 given`, 'all four or none');
  }
  for (const [name, t] of [['gamma', a.gamma], ['beta', a.beta]] as const) {
    const got = checkQ8Tensor(`${what}: ${name}`, t);
    if (got !== dtype) throw new QconformError('invalid_dtype', `${what}: ${name}.dtype`, got, `word_embedding's dtype (${dtype}): ONNX binds every 8-bit input to one type T2`);
    if (t.shape.length !== 1 || t.shape[0] !== hidden) throw new QconformError('shape_mismatch', `${what}: ${name}`, t.shape, `[hidden_size] = [${hidden}]`);
  }
  if (a.mask) checkInt32Like(`${what}: mask`, a.mask, ids.shape);
  checkLimit(`${what}: output elements`, batch * sequence * hidden, MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  const checked = dtype === 'quint8';
  const word = params(`${what}: word_embedding`, a.wordEmbeddingScale, a.wordEmbeddingZeroPoint, dtype, true);
  const position = params(`${what}: position_embedding`, a.positionEmbeddingScale, a.positionEmbeddingZeroPoint, dtype, checked);
  const gamma = params(`${what}: gamma`, a.gammaScale, a.gammaZeroPoint, dtype, checked);
  const beta = params(`${what}: beta`, a.betaScale, a.betaZeroPoint, dtype, checked);
  let segment: DequantParams | null = null;
  if (a.segmentIds && a.segmentEmbedding && a.segmentEmbeddingScale && a.segmentEmbeddingZeroPoint) {
    checkInt32Like(`${what}: segment_ids`, a.segmentIds, ids.shape);
    const segments = checkTable(`${what}: segment_embedding`, a.segmentEmbedding, dtype, hidden).rows;
    segment = params(`${what}: segment_embedding`, a.segmentEmbeddingScale, a.segmentEmbeddingZeroPoint, dtype, checked);
    checkRows(`${what}: segment_ids`, a.segmentIds.data, segments, 'segment_embedding');
  }
  checkRows(`${what}: input_ids`, ids.data, vocabulary, 'word_embedding');
  return { dtype, batch, sequence, hidden, word, position, segment, gamma, beta, epsilon };
}
