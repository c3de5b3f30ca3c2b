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
 * "must either all be provided or all be omitted", `malformed_request`). qconform also requires every scale and zero
 * point of one element (ORT skips that check for int8 tables but reads element 0), finite positive scales, and no
 * empty tensor.
 */
import { QconformError } from './errors.js';
import { MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import type { QEmbedLayerNormArgs } from './onnx_qops.js';
import { checkOneElementScale, checkOneElementZeroPoint, checkQ8Tensor } from './qlinear_pool_checks.js';
import type { F32Tensor, IntData, IntTensor } from './tensor.js';
import { validateShape } from './validate.js';

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

function params(what: string, scale: F32Tensor, zeroPoint: IntTensor, dtype: Q8): DequantParams {
  return { scale: checkOneElementScale(`${what}_scale`, scale), zeroPoint: checkOneElementZeroPoint(`${what}_zero_point`, zeroPoint, dtype) };
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
  const word = params(`${what}: word_embedding`, a.wordEmbeddingScale, a.wordEmbeddingZeroPoint, dtype);
  const position = params(`${what}: position_embedding`, a.positionEmbeddingScale, a.positionEmbeddingZeroPoint, dtype);
  const gamma = params(`${what}: gamma`, a.gammaScale, a.gammaZeroPoint, dtype);
  const beta = params(`${what}: beta`, a.betaScale, a.betaZeroPoint, dtype);
  let segment: DequantParams | null = null;
  if (a.segmentIds && a.segmentEmbedding && a.segmentEmbeddingScale && a.segmentEmbeddingZeroPoint) {
    checkInt32Like(`${what}: segment_ids`, a.segmentIds, ids.shape);
    const segments = checkTable(`${what}: segment_embedding`, a.segmentEmbedding, dtype, hidden).rows;
    segment = params(`${what}: segment_embedding`, a.segmentEmbeddingScale, a.segmentEmbeddingZeroPoint, dtype);
    checkRows(`${what}: segment_ids`, a.segmentIds.data, segments, 'segment_embedding');
  }
  checkRows(`${what}: input_ids`, ids.data, vocabulary, 'word_embedding');
  return { dtype, batch, sequence, hidden, word, position, segment, gamma, beta, epsilon };
}
