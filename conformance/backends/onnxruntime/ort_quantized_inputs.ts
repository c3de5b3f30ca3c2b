/**
 * Which wire inputs of the ONNX integer ops take quint8 / qint8: the inputs whose uint8 / int8 the onnxruntime backend
 * takes as the quint8 / qint8 of the same ONNX type (ort_dtype_alias.ts), one list per op, read off the contract's
 * per-op checks (named below) and checked against every input the recorded ORT cases carry
 * (tests/backends/ort_dtype_twins.test.ts).
 */
import type { OnnxQOpName } from '../../../contract/onnx_qops.js';

/**
 * The wire inputs of each ONNX integer op that take quint8 / qint8, as its contract check reads them: matmul_integer,
 * qlinear_matmul, qgemm (contract/onnx_matmul_checks.ts quantTensor, zeroPointTensor), conv_integer
 * (conv_integer_checks.ts), qlinear_add / qlinear_mul (qlinear_binary_checks.ts), matmul_integer_to_float /
 * dynamic_quantize_matmul (matmul_integer_to_float_checks.ts), qlinear_leaky_relu / qlinear_sigmoid
 * (qlinear_lookup_checks.ts), qlinear_softmax (qlinear_softmax_checks.ts), the pools (qlinear_pool_checks.ts
 * checkQ8Values, checkOneElementZeroPoint), qlinear_concat (qlinear_concat_checks.ts: every x<k> and x<k>_zero_point),
 * qlinear_where (qlinear_where_checks.ts), dynamic_quantize_lstm (dynamic_quantize_lstm_checks.ts), qlinear_conv_nhwc
 * (qlinear_conv_nhwc_checks.ts), qattention (qattention_checks.ts), qembed_layer_normalization
 * (qembed_layer_norm_checks.ts: the 8-bit T2 tensors), nhwc_max_pool (nhwc_max_pool_checks.ts). Every op is listed: those
 * that take none (gather_block_quantized, matmul_nbits: a plain uint8; matmul_integer16: int16) list none. A uint8 / int8
 * at such an input reaches ORT as the quint8 / qint8 of the same ONNX type; at any other input it reaches ORT as the
 * ONNX type the op takes there or as one the op refuses, never as another wire dtype's (no twin).
 */
const QUANTIZED_INPUTS: Readonly<Record<OnnxQOpName, readonly string[]>> = {
  'matmul_integer@1': ['a', 'b', 'a_zero_point', 'b_zero_point'],
  'qlinear_matmul@1': ['a', 'a_zero_point', 'b', 'b_zero_point', 'y_zero_point'],
  'qgemm@1': ['a', 'a_zero_point', 'b', 'b_zero_point', 'y_zero_point'],
  'conv_integer@1': ['x', 'w', 'x_zero_point', 'w_zero_point'],
  'qlinear_add@1': ['a', 'a_zero_point', 'b', 'b_zero_point', 'c_zero_point'],
  'qlinear_mul@1': ['a', 'a_zero_point', 'b', 'b_zero_point', 'c_zero_point'],
  'matmul_integer_to_float@1': ['a', 'b', 'a_zero_point', 'b_zero_point'],
  'dynamic_quantize_matmul@1': ['b', 'b_zero_point'],
  'qlinear_leaky_relu@1': ['x', 'x_zero_point', 'y_zero_point'],
  'qlinear_sigmoid@1': ['x', 'x_zero_point', 'y_zero_point'],
  'qlinear_softmax@1': ['x', 'x_zero_point', 'y_zero_point'],
  'qlinear_global_average_pool@1': ['x', 'x_zero_point', 'y_zero_point'],
  'qlinear_average_pool@1': ['x', 'x_zero_point', 'y_zero_point'],
  'qlinear_concat@1': ['x<k>', 'x<k>_zero_point', 'y_zero_point'],
  'qlinear_where@1': ['x', 'x_zero_point', 'y', 'y_zero_point', 'z_zero_point'],
  'dynamic_quantize_lstm@1': ['w', 'r', 'w_zero_point', 'r_zero_point'],
  'qlinear_conv_nhwc@1': ['x', 'x_zero_point', 'w', 'w_zero_point', 'y_zero_point'],
  'gather_block_quantized@1': [],
  'matmul_nbits@1': [],
  'qattention@1': ['input', 'weight', 'input_zero_point', 'weight_zero_point'],
  'qembed_layer_normalization@1': ['word_embedding', 'position_embedding', 'segment_embedding', 'gamma', 'beta', 'word_embedding_zero_point', 'position_embedding_zero_point', 'segment_embedding_zero_point', 'gamma_zero_point', 'beta_zero_point'],
  'matmul_integer16@1': [],
  'nhwc_max_pool@1': ['x'],
};

/** Whether input `name` of `op` takes quint8 / qint8 (QUANTIZED_INPUTS; QLinearConcat's x<k> for every k). */
export function takesQuantized(op: OnnxQOpName, name: string): boolean {
  return QUANTIZED_INPUTS[op].includes(op === 'qlinear_concat@1' ? name.replace(/^x(0|[1-9]\d*)(?=(_zero_point)?$)/, 'x<k>') : name);
}
