import { type QuantDtype, DTYPE_RANGE } from './dtypes.js';
import { QconformError } from './errors.js';
import { MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import { type F32Tensor, type IntData, type Tensor, numel } from './tensor.js';

/**
 * Input validation shared by reference/ and impl/: each public op validates once, here, and throws a
 * QconformError naming the rule and the value. No arithmetic under test lives in this file.
 */

/**
 * Whether a tensor's data is the typed array its dtype is stored in (contract/tensor.ts): Float32Array, Float64Array,
 * Uint16Array (float16 bits), or for an integer dtype Int32Array, Uint8Array or Int8Array. Anything else (a plain
 * array, a Float64Array of integers) would be converted silently, 0.5 to 0 and NaN to 0, by one path and refused by
 * another.
 */
function storedAsDeclared(t: Tensor): boolean {
  const d: unknown = t.data;
  switch (t.dtype) {
    case 'float32':
      return d instanceof Float32Array;
    case 'float64':
      return d instanceof Float64Array;
    case 'float16':
      return d instanceof Uint16Array;
    default:
      return d instanceof Int32Array || d instanceof Uint8Array || d instanceof Int8Array;
  }
}

const STORAGE_OF = 'data is a Float32Array (float32), Float64Array (float64), Uint16Array (float16 bits), or for an integer dtype an Int32Array, Uint8Array or Int8Array';

/** What a tensor argument must be, for messages. */
export const A_TENSOR = 'a tensor { dtype, shape, data }';

/** What a plain JavaScript caller passed, for a message: a primitive as it is, an object by its class. */
function described(v: unknown): unknown {
  return v === null || typeof v !== 'object' ? v : Object.prototype.toString.call(v);
}

/**
 * Whether the safe integer v is a power of 2 (v >= 1), exactly: ORT's int64 test (v - 1) & v == 0 (as in
 * GatherBlockQuantized's constructor) run in bigint, never in JavaScript's int32 bitwise operators, which would see
 * only v's low 32 bits (2^32 + 32 would pass).
 */
export function isPowerOfTwo(v: number): boolean {
  if (!Number.isSafeInteger(v) || v < 1) return false;
  const b = BigInt(v);
  return (b & (b - 1n)) === 0n;
}

/**
 * A boolean attribute. The TypeScript types say boolean; a plain JavaScript caller's "false", 0 or null would
 * otherwise be read for its truthiness ("false" as true), a silent wrong answer. The wire protocol refuses them too.
 */
export function validateBoolean(what: string, v: unknown): asserts v is boolean {
  if (typeof v !== 'boolean') throw new QconformError('malformed_request', what, described(v), 'true or false');
}

/**
 * A float attribute: a JavaScript number, as the wire's hex float64 decodes to (any value; the op's own checks decide
 * which it accepts). A string such as "0.5" or a one-element array would otherwise be converted by arithmetic, and
 * undefined would become NaN.
 */
export function validateNumber(what: string, v: unknown): asserts v is number {
  if (typeof v !== 'number') throw new QconformError('malformed_request', what, described(v), 'a number');
}

/** An argument that must be an object: a tensor, a list of tensors, or an op's attributes or options. */
export function validateObject(what: string, v: unknown, expected: string): asserts v is object {
  if (v === null || typeof v !== 'object') throw new QconformError('malformed_request', what, described(v), expected);
}

/**
 * Whether an optional tensor input is present: null when absent (the contract's type); anything else must be a tensor
 * object. A plain JavaScript caller's undefined or false would otherwise be taken as absent by one check and read as a
 * tensor by the next.
 */
export function isPresentTensor(what: string, t: unknown): t is Tensor {
  if (t === null) return false;
  validateObject(what, t, `${A_TENSOR}, or null when absent`);
  return true;
}

/** An argument that must be an array (an observer's batches, a concat's inputs); its elements are checked where they are used. */
export function validateList(what: string, v: unknown, expected: string): asserts v is readonly unknown[] {
  if (!Array.isArray(v)) throw new QconformError('malformed_request', what, described(v), expected);
}

/** A tensor's dimensions, its element count (within MAX_TENSOR_ELEMENTS and equal to its data's length) and its storage. */
export function validateShape(what: string, t: Tensor): void {
  validateObject(what, t, A_TENSOR);
  if (!Array.isArray(t.shape)) throw new QconformError('shape_mismatch', `${what}.shape`, described(t.shape), 'an array of dimensions');
  if (!storedAsDeclared(t)) {
    throw new QconformError(t.dtype === 'float32' ? 'not_float32' : 'malformed_request', `${what}.data`, described(t.data), STORAGE_OF);
  }
  for (const d of t.shape) {
    if (!Number.isSafeInteger(d) || d < 0) throw new QconformError('shape_mismatch', `${what}.shape`, t.shape, 'dimensions are non-negative integers');
  }
  checkLimit(`${what}: elements`, numel(t.shape), MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  if (numel(t.shape) !== t.data.length) {
    throw new QconformError('shape_mismatch', what, { shape: t.shape, elements: t.data.length }, 'element count must equal the product of the shape');
  }
}

/** A scale as a Python float (double): finite and > 0. */
export function validateScale(what: string, scale: number): void {
  if (!Number.isFinite(scale)) throw new QconformError('scale_not_finite', what, scale);
  if (!(scale > 0)) throw new QconformError('scale_not_positive', what, scale);
}

export function validateZeroPoint(what: string, zp: number, lo: number, hi: number): void {
  if (!Number.isSafeInteger(zp)) throw new QconformError('invalid_integer', what, zp);
  if (zp < lo || zp > hi) throw new QconformError('zero_point_out_of_range', what, zp, `allowed [${lo}, ${hi}]`);
}

export function validateDtypeZeroPoint(what: string, zp: number, dtype: QuantDtype): void {
  validateZeroPoint(what, zp, DTYPE_RANGE[dtype].min, DTYPE_RANGE[dtype].max);
}

/** Integer values of a quantized tensor must lie in its dtype. */
export function validateQuantizedValues(what: string, data: IntData, dtype: QuantDtype): void {
  const { min, max } = DTYPE_RANGE[dtype];
  for (let i = 0; i < data.length; i++) {
    const v = data[i] as number;
    if (v < min || v > max) throw new QconformError('invalid_integer', `${what}[${i}]`, v, `${dtype} holds [${min}, ${max}]`);
  }
}

/** An axis in [-ndim, ndim), normalized to [0, ndim) (Python indexing, as the observers' permute lists use). */
export function normalizeAxis(what: string, axis: number, ndim: number, allowNegative: boolean): number {
  const lo = allowNegative ? -ndim : 0;
  if (!Number.isSafeInteger(axis) || axis < lo || axis >= ndim) {
    throw new QconformError('axis_out_of_range', what, axis, `input has ${ndim} dimension(s)`);
  }
  return axis < 0 ? axis + ndim : axis;
}

/**
 * Per-channel parameters (scales, zero points) 1-D and of one length, before anything reads them: torch's
 * checkPerChannelParamsSize / fake_quantize_per_channel_affine's dim and numel checks come first
 * (shape_mismatch). Returns their length, the channel count they give.
 */
export function validatePerChannelParams(what: string, params: Readonly<Record<string, Tensor>>): number {
  const tensors = Object.values(params);
  for (const p of tensors) validateShape(what, p);
  const length = tensors[0]?.data.length ?? 0;
  if (tensors.some((p) => p.shape.length !== 1 || p.data.length !== length)) {
    throw new QconformError('shape_mismatch', what, Object.fromEntries(Object.entries(params).map(([k, p]) => [k, p.shape])), 'per-channel parameters are 1-D tensors of one length');
  }
  return length;
}

/** Per-channel parameters must have one entry per slice along `axis`. */
export function validateChannelCount(what: string, x: Tensor, axis: number, params: readonly Tensor[]): number {
  const channels = x.shape[axis] as number;
  for (const p of params) {
    validateShape(what, p);
    if (p.shape.length !== 1 || p.data.length !== channels) {
      throw new QconformError('shape_mismatch', what, { axisSize: channels, paramShape: p.shape }, `per-channel parameters need shape [${channels}]`);
    }
  }
  return channels;
}

/** quant_min and quant_max each a safe integer (the wire carries integers): invalid_integer otherwise, quant_min first. */
export function validateQuantRangeIntegers(what: string, quantMin: number, quantMax: number): void {
  for (const v of [quantMin, quantMax]) if (!Number.isSafeInteger(v)) throw new QconformError('invalid_integer', what, v);
}

/** A fake-quant range: integers (validateQuantRangeIntegers), then quant_min <= quant_max. */
export function validateFakeQuantRange(what: string, quantMin: number, quantMax: number): void {
  validateQuantRangeIntegers(what, quantMin, quantMax);
  if (!(quantMin <= quantMax)) throw new QconformError('quant_range_outside_dtype', what, [quantMin, quantMax]);
}

/** A float32 tensor's shape and storage (validateShape; a float32 tensor's data is a Float32Array). */
export function validateF32(what: string, t: F32Tensor): void {
  validateShape(what, t);
}

/**
 * Parameter rules of the per_channel_affine_float_qparams ops: scales finite and >= 0 (0 is meaningful: the kernels
 * then take 1/scale as 1). Their float32 zero points take any value, NaN and infinities included: torch 1.13 checks none
 * and computes with them as the arithmetic does (quantize: the sum is NaN or infinite, lrintf gives INT64_MIN, stored
 * in an int as 0, then clamped; dequantize: (q - zp) * scale propagates the NaN quieted, or the infinity), measured in
 * tests/backends/torch_float_zero_points.test.ts.
 */
export function validateFloatQparams(what: string, scales: F32Tensor): void {
  scales.data.forEach((s, c) => {
    if (!Number.isFinite(s)) throw new QconformError('scale_not_finite', `${what}: scales[${c}]`, s);
    if (s < 0) throw new QconformError('scale_not_positive', `${what}: scales[${c}]`, s, 'float_qparams accepts 0 (then 1/scale is taken as 1)');
  });
}

/** torch 1.13 dispatches per-channel affine quantize/dequantize for quint8, qint8 and qint32 only. */
export function rejectSubByteDtype(what: string, dtype: QuantDtype): void {
  if (dtype === 'quint4x2') throw new QconformError('invalid_dtype', `${what}: dtype`, dtype, 'torch 1.13 per-channel affine (de)quantization supports quint8, qint8 and qint32 only');
}
