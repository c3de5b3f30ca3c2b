/**
 * The attribute schemas of the ONNX integer ops and com.microsoft quantized ops (contract/onnx_qops.ts) as ONNX Runtime
 * 1.30 checks them (contract/onnx_attributes.ts), at the versions qconform's ORT models build: MatMulInteger-10,
 * QLinearMatMul-10 and ConvInteger-10 at ai.onnx opset 13 (onnx/defs/math/defs.cc, onnx/defs/nn/defs.cc), and every
 * com.microsoft op at version 1 (onnxruntime/core/graph/contrib_ops/quantization_defs.cc: QGemm, QLinearAdd / Mul,
 * MatMulIntegerToFloat, DynamicQuantizeMatMul, QLinearLeakyRelu, QLinearSigmoid, DynamicQuantizeLSTM, QLinearConcat,
 * QAttention, QEmbedLayerNormalization; contrib_defs.cc: QLinearSoftmax, QLinearGlobalAveragePool, QLinearAveragePool,
 * QLinearWhere, GatherBlockQuantized, MatMulNBits, MatMulInteger16; nhwc_schema_defs.cc: QLinearConv, NhwcMaxPool).
 *
 * Measured with onnxruntime-node 1.30.0 (tests/backends/ort_qop_attributes.test.ts): each declared attribute given
 * another type is "Mismatched attribute type in ' : <name>'. Expected: '<type>', actual: '<type>'", and an undeclared
 * one "Unrecognized attribute: <name> for operator <op>". ORT 1.30 declares more than the stored sources above:
 * QAttention's do_rotary, mask_filter_value, scale and past_present_share_buffer, and MatMulNBits' weight_prepacked;
 * QLinearAveragePool declares no dilations (ORT refuses them: "Unrecognized attribute").
 *
 * qconform's own attributes (`wire`: the accumulator models, softmax_kernel, qnbit_kernel) are never given to ORT; the
 * INT flags travel as booleans and the float attributes as float64 hex strings (`encoded`); ONNX attributes the wire
 * form does not take (`notOnWire`) are refused by the wire form itself.
 */
import type { OnnxAttributeSchema } from './onnx_attributes.js';
import type { OnnxQOpName } from './onnx_qops.js';

const ACCUMULATOR = { accumulator: 'STRING' } as const;
const flag = (onnx: string) => ({ onnx, wire: 'BOOLEAN' }) as const;
const floatHex = (onnx: string) => ({ onnx, wire: 'FLOAT_HEX' }) as const;
/** The window attributes of ONNX's pools and convs. */
const WINDOW = { auto_pad: 'STRING', kernel_shape: 'INTS', pads: 'INTS', strides: 'INTS' } as const;
/** ConvInteger's and QLinearConv's: explicit pads only, the kernel's shape w's. */
const CONV_NOT_ON_WIRE = { auto_pad: 'does not model: give explicit attrs.pads', kernel_shape: "takes from inputs.w's spatial dims" } as const;

export const ONNX_QOP_ATTRIBUTES: Readonly<Record<OnnxQOpName, OnnxAttributeSchema>> = {
  'matmul_integer@1': { onnxOp: 'MatMulInteger-10', onnx: {}, wire: ACCUMULATOR },
  'qlinear_matmul@1': { onnxOp: 'QLinearMatMul-10', onnx: {}, wire: ACCUMULATOR },
  'qgemm@1': {
    onnxOp: 'com.microsoft QGemm-1',
    onnx: { transA: 'INT', transB: 'INT', alpha: 'FLOAT' },
    encoded: { trans_a: flag('transA'), trans_b: flag('transB'), alpha: floatHex('alpha') },
    wire: ACCUMULATOR,
    notOnWire: { transA: 'carries as attrs.trans_a (a boolean)', transB: 'carries as attrs.trans_b (a boolean)' },
  },
  'conv_integer@1': { onnxOp: 'ConvInteger-10', onnx: { ...WINDOW, dilations: 'INTS', group: 'INT' }, wire: ACCUMULATOR, notOnWire: CONV_NOT_ON_WIRE },
  'qlinear_add@1': { onnxOp: 'com.microsoft QLinearAdd-1', onnx: {} },
  'qlinear_mul@1': { onnxOp: 'com.microsoft QLinearMul-1', onnx: {} },
  'matmul_integer_to_float@1': { onnxOp: 'com.microsoft MatMulIntegerToFloat-1', onnx: {}, wire: ACCUMULATOR },
  'dynamic_quantize_matmul@1': { onnxOp: 'com.microsoft DynamicQuantizeMatMul-1', onnx: {}, wire: ACCUMULATOR },
  'qlinear_leaky_relu@1': { onnxOp: 'com.microsoft QLinearLeakyRelu-1', onnx: { alpha: 'FLOAT' }, encoded: { alpha: floatHex('alpha') } },
  'qlinear_sigmoid@1': { onnxOp: 'com.microsoft QLinearSigmoid-1', onnx: {} },
  'qlinear_softmax@1': { onnxOp: 'com.microsoft QLinearSoftmax-1', onnx: { axis: 'INT', opset: 'INT' } },
  'qlinear_global_average_pool@1': { onnxOp: 'com.microsoft QLinearGlobalAveragePool-1', onnx: { channels_last: 'INT' }, encoded: { channels_last: flag('channels_last') } },
  'qlinear_average_pool@1': {
    onnxOp: 'com.microsoft QLinearAveragePool-1',
    onnx: { ...WINDOW, ceil_mode: 'INT', count_include_pad: 'INT', channels_last: 'INT' },
    encoded: { ceil_mode: flag('ceil_mode'), count_include_pad: flag('count_include_pad'), channels_last: flag('channels_last') },
  },
  'qlinear_concat@1': { onnxOp: 'com.microsoft QLinearConcat-1', onnx: { axis: 'INT' } },
  'qlinear_where@1': { onnxOp: 'com.microsoft QLinearWhere-1', onnx: {} },
  'dynamic_quantize_lstm@1': {
    onnxOp: 'com.microsoft DynamicQuantizeLSTM-1',
    onnx: { hidden_size: 'INT', direction: 'STRING', clip: 'FLOAT', input_forget: 'INT', activations: 'STRINGS', activation_alpha: 'FLOATS', activation_beta: 'FLOATS' },
    encoded: { clip: floatHex('clip'), activation_alpha: { onnx: 'activation_alpha', wire: 'FLOATS_HEX' }, activation_beta: { onnx: 'activation_beta', wire: 'FLOATS_HEX' } },
    wire: ACCUMULATOR,
  },
  'qlinear_conv_nhwc@1': {
    onnxOp: 'com.microsoft QLinearConv-1',
    onnx: { ...WINDOW, dilations: 'INTS', group: 'INT', channels_last: 'INT' },
    wire: ACCUMULATOR,
    notOnWire: { ...CONV_NOT_ON_WIRE, channels_last: 'always sets to 1 (the op is the channels_last QLinearConv)' },
  },
  'gather_block_quantized@1': { onnxOp: 'com.microsoft GatherBlockQuantized-1', onnx: { gather_axis: 'INT', quantize_axis: 'INT', block_size: 'INT', bits: 'INT' } },
  'matmul_nbits@1': {
    onnxOp: 'com.microsoft MatMulNBits-1',
    onnx: { K: 'INT', N: 'INT', bits: 'INT', block_size: 'INT', accuracy_level: 'INT', weight_prepacked: 'INT' },
    wire: { qnbit_kernel: 'STRING' },
    notOnWire: { weight_prepacked: 'does not model (B is given unpacked, as ORT packs it itself)' },
  },
  'qattention@1': {
    onnxOp: 'com.microsoft QAttention-1',
    onnx: { num_heads: 'INT', unidirectional: 'INT', do_rotary: 'INT', mask_filter_value: 'FLOAT', scale: 'FLOAT', past_present_share_buffer: 'INT' },
    wire: { ...ACCUMULATOR, softmax_kernel: 'STRING' },
    notOnWire: {
      do_rotary: 'does not model (no rotary embedding)',
      mask_filter_value: "does not model (ORT's default mask value)",
      scale: 'does not model (the scale is 1 / sqrt(head_size))',
      past_present_share_buffer: 'does not model (past and present are separate tensors)',
    },
  },
  'qembed_layer_normalization@1': { onnxOp: 'com.microsoft QEmbedLayerNormalization-1', onnx: { epsilon: 'FLOAT' }, encoded: { epsilon: floatHex('epsilon') } },
  'matmul_integer16@1': { onnxOp: 'com.microsoft MatMulInteger16-1', onnx: {} },
  'nhwc_max_pool@1': { onnxOp: 'com.microsoft NhwcMaxPool-1', onnx: { ...WINDOW, dilations: 'INTS', ceil_mode: 'INT' }, encoded: { ceil_mode: flag('ceil_mode') } },
};

/**
 * The schemas of the ai.onnx convs an ONNX model carries that have no ONNX wire form of their own (onnx/defs/nn/defs.cc
 * QLinearConv-10, Conv-11): the onnxruntime@1 scheme's QLinearConv (conv2d@1 on the wire) and the float Conv of a QDQ
 * group, as `qconform explain` checks a model's nodes (contract/onnx_model_attributes.ts). Measured with
 * onnxruntime-node 1.30.0 (tests/explain/onnx_node_attributes.test.ts).
 */
export const ONNX_CONV_ATTRIBUTES: Readonly<Record<'QLinearConv' | 'Conv', OnnxAttributeSchema>> = {
  QLinearConv: { onnxOp: 'QLinearConv-10', onnx: { ...WINDOW, dilations: 'INTS', group: 'INT' } },
  Conv: { onnxOp: 'Conv-11', onnx: { ...WINDOW, dilations: 'INTS', group: 'INT' } },
};
