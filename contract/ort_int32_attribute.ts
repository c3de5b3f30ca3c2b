/**
 * ORT kernels that keep an int64 attribute in an `int` member narrow it unchecked: gsl::narrow_cast<int>(v) (a
 * static_cast, no range check) keeps v's low 32 bits as a two's-complement int32. Such a kernel therefore computes
 * with v mod 2^32 in [-2^31, 2^31): 2^32 + 1 acts as 1, 2^31 as -2^31, 2^32 - 1 as -1. Used by:
 *   - qlinear_softmax@1's opset and axis (contrib_ops/cpu/quantization/qlinear_softmax.cc, QLinearSoftmax's
 *     constructor: opset_ = gsl::narrow_cast<int>(opset), axis_ = gsl::narrow_cast<int>(axis)).
 * The wire carries attributes as JavaScript numbers, so v is a safe integer (|v| < 2^53, inside int64).
 */
import { QconformError } from './errors.js';

/** gsl::narrow_cast<int>(int64 v): v's low 32 bits as an int32; a non-integer v is malformed_request. */
export function ortNarrowToInt32(what: string, v: number): number {
  if (!Number.isSafeInteger(v)) throw new QconformError('malformed_request', what, v, 'an integer (an ONNX INT attribute)');
  // ToInt32 is v mod 2^32 mapped into [-2^31, 2^31), exact for any safe integer
  return v | 0;
}
