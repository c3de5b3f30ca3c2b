/**
 * ORT kernels that keep an int64 attribute in an `int` member narrow it one of two ways (measured with
 * onnxruntime-node 1.30, tests/backends/ort_softmax_int32_attributes.test.ts, ort_int64_attributes.test.ts):
 *   - unchecked, gsl::narrow_cast<int>(v) (a static_cast, no range check), which keeps v's low 32 bits as a
 *     two's-complement int32: the kernel computes with v mod 2^32 in [-2^31, 2^31), so 2^32 + 1 acts as 1, 2^31 as
 *     -2^31, 2^32 - 1 as -1 (ortNarrowToInt32). Used by qlinear_softmax@1's opset and axis
 *     (contrib_ops/cpu/quantization/qlinear_softmax.cc, QLinearSoftmax's constructor: opset_ =
 *     gsl::narrow_cast<int>(opset), axis_ = gsl::narrow_cast<int>(axis));
 *   - checked, narrow<int>(v) (core/common/narrow.h, gsl::narrow), which throws gsl::narrowing_error for a v outside
 *     int32 when ORT creates the kernel ("Exception during initialization: narrowing_error"), before any input is read
 *     (ortNarrowCheckedToInt32). Used by qattention@1's num_heads (AttentionBase, contrib_ops/cpu/bert/
 *     attention_base.h: ORT_ENFORCE(num_heads > 0), then the narrowing; a stored source shows a static_cast there,
 *     but 1.30 refuses 2^31 and 2^32 + 2 with narrowing_error) and dynamic_quantize_lstm@1's hidden_size (LSTMBase,
 *     core/providers/cpu/rnn/lstm_base.h: ORT_ENFORCE(hidden_size > 0), then hidden_size_ = narrow<int>(...)).
 * The other INT / INTS attributes of the com.microsoft ops qconform models stay int64 in ORT 1.30 (no narrowing,
 * measured): qlinear_concat's axis, gather_block_quantized's gather_axis / quantize_axis / block_size / bits,
 * matmul_nbits' K / N / bits / block_size / accuracy_level, qattention's unidirectional (== 1), dynamic_quantize_lstm's
 * input_forget (!= 0), and the windows of qlinear_average_pool and nhwc_max_pool (PoolAttributes).
 * The wire carries attributes as JavaScript numbers, so v is a safe integer (|v| < 2^53, inside int64).
 */
import { QconformError } from './errors.js';

/** gsl::narrow_cast<int>(int64 v): v's low 32 bits as an int32; a non-integer v is malformed_request. */
export function ortNarrowToInt32(what: string, v: number): number {
  if (!Number.isSafeInteger(v)) throw new QconformError('malformed_request', what, v, 'an integer (an ONNX INT attribute)');
  // ToInt32 is v mod 2^32 mapped into [-2^31, 2^31), exact for any safe integer
  return v | 0;
}

/**
 * narrow<int>(int64 v) (checked, gsl::narrow): v when it is an int32; otherwise ORT 1.30 refuses the node with
 * gsl::narrowing_error when it creates the kernel: invalid_integer naming it. A non-integer v is malformed_request.
 */
export function ortNarrowCheckedToInt32(what: string, v: number): number {
  if (!Number.isSafeInteger(v)) throw new QconformError('malformed_request', what, v, 'an integer (an ONNX INT attribute)');
  if (v < -(2 ** 31) || v > 2 ** 31 - 1) throw new QconformError('invalid_integer', what, v, 'an int32: ORT 1.30 narrows this int64 attribute with narrow<int> when it creates the kernel, which throws ("Exception during initialization: narrowing_error")');
  return v;
}
