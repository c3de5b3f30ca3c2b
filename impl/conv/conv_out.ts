/**
 * The optional caller-provided output buffer of impl's quantized_conv2d@1 (as ONNX Runtime's arena reuses output
 * memory from run to run): an Int32Array of exactly N * OC * OH * OW elements, not sharing memory with x, the
 * weight or the bias; anything else is a typed shape_mismatch.
 */
import type { Conv2dArgs } from '../../contract/conv.js';
import type { ConvGeometry } from '../../contract/conv_checks.js';
import { QconformError } from '../../contract/errors.js';

/** Options of one impl conv call. */
export interface ConvCallOptions {
  /** the outputs are written here and the returned tensor's data is this array; reuse it across calls */
  readonly out?: Int32Array;
}

/** Node's Buffer, where there is one (only its allocUnsafeSlow is used). */
const nodeBuffer = (globalThis as { Buffer?: { allocUnsafeSlow(size: number): Uint8Array } }).Buffer;

/** Below this many bytes a zeroed allocation costs about as much as an uninitialized one. */
const UNINITIALIZED_BYTES = 1 << 16;

/**
 * A fresh Int32Array of `elements` whose contents are unspecified (Node: Buffer.allocUnsafeSlow's memory, its own
 * ArrayBuffer, not zero-filled; elsewhere a zeroed array): for a caller that writes every element before anyone reads it.
 */
function uninitializedInt32Array(elements: number): Int32Array {
  if (nodeBuffer === undefined || elements * 4 < UNINITIALIZED_BYTES) return new Int32Array(elements);
  const bytes = nodeBuffer.allocUnsafeSlow(elements * 4);
  return new Int32Array(bytes.buffer, bytes.byteOffset, elements);
}

/**
 * `o.out` when valid for this conv, a fresh array when absent; a typed error otherwise. `overwritten`: the caller writes
 * every element of a fresh array before returning it (then its initial contents are left unspecified, not zeroed).
 */
export function convOutputBuffer(a: Conv2dArgs, g: ConvGeometry, o: ConvCallOptions, overwritten = false): Int32Array {
  const elements = g.n * g.oc * g.oh * g.ow;
  const out = o.out;
  if (out === undefined) return overwritten ? uninitializedInt32Array(elements) : new Int32Array(elements);
  const what = 'quantized_conv2d: out';
  // the message is built only when a check fails (every call checks; a valid buffer costs no string formatting)
  const expected = () => `an Int32Array of ${elements} elements ([N, OC, OH, OW] = [${g.n}, ${g.oc}, ${g.oh}, ${g.ow}])`;
  if (!(out instanceof Int32Array)) throw new QconformError('shape_mismatch', what, Object.prototype.toString.call(out), expected());
  if (out.length !== elements) throw new QconformError('shape_mismatch', what, { elements: out.length }, expected());
  const buffer = out.buffer;
  const shared = a.x.data.buffer === buffer ? 'x' : a.weight.data.buffer === buffer ? 'weight' : a.bias !== null && a.bias.data.buffer === buffer ? 'bias' : null;
  if (shared !== null) throw new QconformError('shape_mismatch', what, `shares memory with ${shared}`, `${expected()}, not sharing memory with an input`);
  return out;
}
