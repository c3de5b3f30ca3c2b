/**
 * The output buffer of impl's quantized_conv2d@1: fresh, or the caller's (as ONNX Runtime's arena reuses output memory
 * from run to run): exactly N * OC * OH * OW elements whose bytes overlap none of x, the weight and the bias; anything
 * else is a typed shape_mismatch. Its storage (contract/tensor.ts IntData): the caller's buffer is an Int32Array or the
 * output dtype's one-byte array (Uint8Array for quint8, Int8Array for qint8); a fresh one is an Int32Array when x's
 * data is one and the one-byte array when x is stored in bytes (a compact tensor in, a compact tensor out).
 */
import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';
import { QconformError } from '../../contract/errors.js';
import type { QuantDtype } from '../../contract/dtypes.js';
import type { IntData } from '../../contract/tensor.js';

/** Options of one impl conv call. */
export interface ConvCallOptions {
  /** the outputs are written here and the returned tensor's data is this array; reuse it across calls */
  readonly out?: IntData;
}

/** Node's Buffer, where there is one (only its allocUnsafeSlow is used). */
const nodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(size: number): Uint8Array<ArrayBuffer> } }).Buffer;

/** Below this many bytes a zeroed allocation costs about as much as an uninitialized one. */
const UNINITIALIZED_BYTES = 1 << 16;

/**
 * A fresh array of `kind` with `elements` elements whose contents are unspecified (Node: Buffer.allocUnsafeSlow's
 * memory, its own ArrayBuffer, not zero-filled; elsewhere a zeroed array): for a caller that writes every element
 * before anyone reads it.
 */
export function uninitializedArray(kind: OutKind, elements: number): IntData {
  const width = kind.BYTES_PER_ELEMENT;
  if (nodeBuffer === undefined || elements * width < UNINITIALIZED_BYTES) return new kind(elements);
  const bytes = nodeBuffer.allocUnsafeSlow(elements * width);
  return new kind(bytes.buffer, bytes.byteOffset, elements);
}

/** The array kinds of a conv's output (contract/tensor.ts IntData). */
export type OutKind = typeof Int32Array | typeof Uint8Array | typeof Int8Array;

/** The one-byte array that holds every value of a conv's activation and output dtype (quint8: Uint8Array, qint8: Int8Array). */
export function dtypeByteArray(dtype: QuantDtype): typeof Uint8Array | typeof Int8Array {
  return dtype === 'quint8' ? Uint8Array : Int8Array;
}

/** Whether two typed arrays' bytes overlap (views of one ArrayBuffer may not: Node pools small Buffers in one). */
function overlaps(a: ArrayBufferView, b: ArrayBufferView): boolean {
  return a.buffer === b.buffer && a.byteOffset < b.byteOffset + b.byteLength && b.byteOffset < a.byteOffset + a.byteLength;
}

/** Whether `d` is stored in bytes (a Uint8Array, Node's Buffer included, or an Int8Array). */
export function isByteStorage(d: ArrayLike<number>): d is Uint8Array | Int8Array {
  return d instanceof Uint8Array || d instanceof Int8Array;
}

/**
 * `o.out` when valid for this conv, a fresh array when absent; a typed error otherwise. `overwritten`: the caller writes
 * every element of a fresh array before returning it (then its initial contents are left unspecified, not zeroed).
 */
export function convOutputBuffer(a: Conv2dArgs, g: ConvGeometry, o: ConvCallOptions, overwritten = false): IntData {
  const elements = g.n * g.oc * g.oh * g.ow;
  const out = o.out;
  if (out === undefined) {
    const kind = isByteStorage(a.x.data) ? dtypeByteArray(g.dtype) : Int32Array;
    return overwritten ? uninitializedArray(kind, elements) : new kind(elements);
  }
  const what = 'quantized_conv2d: out';
  // the message is built only when a check fails (every call checks; a valid buffer costs no string formatting)
  const expected = () => `an Int32Array or ${dtypeByteArray(g.dtype).name} (${g.dtype}) of ${elements} elements ([N, OC, OH, OW] = [${g.n}, ${g.oc}, ${g.oh}, ${g.ow}])`;
  if (!(out instanceof Int32Array) && !(out instanceof dtypeByteArray(g.dtype))) throw new QconformError('shape_mismatch', what, Object.prototype.toString.call(out), expected());
  if (out.length !== elements) throw new QconformError('shape_mismatch', what, { elements: out.length }, expected());
  const shared = overlaps(a.x.data, out) ? 'x' : overlaps(a.weight.data, out) ? 'weight' : a.bias !== null && overlaps(a.bias.data, out) ? 'bias' : null;
  if (shared !== null) throw new QconformError('shape_mismatch', what, `shares memory with ${shared}`, `${expected()}, not sharing memory with an input`);
  return out;
}
