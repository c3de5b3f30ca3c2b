/**
 * The wire form of tensors and scalars (docs/protocol.md): floats travel as IEEE bit patterns in hex,
 * integers as JSON integers; or, in the compact encoding `base64le` (negotiated in the handshake), a tensor's
 * elements travel as one base64 string of their little-endian bytes. Decoding validates and throws
 * QconformError('malformed_request') with the path of the offending field.
 */
import { QconformError } from './errors.js';
import { ONNX_INT_DTYPES } from './onnx_dtypes.js';
import { float32BitsOf, float32FromBits, float64BitsOf, float64FromBits } from './float_bits.js';
import type { F16Tensor, F32Tensor, F64Tensor, IntData, IntDtype, IntTensor, Tensor } from './tensor.js';
import { int32Data, numel } from './tensor.js';

export type WireTensor =
  | { dtype: 'float32' | 'float64' | 'float16'; shape: number[]; hex: string[] }
  | { dtype: IntDtype; shape: number[]; values: number[] }
  | { dtype: Tensor['dtype']; shape: number[]; b64: string };

/**
 * Tensor encodings: `json` (hex bit patterns and JSON integers, every backend) and `base64le` (the elements'
 * little-endian bytes in base64, `b64`), which a server offers in its handshake's `encodings` and a request
 * asks for with its top-level `"encoding"` (docs/protocol.md, "Compact tensors").
 */
export const WIRE_ENCODINGS = ['json', 'base64le'] as const;
export type WireEncoding = (typeof WIRE_ENCODINGS)[number];

/** Bytes per element in `base64le`, and how each element is stored (the integer dtypes' values must fit int32). */
const COMPACT_ELEMENT: Readonly<Record<Tensor['dtype'], { bytes: 1 | 2 | 4 | 8; kind: 'u8' | 'i8' | 'u16' | 'i16' | 'i32' | 'i64' | 'f32' | 'f64' | 'f16' }>> = {
  float32: { bytes: 4, kind: 'f32' },
  float64: { bytes: 8, kind: 'f64' },
  // IEEE binary16 bit patterns (ONNX float16)
  float16: { bytes: 2, kind: 'f16' },
  quint8: { bytes: 1, kind: 'u8' },
  quint4x2: { bytes: 1, kind: 'u8' },
  qint8: { bytes: 1, kind: 'i8' },
  qint32: { bytes: 4, kind: 'i32' },
  int32: { bytes: 4, kind: 'i32' },
  int64: { bytes: 8, kind: 'i64' },
  // the ONNX integer dtypes (contract/onnx_dtypes.ts); the 4-bit ones one element per byte, not packed
  int8: { bytes: 1, kind: 'i8' },
  uint8: { bytes: 1, kind: 'u8' },
  int16: { bytes: 2, kind: 'i16' },
  uint16: { bytes: 2, kind: 'u16' },
  int4: { bytes: 1, kind: 'i8' },
  uint4: { bytes: 1, kind: 'u8' },
};

const LITTLE_ENDIAN = new Uint8Array(new Uint16Array([1]).buffer)[0] === 1;

const INT_DTYPES: readonly string[] = ['quint8', 'qint8', 'qint32', 'quint4x2', 'int32', 'int64', ...ONNX_INT_DTYPES];
const HEX32 = /^[0-9a-f]{8}$/;
const HEX64 = /^[0-9a-f]{16}$/;
const HEX16 = /^[0-9a-f]{4}$/;

function malformed(path: string, value: unknown, detail: string): QconformError {
  return new QconformError('malformed_request', path, value, detail);
}

export function f32ToHex(x: number): string {
  return float32BitsOf(x).toString(16).padStart(8, '0');
}

export function f64ToHex(x: number): string {
  return float64BitsOf(x).toString(16).padStart(16, '0');
}

/** The bits of a float32 written as 8 lowercase hex digits. */
function hexF32Bits(h: unknown, path: string): number {
  if (typeof h !== 'string' || !HEX32.test(h)) throw malformed(path, h, 'float32 values are 8 lowercase hex digits');
  return parseInt(h, 16);
}

/** The bits of a float64 written as 16 lowercase hex digits. */
function hexF64Bits(h: unknown, path: string): bigint {
  if (typeof h !== 'string' || !HEX64.test(h)) throw malformed(path, h, 'float64 values are 16 lowercase hex digits');
  return BigInt(`0x${h}`);
}

/** A float32 as a JavaScript number (a signalling NaN comes back quiet: use decodeTensor for a tensor's exact bits). */
export function hexToF32(h: string, path = 'value'): number {
  return float32FromBits(hexF32Bits(h, path));
}

export function hexToF64(h: unknown, path = 'value'): number {
  return float64FromBits(hexF64Bits(h, path));
}

function decodeShape(shape: unknown, path: string): number[] {
  if (!Array.isArray(shape) || !shape.every((d) => Number.isSafeInteger(d) && d >= 0)) {
    throw malformed(`${path}.shape`, shape, 'shape is an array of non-negative integers');
  }
  return shape as number[];
}

/** The request's tensor encoding for its outputs: its top-level `encoding`, `json` when absent. */
export function requestEncoding(request: Record<string, unknown>): WireEncoding {
  const e = request.encoding;
  if (e === undefined || e === 'json') return 'json';
  if (e === 'base64le') return 'base64le';
  throw malformed('request.encoding', e, `encoding is one of ${WIRE_ENCODINGS.join(', ')}`);
}

/**
 * Fresh zeroed bytes for a decoded tensor, 16-byte aligned. A new ArrayBuffer costs microseconds (more than
 * decoding a thousand elements), so small ones are cut from a shared slab that is never reused: each piece is
 * the tensor's own, as if allocated alone (a live piece keeps its slab alive, at most SLAB_BYTES).
 */
const SLAB_BYTES = 64 * 1024;
const SLAB_PIECE_MAX = SLAB_BYTES / 4;
let slab = new ArrayBuffer(0);
let slabUsed = 0;

function freshBytes(n: number): Uint8Array {
  if (n > SLAB_PIECE_MAX) return new Uint8Array(n);
  let at = Math.ceil(slabUsed / 16) * 16;
  if (at + n > slab.byteLength) {
    slab = new ArrayBuffer(SLAB_BYTES);
    at = 0;
  }
  slabUsed = at + n;
  return new Uint8Array(slab, at, n);
}

const BASE64_HINT = 'b64 is standard base64 (RFC 4648 section 4: A-Z a-z 0-9 + /, padded with =, no whitespace)';

/**
 * The little-endian bytes of a `b64` member, checked: n elements of the dtype's width, in standard padded base64.
 * Node's decoder skips characters outside the alphabet and stops at `=`, so the checks are on the string: its length
 * is the padded length for the expected bytes, its padding is `=` and nothing else, and it decodes to exactly the
 * expected bytes. The characters before the padding are then as few as those bytes need, so none was skipped and
 * none was an early `=`; the URL-safe `-` and `_`, which the decoder would take, are refused explicitly.
 */
export function compactBytes(b64: unknown, dtype: Tensor['dtype'], n: number, path: string): Uint8Array {
  if (typeof b64 !== 'string') throw malformed(`${path}.b64`, b64, BASE64_HINT);
  const width = COMPACT_ELEMENT[dtype].bytes;
  const expected = n * width;
  const shown = () => (b64.length > 40 ? `${b64.slice(0, 40)}... (${b64.length} characters)` : b64);
  const length = 4 * Math.ceil(expected / 3);
  if (b64.length !== length) {
    throw malformed(`${path}.b64`, shown(), `expected ${expected} bytes (${n} elements of ${width} bytes for ${dtype}), which take ${length} base64 characters, got ${b64.length}`);
  }
  const padding = (3 - (expected % 3)) % 3;
  for (let i = length - padding; i < length; i++) {
    if (b64.charCodeAt(i) !== 61) throw malformed(`${path}.b64`, shown(), `${BASE64_HINT}: ${expected} bytes end with ${padding} '=', got ${JSON.stringify(b64.slice(length - padding))}`);
  }
  // Decoded straight into fresh bytes (16-byte aligned, so any typed array can view them) with room for every
  // byte the string can hold (3 per 4 characters), so that a string holding more is seen as such.
  const room = freshBytes(3 * Math.ceil(expected / 3));
  const bytes = Buffer.from(room.buffer, room.byteOffset, room.byteLength);
  const decoded = bytes.write(b64, 'base64');
  if (decoded !== expected || b64.includes('-') || b64.includes('_')) {
    const data = b64.slice(0, length - padding);
    const bad = data.search(/[^A-Za-z0-9+/]/); // the first character outside the alphabet of RFC 4648 section 4
    const holds = `expected ${expected} bytes (${n} elements of ${width} bytes for ${dtype}), the string holds ${decoded}`;
    if (bad >= 0 && data[bad] === '=') throw malformed(`${path}.b64`, shown(), `${BASE64_HINT}: the '=' at character ${bad} ends it early: ${holds}`);
    if (bad >= 0) throw malformed(`${path}.b64`, shown(), `${BASE64_HINT}: character ${bad} is ${JSON.stringify(data[bad])}`);
    throw malformed(`${path}.b64`, shown(), holds);
  }
  return room.subarray(0, expected);
}

/** A `base64le` tensor's elements as the typed array of its dtype. */
function decodeCompact(t: Record<string, unknown>, dtype: Tensor['dtype'], dims: number[], n: number, path: string): Tensor {
  const own = compactBytes(t.b64, dtype, n, path);
  const kind = COMPACT_ELEMENT[dtype].kind;
  const view = new DataView(own.buffer, own.byteOffset, own.byteLength);
  if (kind === 'f32') return { dtype: 'float32', shape: dims, data: LITTLE_ENDIAN ? new Float32Array(own.buffer, own.byteOffset, n) : Float32Array.from({ length: n }, (_, i) => view.getFloat32(i * 4, true)) };
  if (kind === 'f64') return { dtype: 'float64', shape: dims, data: LITTLE_ENDIAN ? new Float64Array(own.buffer, own.byteOffset, n) : Float64Array.from({ length: n }, (_, i) => view.getFloat64(i * 8, true)) };
  if (kind === 'f16') return { dtype: 'float16', shape: dims, data: Uint16Array.from({ length: n }, (_, i) => view.getUint16(i * 2, true)) };
  const intDtype = dtype as IntDtype;
  const widened = (narrow: Uint8Array | Int8Array) => {
    const data = new Int32Array(n);
    data.set(narrow);
    return data;
  };
  if (kind === 'u8') return { dtype: intDtype, shape: dims, data: widened(own) };
  if (kind === 'i8') return { dtype: intDtype, shape: dims, data: widened(new Int8Array(own.buffer, own.byteOffset, n)) };
  if (kind === 'u16') return { dtype: intDtype, shape: dims, data: Int32Array.from({ length: n }, (_, i) => view.getUint16(i * 2, true)) };
  if (kind === 'i16') return { dtype: intDtype, shape: dims, data: Int32Array.from({ length: n }, (_, i) => view.getInt16(i * 2, true)) };
  if (kind === 'i32') return { dtype: intDtype, shape: dims, data: LITTLE_ENDIAN ? new Int32Array(own.buffer, own.byteOffset, n) : Int32Array.from({ length: n }, (_, i) => view.getInt32(i * 4, true)) };
  const data = new Int32Array(n);
  for (let i = 0; i < n; i++) {
    const v = view.getBigInt64(i * 8, true);
    if (v < -(2n ** 31n) || v > 2n ** 31n - 1n) throw malformed(`${path}.b64[${i}]`, v, 'integers must fit int32');
    data[i] = Number(v);
  }
  return { dtype: intDtype, shape: dims, data };
}

export function decodeTensor(w: unknown, path: string): Tensor {
  if (typeof w !== 'object' || w === null) throw malformed(path, w, 'a tensor is an object {dtype, shape, hex|values|b64}');
  const t = w as Record<string, unknown>;
  const shape = decodeShape(t.shape, path);
  const n = numel(shape);
  if (t.b64 !== undefined) {
    if (typeof t.dtype !== 'string' || !Object.hasOwn(COMPACT_ELEMENT, t.dtype)) throw malformed(`${path}.dtype`, t.dtype, `dtype is one of ${Object.keys(COMPACT_ELEMENT).join(', ')}`);
    if (t.hex !== undefined || t.values !== undefined) throw malformed(path, Object.keys(t), 'a tensor has exactly one of hex, values and b64');
    return decodeCompact(t, t.dtype as Tensor['dtype'], shape, n, path);
  }
  // docs/protocol.md: a tensor has exactly one of hex (floats), values (integers) and b64
  const floating = t.dtype === 'float16' || t.dtype === 'float32' || t.dtype === 'float64';
  if (floating && t.values !== undefined) throw malformed(path, Object.keys(t), 'a float tensor carries its elements in hex only (values is for integer tensors)');
  if (!floating && t.hex !== undefined && typeof t.dtype === 'string' && INT_DTYPES.includes(t.dtype)) throw malformed(path, Object.keys(t), 'an integer tensor carries its elements in values only (hex is for float tensors)');
  if (t.dtype === 'float16') {
    const hex = t.hex;
    if (!Array.isArray(hex) || hex.length !== n) throw malformed(`${path}.hex`, Array.isArray(hex) ? hex.length : hex, `expected ${n} elements for shape [${shape}]`);
    return {
      dtype: 'float16',
      shape,
      data: Uint16Array.from(hex, (h, i) => {
        if (typeof h !== 'string' || !HEX16.test(h)) throw malformed(`${path}.hex[${i}]`, h, 'float16 values are 4 lowercase hex digits');
        return parseInt(h, 16);
      }),
    };
  }
  if (t.dtype === 'float32' || t.dtype === 'float64') {
    const hex = t.hex;
    if (!Array.isArray(hex) || hex.length !== n) throw malformed(`${path}.hex`, Array.isArray(hex) ? hex.length : hex, `expected ${n} elements for shape [${shape}]`);
    // the elements' bits, never a JavaScript number: a NaN keeps its sign and payload (signalling ones too), as in b64
    if (t.dtype === 'float32') {
      const bits = Uint32Array.from(hex, (h, i) => hexF32Bits(h, `${path}.hex[${i}]`));
      return { dtype: 'float32', shape, data: new Float32Array(bits.buffer) };
    }
    const bits = BigUint64Array.from(hex, (h, i) => hexF64Bits(h, `${path}.hex[${i}]`));
    return { dtype: 'float64', shape, data: new Float64Array(bits.buffer) };
  }
  if (typeof t.dtype === 'string' && INT_DTYPES.includes(t.dtype)) {
    const values = t.values;
    if (!Array.isArray(values) || values.length !== n) throw malformed(`${path}.values`, Array.isArray(values) ? values.length : values, `expected ${n} elements for shape [${shape}]`);
    values.forEach((v, i) => {
      if (!Number.isSafeInteger(v) || v < -(2 ** 31) || v > 2 ** 31 - 1) throw malformed(`${path}.values[${i}]`, v, 'integers must fit int32');
    });
    return { dtype: t.dtype as IntDtype, shape, data: Int32Array.from(values as number[]) };
  }
  throw malformed(`${path}.dtype`, t.dtype, `dtype is float32, float64, float16 or one of ${INT_DTYPES.join(', ')}`);
}

/** Where one-byte elements are narrowed before base64 (the string is made at once, so the bytes never escape). */
let narrowScratch = Buffer.alloc(0);
let narrowScratchI8 = new Int8Array(0);

function narrowedBase64(d: IntData, signed: boolean): string {
  if (narrowScratch.length < d.length) {
    narrowScratch = Buffer.allocUnsafeSlow(Math.max(d.length, 2 * narrowScratch.length, 4096));
    narrowScratchI8 = new Int8Array(narrowScratch.buffer, narrowScratch.byteOffset, narrowScratch.length);
  }
  // typed-array set converts each element as Uint8Array.from / Int8Array.from would (ToUint8 / ToInt8), from any
  // storage of the values (Int32Array or compact Uint8Array / Int8Array): the same bytes
  (signed ? narrowScratchI8 : narrowScratch).set(d);
  return narrowScratch.toString('base64', 0, d.length);
}

/** The little-endian bytes of a tensor's elements as base64 (`base64le`). */
function compactBase64(t: Tensor): string {
  const kind = COMPACT_ELEMENT[t.dtype].kind;
  const d = t.data;
  let bytes: Uint8Array;
  if (kind === 'u8' || kind === 'i8') return narrowedBase64(d as IntData, kind === 'i8');
  if (kind === 'u16' || kind === 'i16' || kind === 'f16') {
    const view = new DataView(new ArrayBuffer(d.length * 2));
    for (let i = 0; i < d.length; i++) view.setUint16(i * 2, (d[i] as number) & 0xffff, true);
    bytes = new Uint8Array(view.buffer);
  } else if (kind === 'i64') bytes = new Uint8Array(BigInt64Array.from(d as IntData, (v) => BigInt(v)).buffer);
  else if (LITTLE_ENDIAN) {
    // the storage's own bytes, which for i32 must be an Int32Array's: an IntTensor's data may be compact (one byte per element)
    const wide = kind === 'i32' ? int32Data(d as IntData) : d;
    bytes = new Uint8Array(wide.buffer, wide.byteOffset, wide.byteLength);
  } else {
    const width = COMPACT_ELEMENT[t.dtype].bytes;
    const view = new DataView(new ArrayBuffer(d.length * width));
    for (let i = 0; i < d.length; i++) {
      if (kind === 'f32') view.setFloat32(i * 4, d[i] as number, true);
      else if (kind === 'f64') view.setFloat64(i * 8, d[i] as number, true);
      else view.setInt32(i * 4, d[i] as number, true);
    }
    bytes = new Uint8Array(view.buffer);
  }
  return Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('base64');
}

/** The base64le tensors encodeTensor made: frozen, so their `b64` is still the encoder's standard base64 (no character to escape in JSON). */
const ENCODED_COMPACT = new WeakSet<object>();

/** True for a tensor encodeTensor made in base64le (its b64 can be written into JSON text as it is). */
export function isEncodedCompactTensor(w: unknown): w is Readonly<{ dtype: Tensor['dtype']; shape: number[]; b64: string }> {
  return typeof w === 'object' && w !== null && ENCODED_COMPACT.has(w);
}

export function encodeTensor(t: Tensor, encoding: WireEncoding = 'json'): WireTensor {
  if (encoding === 'base64le') {
    const w = Object.freeze({ dtype: t.dtype, shape: Object.freeze([...t.shape]) as number[], b64: compactBase64(t) });
    ENCODED_COMPACT.add(w);
    return w;
  }
  // from the elements' bits, never through a JavaScript number (which would quiet a signalling NaN)
  if (t.dtype === 'float32') return { dtype: 'float32', shape: [...t.shape], hex: Array.from(new Uint32Array(t.data.buffer, t.data.byteOffset, t.data.length), (b) => b.toString(16).padStart(8, '0')) };
  if (t.dtype === 'float64') return { dtype: 'float64', shape: [...t.shape], hex: Array.from(new BigUint64Array(t.data.buffer, t.data.byteOffset, t.data.length), (b) => b.toString(16).padStart(16, '0')) };
  if (t.dtype === 'float16') return { dtype: 'float16', shape: [...t.shape], hex: Array.from(t.data, (b) => b.toString(16).padStart(4, '0')) };
  return { dtype: t.dtype, shape: [...t.shape], values: Array.from(t.data) };
}

export function expectF32(t: Tensor, path: string): F32Tensor {
  if (t.dtype !== 'float32') throw malformed(path, t.dtype, 'expected a float32 tensor');
  return t;
}

export function expectF64(t: Tensor, path: string): F64Tensor {
  if (t.dtype !== 'float64') throw malformed(path, t.dtype, 'expected a float64 tensor');
  return t;
}

/** A float32 or float16 tensor (an input ONNX Runtime types T2: GatherBlockQuantized's scales). */
export function expectF32OrF16(t: Tensor, path: string): F32Tensor | F16Tensor {
  if (t.dtype !== 'float32' && t.dtype !== 'float16') throw malformed(path, t.dtype, 'expected a float32 or float16 tensor');
  return t;
}

export function expectInt(t: Tensor, path: string): IntTensor {
  if (t.dtype === 'float32' || t.dtype === 'float64' || t.dtype === 'float16') throw malformed(path, t.dtype, 'expected an integer tensor');
  return t;
}
