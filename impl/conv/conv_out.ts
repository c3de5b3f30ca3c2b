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

/** `o.out` when valid for this conv, a fresh array when absent; a typed error otherwise. */
export function convOutputBuffer(a: Conv2dArgs, g: ConvGeometry, o: ConvCallOptions): Int32Array {
  const elements = g.n * g.oc * g.oh * g.ow;
  const out = o.out;
  if (out === undefined) return new Int32Array(elements);
  const what = 'quantized_conv2d: out';
  const expected = `an Int32Array of ${elements} elements ([N, OC, OH, OW] = [${g.n}, ${g.oc}, ${g.oh}, ${g.ow}])`;
  if (!(out instanceof Int32Array)) throw new QconformError('shape_mismatch', what, Object.prototype.toString.call(out), expected);
  if (out.length !== elements) throw new QconformError('shape_mismatch', what, { elements: out.length }, expected);
  for (const [name, t] of [['x', a.x], ['weight', a.weight], ['bias', a.bias]] as const) {
    if (t !== null && t.data.buffer === out.buffer) throw new QconformError('shape_mismatch', what, `shares memory with ${name}`, `${expected}, not sharing memory with an input`);
  }
  return out;
}
