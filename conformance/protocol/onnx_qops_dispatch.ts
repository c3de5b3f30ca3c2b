/**
 * The wire form of the ONNX integer ops (docs/protocol.md, "ONNX integer ops"): decode attrs and inputs into
 * the typed arguments of contract/onnx_qops.ts, call the implementation, encode the output `y`. Imported by
 * dispatch.ts, which routes these op names here. Wire-format checks only; the contract checks are the ops'.
 */
import type { QNBitKernel } from '../../contract/matmul_nbits_m1_plan.js';
import { ONNX_QOP_NAMES, type AutoPad, type ConvIntegerArgs, type DynamicQuantizeLstmArgs, type DynamicQuantizeMatMulArgs, type MatMulIntegerArgs, type MatMulIntegerToFloatArgs, type MatmulAccumulator, type OnnxQOpName, type OnnxQOps, type QGemmArgs, type QLinearAveragePoolArgs, type QLinearBinaryArgs, type QLinearConcatArgs, type QLinearGlobalAveragePoolArgs, type QLinearLeakyReluArgs, type QLinearLookupArgs, type QLinearMatMulArgs, type QLinearSoftmaxArgs, type QLinearWhereArgs, type GatherBlockQuantizedArgs, type QLinearConvNhwcArgs, type MatMulNBitsArgs, type QAttentionArgs, type SoftmaxKernel, type QEmbedLayerNormArgs, type MatMulInteger16Args, type NhwcMaxPoolArgs } from '../../contract/onnx_qops.js';
import { QconformError } from '../../contract/errors.js';
import { checkOnnxAttributes } from '../../contract/onnx_attributes.js';
import { ONNX_QOP_ATTRIBUTES } from '../../contract/onnx_qop_attributes.js';
import { DEFAULT_EMBED_LAYER_NORM_EPSILON } from '../../contract/qembed_layer_norm_checks.js';
import type { IntTensor } from '../../contract/tensor.js';
import { expectInt, hexToF64, expectF32, expectF32OrF16 } from '../../contract/wire.js';
import type { Attrs, Inputs, TypedOutputs } from './messages.js';

export function isOnnxQOpName(op: unknown): op is OnnxQOpName {
  return typeof op === 'string' && (ONNX_QOP_NAMES as readonly string[]).includes(op);
}

/** attrs.accumulator, default int32_wrap (what ORT computes on AVX512-VNNI, AVX-VNNI and SSE4-only CPUs). */
function accumulator(a: Attrs): MatmulAccumulator {
  return a.strOr<MatmulAccumulator>('accumulator', 'int32_wrap');
}

function optionalInt(i: Inputs, name: string, op: string): IntTensor | null {
  const t = i.optional(name);
  return t === null ? null : expectInt(t, `${op}: inputs.${name}`);
}

/** An integer list attribute of `length` entries, or `fallback` when not given (absent or null). */
function intList(a: Attrs, name: string, length: number, fallback: number[], op: string): number[] {
  const v = a.value(name);
  if (v === undefined) return fallback;
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => Number.isSafeInteger(x))) {
    throw new QconformError('malformed_request', `${op}: attrs.${name}`, v, `a list of ${length} integers`);
  }
  return v as number[];
}

export function decodeMatMulInteger(a: Attrs, i: Inputs): MatMulIntegerArgs {
  const op = 'matmul_integer@1';
  return { a: i.int('a'), b: i.int('b'), aZeroPoint: optionalInt(i, 'a_zero_point', op), bZeroPoint: optionalInt(i, 'b_zero_point', op), accumulator: accumulator(a) };
}

/** a and b with their scales and zero points: the inputs QLinearMatMul, QGemm, QLinearAdd and QLinearMul share. */
function quantizedOperands(i: Inputs) {
  return { a: i.int('a'), aScale: i.f32('a_scale'), aZeroPoint: i.int('a_zero_point'), b: i.int('b'), bScale: i.f32('b_scale'), bZeroPoint: i.int('b_zero_point') };
}

export function decodeQLinearMatMul(a: Attrs, i: Inputs): QLinearMatMulArgs {
  return {
    ...quantizedOperands(i),
    yScale: i.f32('y_scale'),
    yZeroPoint: i.int('y_zero_point'),
    accumulator: accumulator(a),
  };
}

export function decodeQGemm(a: Attrs, i: Inputs): QGemmArgs {
  const op = 'qgemm@1';
  const yScale = i.optional('y_scale');
  return {
    ...quantizedOperands(i),
    c: optionalInt(i, 'c', op),
    yScale: yScale === null ? null : i.f32('y_scale'),
    yZeroPoint: optionalInt(i, 'y_zero_point', op),
    transA: a.bool('trans_a'),
    transB: a.bool('trans_b'),
    alpha: a.f64Or('alpha', 1),
    accumulator: accumulator(a),
  };
}

export function decodeConvInteger(a: Attrs, i: Inputs): ConvIntegerArgs {
  const op = 'conv_integer@1';
  return {
    x: i.int('x'),
    w: i.int('w'),
    xZeroPoint: optionalInt(i, 'x_zero_point', op),
    wZeroPoint: optionalInt(i, 'w_zero_point', op),
    strides: intList(a, 'strides', 2, [1, 1], op) as [number, number],
    pads: intList(a, 'pads', 4, [0, 0, 0, 0], op) as [number, number, number, number],
    dilations: intList(a, 'dilations', 2, [1, 1], op) as [number, number],
    group: a.optionalInt('group') ?? 1,
    accumulator: accumulator(a),
  };
}

export function decodeQLinearBinary(op: string, i: Inputs): QLinearBinaryArgs {
  return {
    ...quantizedOperands(i),
    cScale: i.f32('c_scale'),
    cZeroPoint: optionalInt(i, 'c_zero_point', op),
  };
}

/** bias, b and b's scale and zero point: the inputs MatMulIntegerToFloat and DynamicQuantizeMatMul share. */
function integerToFloatOperands(a: Attrs, i: Inputs, op: string) {
  return {
    b: i.int('b'),
    bScale: i.f32('b_scale'),
    bZeroPoint: optionalInt(i, 'b_zero_point', op),
    bias: i.optional('bias') === null ? null : i.f32('bias'),
    accumulator: accumulator(a),
  };
}

export function decodeMatMulIntegerToFloat(a: Attrs, i: Inputs): MatMulIntegerToFloatArgs {
  const op = 'matmul_integer_to_float@1';
  return { a: i.int('a'), aScale: i.f32('a_scale'), aZeroPoint: optionalInt(i, 'a_zero_point', op), ...integerToFloatOperands(a, i, op) };
}

export function decodeDynamicQuantizeMatMul(a: Attrs, i: Inputs): DynamicQuantizeMatMulArgs {
  return { a: i.f32('a'), ...integerToFloatOperands(a, i, 'dynamic_quantize_matmul@1') };
}

export function decodeQLinearLookup(op: string, i: Inputs): QLinearLookupArgs {
  return { x: i.int('x'), xScale: i.f32('x_scale'), xZeroPoint: optionalInt(i, 'x_zero_point', op), yScale: i.f32('y_scale'), yZeroPoint: optionalInt(i, 'y_zero_point', op) };
}

export function decodeQLinearLeakyRelu(a: Attrs, i: Inputs): QLinearLeakyReluArgs {
  return { ...decodeQLinearLookup('qlinear_leaky_relu@1', i), alpha: a.f64Or('alpha', 0.01) };
}

export function decodeQLinearSoftmax(a: Attrs, i: Inputs): QLinearSoftmaxArgs {
  const op = 'qlinear_softmax@1';
  // an absent axis is -1 whatever the opset: the schema's default (quantization_defs.cc, Attr("axis", ..., -1)) is what
  // the kernel's GetAttr reads, so its own `opset_ < 13 ? 1 : -1` fallback never runs (measured: onnxruntime-node 1.30)
  return { ...decodeQLinearLookup(op, i), yZeroPoint: i.int('y_zero_point'), axis: a.optionalInt('axis') ?? -1, opset: a.int('opset') };
}

export function decodeQLinearGlobalAveragePool(a: Attrs, i: Inputs): QLinearGlobalAveragePoolArgs {
  return { x: i.int('x'), xScale: i.f32('x_scale'), xZeroPoint: i.int('x_zero_point'), yScale: i.f32('y_scale'), yZeroPoint: i.int('y_zero_point'), channelsLast: a.bool('channels_last') };
}

/** An integer list attribute of any length (the pools' kernel_shape, strides, pads), or `fallback` when not given (null: required). */
function anyIntList(a: Attrs, name: string, fallback: number[] | null, op: string): number[] {
  const v = fallback ? a.value(name) : a.required(name, 'a list of integers');
  if (v === undefined && fallback) return fallback;
  if (!Array.isArray(v) || !v.every((x) => Number.isSafeInteger(x))) throw new QconformError('malformed_request', `${op}: attrs.${name}`, v, 'a list of integers');
  return v as number[];
}

export function decodeQLinearAveragePool(a: Attrs, i: Inputs): QLinearAveragePoolArgs {
  const op = 'qlinear_average_pool@1';
  const kernelShape = anyIntList(a, 'kernel_shape', null, op);
  return {
    x: i.int('x'),
    xScale: i.f32('x_scale'),
    xZeroPoint: i.int('x_zero_point'),
    yScale: i.f32('y_scale'),
    yZeroPoint: i.int('y_zero_point'),
    kernelShape,
    strides: anyIntList(a, 'strides', kernelShape.map(() => 1), op),
    pads: anyIntList(a, 'pads', [...kernelShape, ...kernelShape].map(() => 0), op),
    autoPad: a.strOr<AutoPad>('auto_pad', 'NOTSET'),
    ceilMode: a.bool('ceil_mode'),
    countIncludePad: a.bool('count_include_pad'),
    channelsLast: a.bool('channels_last'),
  };
}

/** NhwcMaxPool: x and MaxPool's window attributes (defaults: strides and dilations 1s, pads 0s, NOTSET, floor mode). */
export function decodeNhwcMaxPool(a: Attrs, i: Inputs): NhwcMaxPoolArgs {
  const op = 'nhwc_max_pool@1';
  const kernelShape = anyIntList(a, 'kernel_shape', null, op);
  return {
    x: i.int('x'),
    kernelShape,
    strides: anyIntList(a, 'strides', kernelShape.map(() => 1), op),
    pads: anyIntList(a, 'pads', [...kernelShape, ...kernelShape].map(() => 0), op),
    dilations: anyIntList(a, 'dilations', kernelShape.map(() => 1), op),
    autoPad: a.strOr<AutoPad>('auto_pad', 'NOTSET'),
    ceilMode: a.bool('ceil_mode'),
  };
}

/** QLinearWhere's nine inputs; the condition is a `uint8` tensor of 0/1 (ONNX bool). */
export function decodeQLinearWhere(i: Inputs): QLinearWhereArgs {
  return {
    condition: i.int('condition'),
    x: i.int('x'),
    xScale: i.f32('x_scale'),
    xZeroPoint: i.int('x_zero_point'),
    y: i.int('y'),
    yScale: i.f32('y_scale'),
    yZeroPoint: i.int('y_zero_point'),
    zScale: i.f32('z_scale'),
    zZeroPoint: i.int('z_zero_point'),
  };
}

/** A list attribute (strings, or float64 hex numbers), null when not given (absent or null). */
function optionalList<T>(a: Attrs, name: string, op: string, item: (v: unknown, what: string) => T): T[] | null {
  const v = a.value(name);
  if (v === undefined) return null;
  if (!Array.isArray(v)) throw new QconformError('malformed_request', `${op}: attrs.${name}`, v, 'a list');
  return v.map((x, k) => item(x, `${op}: attrs.${name}[${k}]`));
}

const stringItem = (v: unknown, what: string): string => {
  if (typeof v !== 'string') throw new QconformError('malformed_request', what, v, 'a string');
  return v;
};

/** DynamicQuantizeLSTM's twelve inputs (ONNX order, lower case) and attributes; ONNX's defaults for absent ones. */
export function decodeDynamicQuantizeLstm(a: Attrs, i: Inputs): DynamicQuantizeLstmArgs {
  const op = 'dynamic_quantize_lstm@1';
  const f32 = (name: string) => (i.optional(name) === null ? null : i.f32(name));
  return {
    x: i.f32('x'),
    w: i.int('w'),
    r: i.int('r'),
    b: f32('b'),
    sequenceLens: optionalInt(i, 'sequence_lens', op),
    initialH: f32('initial_h'),
    initialC: f32('initial_c'),
    p: f32('p'),
    wScale: i.f32('w_scale'),
    wZeroPoint: i.int('w_zero_point'),
    rScale: i.f32('r_scale'),
    rZeroPoint: i.int('r_zero_point'),
    hiddenSize: a.int('hidden_size'),
    direction: a.strOr('direction', 'forward'),
    clip: a.value('clip') === undefined ? null : a.f64('clip'),
    inputForget: a.optionalInt('input_forget') ?? 0,
    activations: optionalList(a, 'activations', op, stringItem),
    activationAlpha: optionalList(a, 'activation_alpha', op, hexToF64),
    activationBeta: optionalList(a, 'activation_beta', op, hexToF64),
    accumulator: accumulator(a),
  };
}

/** com.microsoft QLinearConv (channels_last): its nine inputs (bias optional, int32) and ConvInteger's attributes. */
export function decodeQLinearConvNhwc(a: Attrs, i: Inputs): QLinearConvNhwcArgs {
  const op = 'qlinear_conv_nhwc@1';
  const x = i.int('x');
  // one entry per spatial dim of x (the contract refuses an x of rank other than 3 to 5); 2 when x has no spatial dims
  const s = x.shape.length >= 3 ? x.shape.length - 2 : 2;
  const ones = new Array<number>(s).fill(1);
  return {
    x,
    xScale: i.f32('x_scale'),
    xZeroPoint: i.int('x_zero_point'),
    w: i.int('w'),
    wScale: i.f32('w_scale'),
    wZeroPoint: i.int('w_zero_point'),
    yScale: i.f32('y_scale'),
    yZeroPoint: i.int('y_zero_point'),
    bias: optionalInt(i, 'bias', op),
    strides: intList(a, 'strides', s, ones, op),
    pads: intList(a, 'pads', 2 * s, new Array<number>(2 * s).fill(0), op),
    dilations: intList(a, 'dilations', s, ones, op),
    group: a.optionalInt('group') ?? 1,
    accumulator: accumulator(a),
  };
}

/** com.microsoft GatherBlockQuantized: data, indices, scales, optional zero_points; ORT's attribute defaults. */
export function decodeGatherBlockQuantized(a: Attrs, i: Inputs): GatherBlockQuantizedArgs {
  const op = 'gather_block_quantized@1';
  const intOr = (name: string, fallback: number) => a.optionalInt(name) ?? fallback;
  return {
    data: i.int('data'),
    indices: i.int('indices'),
    scales: expectF32OrF16(i.tensor('scales'), `${op}: inputs.scales`),
    zeroPoints: optionalInt(i, 'zero_points', op),
    gatherAxis: intOr('gather_axis', 0),
    quantizeAxis: intOr('quantize_axis', 1),
    blockSize: intOr('block_size', 128),
    bits: intOr('bits', 4),
  };
}

/** MatMulNBits' inputs (a, b, scales, optional zero_points and bias), its ONNX attributes K, N, bits, block_size, accuracy_level (default 0), and qnbit_kernel (not an ORT attribute: the CPU's MLAS kernel set, default avx512). */
export function decodeMatMulNBits(a: Attrs, i: Inputs): MatMulNBitsArgs {
  const op = 'matmul_nbits@1';
  const bias = i.optional('bias');
  return {
    a: i.f32('a'),
    b: i.int('b'),
    scales: i.f32('scales'),
    zeroPoints: optionalInt(i, 'zero_points', op),
    bias: bias === null ? null : i.f32('bias'),
    k: a.int('K'),
    n: a.int('N'),
    bits: a.int('bits'),
    blockSize: a.int('block_size'),
    accuracyLevel: a.optionalInt('accuracy_level') ?? 0,
    qnbitKernel: a.strOr<QNBitKernel>('qnbit_kernel', 'avx512'),
  };
}

/**
 * QAttention: inputs input, weight, bias, input_scale, weight_scale, optional input_zero_point, weight_zero_point,
 * mask_index, past; attrs num_heads, unidirectional (default 0), accumulator, softmax_kernel (default avx512f).
 */
export function decodeQAttention(a: Attrs, i: Inputs): QAttentionArgs {
  const op = 'qattention@1';
  const past = i.optional('past');
  return {
    input: i.int('input'),
    weight: i.int('weight'),
    bias: i.f32('bias'),
    inputScale: i.f32('input_scale'),
    weightScale: i.f32('weight_scale'),
    inputZeroPoint: optionalInt(i, 'input_zero_point', op),
    weightZeroPoint: optionalInt(i, 'weight_zero_point', op),
    maskIndex: optionalInt(i, 'mask_index', op),
    past: past === null ? null : i.f32('past'),
    numHeads: a.int('num_heads'),
    unidirectional: a.optionalInt('unidirectional') ?? 0,
    accumulator: accumulator(a),
    softmaxKernel: a.strOr<SoftmaxKernel>('softmax_kernel', 'avx512f'),
  };
}

/**
 * QEmbedLayerNormalization's inputs (ONNX names; the four segment inputs and mask optional) and its float attribute
 * epsilon (float64 hex, ORT's 1e-12f when absent).
 */
export function decodeQEmbedLayerNorm(a: Attrs, i: Inputs): QEmbedLayerNormArgs {
  const op = 'qembed_layer_normalization@1';
  const optionalF32 = (name: string) => {
    const t = i.optional(name);
    return t === null ? null : expectF32(t, `${op}: inputs.${name}`);
  };
  return {
    inputIds: i.int('input_ids'),
    segmentIds: optionalInt(i, 'segment_ids', op),
    wordEmbedding: i.int('word_embedding'),
    positionEmbedding: i.int('position_embedding'),
    segmentEmbedding: optionalInt(i, 'segment_embedding', op),
    gamma: i.int('gamma'),
    beta: i.int('beta'),
    mask: optionalInt(i, 'mask', op),
    wordEmbeddingScale: i.f32('word_embedding_scale'),
    positionEmbeddingScale: i.f32('position_embedding_scale'),
    segmentEmbeddingScale: optionalF32('segment_embedding_scale'),
    gammaScale: i.f32('gamma_scale'),
    betaScale: i.f32('beta_scale'),
    wordEmbeddingZeroPoint: i.int('word_embedding_zero_point'),
    positionEmbeddingZeroPoint: i.int('position_embedding_zero_point'),
    segmentEmbeddingZeroPoint: optionalInt(i, 'segment_embedding_zero_point', op),
    gammaZeroPoint: i.int('gamma_zero_point'),
    betaZeroPoint: i.int('beta_zero_point'),
    epsilon: a.f64Or('epsilon', DEFAULT_EMBED_LAYER_NORM_EPSILON),
  };
}

/** MatMulInteger16's two int16 operands. */
export function decodeMatMulInteger16(i: Inputs): MatMulInteger16Args {
  return { a: i.int('a'), b: i.int('b') };
}

/** QLinearConcat's tuples: inputs x0, x0_scale, x0_zero_point, x1, ... numbered from 0 without gaps. */
export function decodeQLinearConcat(a: Attrs, i: Inputs): QLinearConcatArgs {
  const inputs = [];
  for (let k = 0; i.optional(`x${k}`) !== null; k++) inputs.push({ x: i.int(`x${k}`), scale: i.f32(`x${k}_scale`), zeroPoint: i.int(`x${k}_zero_point`) });
  return { yScale: i.f32('y_scale'), yZeroPoint: i.int('y_zero_point'), inputs, axis: a.int('axis') };
}

/** `raw` is the request's attrs object: every attribute is checked against the op's schema first, as ORT checks a model before it runs it. */
export function evaluateOnnxQOp(ops: OnnxQOps, op: OnnxQOpName, a: Attrs, i: Inputs, raw: Record<string, unknown>): TypedOutputs {
  checkOnnxAttributes(op, ONNX_QOP_ATTRIBUTES[op], raw);
  switch (op) {
    case 'matmul_integer@1':
      return { y: ops.matmulInteger(decodeMatMulInteger(a, i)) };
    case 'qlinear_matmul@1':
      return { y: ops.qlinearMatMul(decodeQLinearMatMul(a, i)) };
    case 'qgemm@1':
      return { y: ops.qgemm(decodeQGemm(a, i)) };
    case 'conv_integer@1':
      return { y: ops.convInteger(decodeConvInteger(a, i)) };
    case 'qlinear_add@1':
      return { y: ops.qlinearAdd(decodeQLinearBinary(op, i)) };
    case 'qlinear_mul@1':
      return { y: ops.qlinearMul(decodeQLinearBinary(op, i)) };
    case 'matmul_integer_to_float@1':
      return { y: ops.matmulIntegerToFloat(decodeMatMulIntegerToFloat(a, i)) };
    case 'dynamic_quantize_matmul@1':
      return { y: ops.dynamicQuantizeMatMul(decodeDynamicQuantizeMatMul(a, i)) };
    case 'qlinear_leaky_relu@1':
      return { y: ops.qlinearLeakyRelu(decodeQLinearLeakyRelu(a, i)) };
    case 'qlinear_sigmoid@1':
      return { y: ops.qlinearSigmoid(decodeQLinearLookup(op, i)) };
    case 'qlinear_softmax@1':
      return { y: ops.qlinearSoftmax(decodeQLinearSoftmax(a, i)) };
    case 'qlinear_global_average_pool@1':
      return { y: ops.qlinearGlobalAveragePool(decodeQLinearGlobalAveragePool(a, i)) };
    case 'qlinear_average_pool@1':
      return { y: ops.qlinearAveragePool(decodeQLinearAveragePool(a, i)) };
    case 'qlinear_concat@1':
      return { y: ops.qlinearConcat(decodeQLinearConcat(a, i)) };
    case 'qlinear_where@1':
      return { y: ops.qlinearWhere(decodeQLinearWhere(i)) };
    case 'dynamic_quantize_lstm@1': {
      const r = ops.dynamicQuantizeLstm(decodeDynamicQuantizeLstm(a, i));
      return { y: r.y, y_h: r.yH, y_c: r.yC };
    }
    case 'qlinear_conv_nhwc@1':
      return { y: ops.qlinearConvNhwc(decodeQLinearConvNhwc(a, i)) };
    case 'gather_block_quantized@1':
      return { y: ops.gatherBlockQuantized(decodeGatherBlockQuantized(a, i)) };
    case 'matmul_nbits@1':
      return { y: ops.matmulNBits(decodeMatMulNBits(a, i)) };
    case 'qattention@1': {
      // present only when past is given (ORT's optional output 1)
      const r = ops.qattention(decodeQAttention(a, i));
      return r.present ? { y: r.y, present: r.present } : { y: r.y };
    }
    case 'qembed_layer_normalization@1': {
      const r = ops.qembedLayerNormalization(decodeQEmbedLayerNorm(a, i));
      return { y: r.y, mask_index: r.maskIndex };
    }
    case 'matmul_integer16@1':
      return { y: ops.matmulInteger16(decodeMatMulInteger16(i)) };
    case 'nhwc_max_pool@1':
      return { y: ops.nhwcMaxPool(decodeNhwcMaxPool(a, i)) };
  }
}
