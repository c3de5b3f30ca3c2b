/**
 * The ONNX integer ops (contract/onnx_qops.ts) on ONNX Runtime (onnxruntime-node, CPU execution provider, one
 * intra-op thread): each request becomes a one-node model (one_node_model.ts) of MatMulInteger,
 * QLinearMatMul (opset 13), ConvInteger or com.microsoft QGemm, QLinearAdd, QLinearMul, MatMulIntegerToFloat,
 * DynamicQuantizeMatMul, QLinearLeakyRelu, QLinearSigmoid, QLinearSoftmax, QLinearGlobalAveragePool, QLinearAveragePool,
 * QLinearConcat, QLinearWhere, DynamicQuantizeLSTM (Y, Y_h and Y_c; W and R pre-packed), QLinearConv (com.microsoft,
 * channels_last = 1), GatherBlockQuantized (its indices the graph input, its data an initializer: onnxruntime-node
 * cannot pass 4-bit tensors); the left operand (a, x for the LSTM; QLinearConcat's first tensor) is the graph input,
 * QLinearConcat, QLinearWhere, MatMulNBits; the left operand (a, x; QLinearConcat's first tensor) is the graph input,
 * QLinearConcat, QLinearWhere, QAttention; the left operand (QAttention's input) (a, x; QLinearConcat's first tensor) is the graph input,
 * QLinearConcat, QLinearWhere, QEmbedLayerNormalization (input_ids fed, mask_index its second output); the left operand (a, x; QLinearConcat's first tensor) is the graph input,
 * QLinearConcat, QLinearWhere, MatMulInteger16, NhwcMaxPool; the left operand (a, x; QLinearConcat's first tensor) is the graph input,
 * everything else an initializer (QLinearWhere's condition a BOOL tensor from the wire's uint8 0/1), so ORT pre-packs b / w as it does for a model's weights. The request's
 * `accumulator` attribute is not an input to ORT (which model its MLAS kernels follow on a CPU:
 * ort_cpu_paths.ts). Attributes the op's schema refuses (contract/onnx_qop_attributes.ts: an undeclared one, a declared
 * one of another type) are put on the node as they are (ort_attributes.ts), so that ORT's own schema check refuses the
 * model (malformed_request, as the contract); qconform's own attributes (accumulator, softmax_kernel, qnbit_kernel) are
 * never given to ORT. When ORT refuses a request, the error code is the contract's code for it if the contract
 * refuses it too (ORT's message is kept), else backend_error.
 * A request with an integer outside its ONNX element type (onnxruntime-node would pass it wrapped, ort_int_range.ts), with
 * a wire dtype the model does not carry (ort_dtype_alias.ts ONNX_ELEM; ort_not_given.ts), or with a wire dtype ORT is
 * given as another's (uint8 where the op takes quint8: both ONNX uint8) where the contract tells the request from its
 * twin (ort_dtype_alias.ts) is not run on ORT: answered with the contract's first refusal, marked not_run, before the
 * session is created. With an attribute the op's schema refuses, ORT refuses the node before it reads a value: a dtype
 * the model has no ONNX element type for is then carried as uint8 (carrier), and ORT's own refusal is the answer, as on
 * the QDQ adapter (qdq.ts).
 * Reached through ORT_OPS (onnxruntime_ops.ts), whose withoutKnownCrashes (ort_known_crashes.ts) keeps from ORT the
 * requests known to kill its process.
 */
import { checkConvInteger } from '../../../contract/conv_integer_checks.js';
import { QconformError, isQconformError } from '../../../contract/errors.js';
import { checkMatMulInteger, checkQGemm, checkQLinearMatMul } from '../../../contract/onnx_matmul_checks.js';
import type { OnnxQOpName } from '../../../contract/onnx_qops.js';
import type { F16Tensor, F32Tensor, IntTensor } from '../../../contract/tensor.js';
import { encodeTensor } from '../../../contract/wire.js';
import type { Attrs, Inputs, WireRequest, WireResponse } from '../../protocol/messages.js';
import { decodeRequest } from '../../protocol/request_fields.js';
import { decodeConvInteger, decodeDynamicQuantizeLstm, decodeDynamicQuantizeMatMul, decodeMatMulInteger, decodeMatMulIntegerToFloat, decodeQGemm, decodeQLinearAveragePool, decodeQLinearBinary, decodeQLinearConcat, decodeQLinearWhere, decodeQLinearGlobalAveragePool, decodeQLinearLeakyRelu, decodeQLinearLookup, decodeQLinearMatMul, decodeQLinearSoftmax, isOnnxQOpName, decodeGatherBlockQuantized, decodeQLinearConvNhwc, decodeMatMulNBits, decodeQAttention, decodeQEmbedLayerNorm, decodeMatMulInteger16, decodeNhwcMaxPool } from '../../protocol/onnx_qops_dispatch.js';
import { checkQLinearBinary } from '../../../contract/qlinear_binary_checks.js';
import { checkDynamicQuantizeMatMul, checkMatMulIntegerToFloat } from '../../../contract/matmul_integer_to_float_checks.js';
import { checkQLinearLeakyRelu, checkQLinearLookup } from '../../../contract/qlinear_lookup_checks.js';
import { checkQLinearSoftmax } from '../../../contract/qlinear_softmax_checks.js';
import { checkQLinearAveragePool, checkQLinearGlobalAveragePool } from '../../../contract/qlinear_pool_checks.js';
import { checkQLinearConcat } from '../../../contract/qlinear_concat_checks.js';
import { checkQLinearWhere } from '../../../contract/qlinear_where_checks.js';
import { checkDynamicQuantizeLstm } from '../../../contract/dynamic_quantize_lstm_checks.js';
import { checkQLinearConvNhwc } from '../../../contract/qlinear_conv_nhwc_checks.js';
import { checkGatherBlockQuantized } from '../../../contract/gather_block_quantized_checks.js';
import { checkQAttention } from '../../../contract/qattention_checks.js';
import { checkQEmbedLayerNorm } from '../../../contract/qembed_layer_norm_checks.js';
import { type OnnxElem, type OnnxValue, type OneNodeModel, oneNodeModel, ortData, withExtraAttributes, withoutTrailingOmitted } from './one_node_model.js';
import { ORT_ATTRIBUTE_REFUSAL } from '../../../contract/onnx_attributes.js';
import { ONNX_QOP_ATTRIBUTES } from '../../../contract/onnx_qop_attributes.js';
import { type OrtAttributes, ortAttributes, wireStandIn } from './ort_attributes.js';
import { isOrtIntElement, refuseOutsideElementType } from './ort_int_range.js';
import { NotGivenToOrt, answerNotGivenToOrt } from './ort_not_given.js';
import { answerDtypeAlias, onnxElemOf } from './ort_dtype_alias.js';
import type { OrtModule } from './qlinear_conv.js';
import { checkMatMulNBits } from '../../../contract/matmul_nbits_checks.js';
import { checkMatMulInteger16 } from '../../../contract/matmul_integer16_checks.js';
import { checkNhwcMaxPool } from '../../../contract/nhwc_max_pool_checks.js';

/** How the one-node model carries the request's tensors (carrier). */
interface Carrier {
  /** input `name` as the model carries it */
  readonly value: (name: string, t: IntTensor | F32Tensor | F16Tensor) => OnnxValue;
  /** input `name` as a model input, null for an omitted one */
  readonly named: (name: string, t: IntTensor | F32Tensor | F16Tensor | null) => readonly [string, OnnxValue] | null;
  /** the ONNX element type of an output of wire dtype `dtype` */
  readonly ELEM: (dtype: string) => OnnxElem;
}

/**
 * The model's carrier of wire tensors, each in its ONNX element type (ort_dtype_alias.ts ONNX_ELEM). A dtype without one
 * is not given to ORT (NotGivenToOrt: the request is not run on ORT), unless `standIn`: the request has attributes the
 * op's schema refuses (ORT refuses the node for them before it reads a value), so the tensor is carried as uint8, its
 * values wrapped, and ORT's own refusal stands, as the QDQ adapter does (qdq.ts onnxType).
 */
function carrier(standIn: boolean): Carrier {
  const elemOf = (name: string, dtype: string): OnnxElem => {
    const elem = onnxElemOf(dtype);
    if (elem) return elem;
    if (standIn) return 'uint8';
    throw new NotGivenToOrt(`a dtype the model cannot give ORT: ${name} ${dtype}, which the one-node model has no ONNX element type for`);
  };
  const value = (name: string, t: IntTensor | F32Tensor | F16Tensor): OnnxValue => ({ elem: elemOf(name, t.dtype), dims: t.shape, values: t.data });
  return { value, named: (name, t) => (t ? [name, value(name, t)] : null), ELEM: (dtype) => elemOf('the output', dtype) };
}

/**
 * The one-node model of a request and the contract check of the same request (to name ORT's refusals); `extra` maps
 * the wire names of further outputs to the model's extraOutputs.
 */
function modelOf(op: OnnxQOpName, a: Attrs, i: Inputs, { named, ELEM }: Carrier): { model: OneNodeModel; feed: IntTensor | F32Tensor; check: () => unknown; extra?: Record<string, string> } {
  switch (op) {
    case 'matmul_integer@1': {
      const m = decodeMatMulInteger(a, i);
      const inputs = withoutTrailingOmitted([named('A', m.a), named('B', m.b), named('a_zero_point', m.aZeroPoint), named('b_zero_point', m.bZeroPoint)]);
      return { model: { opType: 'MatMulInteger', domain: '', opset: 13, inputs, graphInputs: ['A'], output: { name: 'Y', elem: 'int32' } }, feed: m.a, check: () => checkMatMulInteger(m) };
    }
    case 'qlinear_matmul@1': {
      const m = decodeQLinearMatMul(a, i);
      const inputs = [named('a', m.a), named('a_scale', m.aScale), named('a_zero_point', m.aZeroPoint), named('b', m.b), named('b_scale', m.bScale), named('b_zero_point', m.bZeroPoint), named('y_scale', m.yScale), named('y_zero_point', m.yZeroPoint)];
      return { model: { opType: 'QLinearMatMul', domain: '', opset: 13, inputs, graphInputs: ['a'], output: { name: 'y', elem: ELEM(m.a.dtype) } }, feed: m.a, check: () => checkQLinearMatMul(m) };
    }
    case 'qgemm@1': {
      const m = decodeQGemm(a, i);
      const inputs = [named('A', m.a), named('a_scale', m.aScale), named('a_zero_point', m.aZeroPoint), named('B', m.b), named('b_scale', m.bScale), named('b_zero_point', m.bZeroPoint), named('C', m.c), named('y_scale', m.yScale), named('y_zero_point', m.yZeroPoint)];
      // the schema counts five inputs: an omitted zero point stays as an empty name
      const attributes = [{ name: 'transA', int: m.transA ? 1 : 0 }, { name: 'transB', int: m.transB ? 1 : 0 }, { name: 'alpha', float: m.alpha }];
      const elem = m.yScale ? ELEM(m.a.dtype) : 'float32';
      return { model: { opType: 'QGemm', domain: 'com.microsoft', opset: 13, inputs, graphInputs: ['A'], output: { name: 'Y', elem }, attributes }, feed: m.a, check: () => checkQGemm(m) };
    }
    case 'conv_integer@1': {
      const m = decodeConvInteger(a, i);
      const inputs = withoutTrailingOmitted([named('x', m.x), named('w', m.w), named('x_zero_point', m.xZeroPoint), named('w_zero_point', m.wZeroPoint)]);
      const attributes = [
        { name: 'strides', ints: m.strides },
        { name: 'pads', ints: m.pads },
        { name: 'dilations', ints: m.dilations },
        { name: 'group', int: m.group },
        { name: 'kernel_shape', ints: m.w.shape.slice(2) },
      ];
      return { model: { opType: 'ConvInteger', domain: '', opset: 13, inputs, graphInputs: ['x'], output: { name: 'y', elem: 'int32' }, attributes }, feed: m.x, check: () => checkConvInteger(m) };
    }
    case 'qlinear_add@1':
    case 'qlinear_mul@1': {
      const m = decodeQLinearBinary(op, i);
      const inputs = withoutTrailingOmitted([named('A', m.a), named('A_scale', m.aScale), named('A_zero_point', m.aZeroPoint), named('B', m.b), named('B_scale', m.bScale), named('B_zero_point', m.bZeroPoint), named('C_scale', m.cScale), named('C_zero_point', m.cZeroPoint)]);
      const opType = op === 'qlinear_add@1' ? 'QLinearAdd' : 'QLinearMul';
      return { model: { opType, domain: 'com.microsoft', opset: 13, inputs, graphInputs: ['A'], output: { name: 'C', elem: ELEM(m.a.dtype) } }, feed: m.a, check: () => checkQLinearBinary(op.split('@')[0]!, m) };
    }
    case 'matmul_integer_to_float@1': {
      const m = decodeMatMulIntegerToFloat(a, i);
      const inputs = withoutTrailingOmitted([named('A', m.a), named('B', m.b), named('a_scale', m.aScale), named('b_scale', m.bScale), named('a_zero_point', m.aZeroPoint), named('b_zero_point', m.bZeroPoint), named('bias', m.bias)]);
      return { model: { opType: 'MatMulIntegerToFloat', domain: 'com.microsoft', opset: 13, inputs, graphInputs: ['A'], output: { name: 'Y', elem: 'float32' } }, feed: m.a, check: () => checkMatMulIntegerToFloat(m)};
    }
    case 'dynamic_quantize_matmul@1': {
      const m = decodeDynamicQuantizeMatMul(a, i);
      const inputs = withoutTrailingOmitted([named('A', m.a), named('B', m.b), named('b_scale', m.bScale), named('b_zero_point', m.bZeroPoint), named('bias', m.bias)]);
      return { model: { opType: 'DynamicQuantizeMatMul', domain: 'com.microsoft', opset: 13, inputs, graphInputs: ['A'], output: { name: 'Y', elem: 'float32' } }, feed: m.a, check: () => checkDynamicQuantizeMatMul(m)};
    }
    case 'qlinear_leaky_relu@1':
    case 'qlinear_sigmoid@1': {
      const leaky = op === 'qlinear_leaky_relu@1' ? decodeQLinearLeakyRelu(a, i) : null;
      const m = leaky ?? decodeQLinearLookup(op, i);
      const inputs = [named('X', m.x), named('X_scale', m.xScale), named('X_zero_point', m.xZeroPoint), named('Y_scale', m.yScale), named('Y_zero_point', m.yZeroPoint)];
      // all five input slots, an omitted zero point as an empty name: the kernel reads InputDefs()[4] unchecked
      // (qlinear_activations.cc BuildLookupTableIfFixed), and a four-input node aborts the process in ORT 1.30
      const attributes = leaky ? [{ name: 'alpha', float: leaky.alpha }] : [];
      const opType = leaky ? 'QLinearLeakyRelu' : 'QLinearSigmoid';
      const check = () => (leaky ? checkQLinearLeakyRelu('qlinear_leaky_relu', leaky) : checkQLinearLookup('qlinear_sigmoid', m));
      return { model: { opType, domain: 'com.microsoft', opset: 13, inputs, graphInputs: ['X'], output: { name: 'Y', elem: ELEM(m.x.dtype) }, attributes }, feed: m.x, check };
    }
    case 'qlinear_softmax@1': {
      const m = decodeQLinearSoftmax(a, i);
      const inputs = withoutTrailingOmitted([named('X', m.x), named('X_scale', m.xScale), named('x_zero_point', m.xZeroPoint), named('y_scale', m.yScale), named('y_zero_point', m.yZeroPoint)]);
      // axis only when the request gives it, so that one not given (absent or null) runs ORT's own default (from its int32 opset)
      const attributes = [...(a.has('axis') ? [{ name: 'axis', int: m.axis }] : []), { name: 'opset', int: m.opset }];
      return { model: { opType: 'QLinearSoftmax', domain: 'com.microsoft', opset: 13, inputs, graphInputs: ['X'], output: { name: 'Y', elem: ELEM(m.x.dtype) }, attributes }, feed: m.x, check: () => checkQLinearSoftmax('qlinear_softmax', m)};
    }
    case 'qlinear_global_average_pool@1': {
      const m = decodeQLinearGlobalAveragePool(a, i);
      const inputs = [named('X', m.x), named('x_scale', m.xScale), named('x_zero_point', m.xZeroPoint), named('y_scale', m.yScale), named('y_zero_point', m.yZeroPoint)];
      const attributes = [{ name: 'channels_last', int: m.channelsLast ? 1 : 0 }];
      return { model: { opType: 'QLinearGlobalAveragePool', domain: 'com.microsoft', opset: 13, inputs, graphInputs: ['X'], output: { name: 'Y', elem: ELEM(m.x.dtype) }, attributes }, feed: m.x, check: () => checkQLinearGlobalAveragePool('qlinear_global_average_pool', m) };
    }
    case 'qlinear_average_pool@1': {
      const m = decodeQLinearAveragePool(a, i);
      const inputs = [named('X', m.x), named('x_scale', m.xScale), named('x_zero_point', m.xZeroPoint), named('y_scale', m.yScale), named('y_zero_point', m.yZeroPoint)];
      const attributes = [
        { name: 'kernel_shape', ints: m.kernelShape },
        { name: 'strides', ints: m.strides },
        ...(m.autoPad === 'NOTSET' ? [{ name: 'pads', ints: m.pads }] : [{ name: 'auto_pad', str: m.autoPad }]),
        { name: 'ceil_mode', int: m.ceilMode ? 1 : 0 },
        { name: 'count_include_pad', int: m.countIncludePad ? 1 : 0 },
        { name: 'channels_last', int: m.channelsLast ? 1 : 0 },
      ];
      return { model: { opType: 'QLinearAveragePool', domain: 'com.microsoft', opset: 13, inputs, graphInputs: ['X'], output: { name: 'Y', elem: ELEM(m.x.dtype) }, attributes }, feed: m.x, check: () => checkQLinearAveragePool('qlinear_average_pool', m)};
    }
    case 'qlinear_concat@1': {
      const m = decodeQLinearConcat(a, i);
      const inputs = [named('Y_scale', m.yScale), named('Y_zero_point', m.yZeroPoint), ...m.inputs.flatMap((t, k) => [named(`X${k}`, t.x), named(`X${k}_scale`, t.scale), named(`X${k}_zero_point`, t.zeroPoint)])];
      const feed = m.inputs[0]?.x;
      if (!feed) throw new QconformError('malformed_request', 'qlinear_concat@1: inputs', 0, 'at least one (x, scale, zero point) tuple');
      const attributes = [{ name: 'axis', int: m.axis }];
      return { model: { opType: 'QLinearConcat', domain: 'com.microsoft', opset: 13, inputs, graphInputs: ['X0'], output: { name: 'Y', elem: onnxElemOf(m.yZeroPoint.dtype) ?? 'uint8' }, attributes }, feed, check: () => checkQLinearConcat('qlinear_concat', m) };
    }
    case 'qlinear_where@1': {
      const m = decodeQLinearWhere(i);
      // ONNX bool: one byte per element, 0 or 1, as the wire's uint8 condition carries it
      const condition = ['condition', { elem: 'bool', dims: m.condition.shape, values: m.condition.data }] as const;
      const inputs = [condition, named('X', m.x), named('x_scale', m.xScale), named('x_zero_point', m.xZeroPoint), named('Y', m.y), named('y_scale', m.yScale), named('y_zero_point', m.yZeroPoint), named('z_scale', m.zScale), named('z_zero_point', m.zZeroPoint)];
      return { model: { opType: 'QLinearWhere', domain: 'com.microsoft', opset: 13, inputs, graphInputs: ['X'], output: { name: 'Z', elem: onnxElemOf(m.zZeroPoint.dtype) ?? 'uint8' } }, feed: m.x, check: () => checkQLinearWhere('qlinear_where', m) };
    }
    case 'dynamic_quantize_lstm@1': {
      const m = decodeDynamicQuantizeLstm(a, i);
      const inputs = [named('X', m.x), named('W', m.w), named('R', m.r), named('B', m.b), named('sequence_lens', m.sequenceLens), named('initial_h', m.initialH), named('initial_c', m.initialC), named('P', m.p), named('W_scale', m.wScale), named('W_zero_point', m.wZeroPoint), named('R_scale', m.rScale), named('R_zero_point', m.rZeroPoint)];
      const attributes = [
        { name: 'hidden_size', int: m.hiddenSize },
        { name: 'direction', str: m.direction },
        { name: 'input_forget', int: m.inputForget },
        ...(m.clip === null ? [] : [{ name: 'clip', float: m.clip }]),
        ...(m.activations ? [{ name: 'activations', strs: m.activations }] : []),
        ...(m.activationAlpha ? [{ name: 'activation_alpha', floats: m.activationAlpha }] : []),
        ...(m.activationBeta ? [{ name: 'activation_beta', floats: m.activationBeta }] : []),
      ];
      const model: OneNodeModel = { opType: 'DynamicQuantizeLSTM', domain: 'com.microsoft', opset: 13, inputs, graphInputs: ['X'], output: { name: 'Y', elem: 'float32' }, extraOutputs: [{ name: 'Y_h', elem: 'float32' }, { name: 'Y_c', elem: 'float32' }], attributes };
      return { model, feed: m.x, check: () => checkDynamicQuantizeLstm(m), extra: { y_h: 'Y_h', y_c: 'Y_c' } };
    }
    case 'qlinear_conv_nhwc@1': {
      const m = decodeQLinearConvNhwc(a, i);
      const inputs = withoutTrailingOmitted([named('x', m.x), named('x_scale', m.xScale), named('x_zero_point', m.xZeroPoint), named('w', m.w), named('w_scale', m.wScale), named('w_zero_point', m.wZeroPoint), named('y_scale', m.yScale), named('y_zero_point', m.yZeroPoint), named('B', m.bias)]);
      const attributes = [
        { name: 'channels_last', int: 1 },
        { name: 'strides', ints: m.strides },
        { name: 'pads', ints: m.pads },
        { name: 'dilations', ints: m.dilations },
        { name: 'group', int: m.group },
        { name: 'kernel_shape', ints: m.w.shape.slice(2) },
      ];
      return { model: { opType: 'QLinearConv', domain: 'com.microsoft', opset: 13, inputs, graphInputs: ['x'], output: { name: 'y', elem: onnxElemOf(m.x.dtype) ?? 'uint8' }, attributes }, feed: m.x, check: () => checkQLinearConvNhwc('qlinear_conv_nhwc', m) };
    }
    case 'gather_block_quantized@1': {
      const m = decodeGatherBlockQuantized(a, i);
      const inputs = withoutTrailingOmitted([named('data', m.data), named('indices', m.indices), named('scales', m.scales), named('zero_points', m.zeroPoints)]);
      const attributes = [
        { name: 'gather_axis', int: m.gatherAxis },
        { name: 'quantize_axis', int: m.quantizeAxis },
        { name: 'block_size', int: m.blockSize },
        { name: 'bits', int: m.bits },
      ];
      return { model: { opType: 'GatherBlockQuantized', domain: 'com.microsoft', opset: 21, inputs, graphInputs: ['indices'], output: { name: 'y', elem: m.scales.dtype === 'float16' ? 'float16' : 'float32' }, attributes }, feed: m.indices, check: () => checkGatherBlockQuantized(m) };
    }
    case 'matmul_nbits@1': {
      const m = decodeMatMulNBits(a, i);
      // b, scales, zero points and bias are initializers (ORT pre-packs B as for a model's weights); g_idx is omitted
      const inputs = withoutTrailingOmitted([named('A', m.a), named('B', m.b), named('scales', m.scales), named('zero_points', m.zeroPoints), null, named('bias', m.bias)]);
      const attributes = [{ name: 'K', int: m.k }, { name: 'N', int: m.n }, { name: 'bits', int: m.bits }, { name: 'block_size', int: m.blockSize }, { name: 'accuracy_level', int: m.accuracyLevel }];
      return { model: { opType: 'MatMulNBits', domain: 'com.microsoft', opset: 21, inputs, graphInputs: ['A'], output: { name: 'Y', elem: 'float32' }, attributes }, feed: m.a, check: () => checkMatMulNBits('matmul_nbits', m) };
    }
    case 'qattention@1': {
      // the input is fed, the weight an initializer (ORT pre-packs it per head: QAttention::PrePack)
      const m = decodeQAttention(a, i);
      const inputs = withoutTrailingOmitted([named('input', m.input), named('weight', m.weight), named('bias', m.bias), named('input_scale', m.inputScale), named('weight_scale', m.weightScale), named('mask_index', m.maskIndex), named('input_zero_point', m.inputZeroPoint), named('weight_zero_point', m.weightZeroPoint), named('past', m.past)]);
      const attributes = [{ name: 'num_heads', int: m.numHeads }, { name: 'unidirectional', int: m.unidirectional }];
      // with past, ORT requires its present output (AttentionBase::GetPresent)
      const model: OneNodeModel = { opType: 'QAttention', domain: 'com.microsoft', opset: 13, inputs, graphInputs: ['input'], output: { name: 'output', elem: 'float32' }, attributes, ...(m.past ? { extraOutputs: [{ name: 'present', elem: 'float32' as const }] } : {}) };
      return { model, feed: m.input, check: () => checkQAttention('qattention', m), ...(m.past ? { extra: { present: 'present' } } : {}) };
    }
    case 'qembed_layer_normalization@1': {
      const m = decodeQEmbedLayerNorm(a, i);
      const inputs = [
        named('input_ids', m.inputIds), named('segment_ids', m.segmentIds), named('word_embedding', m.wordEmbedding), named('position_embedding', m.positionEmbedding),
        named('segment_embedding', m.segmentEmbedding), named('gamma', m.gamma), named('beta', m.beta), named('mask', m.mask),
        named('word_embedding_scale', m.wordEmbeddingScale), named('position_embedding_scale', m.positionEmbeddingScale), named('segment_embedding_scale', m.segmentEmbeddingScale),
        named('gamma_scale', m.gammaScale), named('beta_scale', m.betaScale),
        named('word_embedding_zero_point', m.wordEmbeddingZeroPoint), named('position_embedding_zero_point', m.positionEmbeddingZeroPoint),
        named('segment_embedding_zero_point', m.segmentEmbeddingZeroPoint), named('gamma_zero_point', m.gammaZeroPoint), named('beta_zero_point', m.betaZeroPoint),
      ];
      // epsilon only when the request gives it, so that ORT's own default (1e-12f) is what one not given (absent or null) runs
      const attributes = a.has('epsilon') ? [{ name: 'epsilon', float: m.epsilon }] : [];
      const model: OneNodeModel = { opType: 'QEmbedLayerNormalization', domain: 'com.microsoft', opset: 13, inputs, graphInputs: ['input_ids'], output: { name: 'layernorm_out', elem: 'float32' }, extraOutputs: [{ name: 'mask_index_out', elem: 'int32' }], attributes };
      return { model, feed: m.inputIds, check: () => checkQEmbedLayerNorm('qembed_layer_normalization', m), extra: { mask_index: 'mask_index_out' } };
    }
    case 'matmul_integer16@1': {
      const m = decodeMatMulInteger16(i);
      return { model: { opType: 'MatMulInteger16', domain: 'com.microsoft', opset: 13, inputs: [named('A', m.a), named('B', m.b)], graphInputs: ['A'], output: { name: 'Y', elem: 'int32' } }, feed: m.a, check: () => checkMatMulInteger16(m) };
    }
    case 'nhwc_max_pool@1': {
      const m = decodeNhwcMaxPool(a, i);
      const attributes = [
        { name: 'kernel_shape', ints: m.kernelShape },
        { name: 'strides', ints: m.strides },
        { name: 'dilations', ints: m.dilations },
        ...(m.autoPad === 'NOTSET' ? [{ name: 'pads', ints: m.pads }] : [{ name: 'auto_pad', str: m.autoPad }]),
        { name: 'ceil_mode', int: m.ceilMode ? 1 : 0 },
      ];
      return { model: { opType: 'NhwcMaxPool', domain: 'com.microsoft', opset: 13, inputs: [named('x', m.x)], graphInputs: ['x'], output: { name: 'y', elem: ELEM(m.x.dtype) }, attributes }, feed: m.x, check: () => checkNhwcMaxPool('nhwc_max_pool', m) };
    }
  }
}

/** The ORT output as a contract tensor (quint8 / qint8 / int32 / float32 / float16 bit patterns). */
function outputTensor(y: InstanceType<OrtModule['Tensor']>): IntTensor | F32Tensor | F16Tensor {
  const dims = [...y.dims];
  switch (y.type) {
    case 'uint8':
      return { dtype: 'quint8', shape: dims, data: Int32Array.from(y.data as Uint8Array) };
    case 'int8':
      return { dtype: 'qint8', shape: dims, data: Int32Array.from(y.data as Int8Array) };
    case 'int32':
      return { dtype: 'int32', shape: dims, data: Int32Array.from(y.data as Int32Array) };
    case 'float32':
      return { dtype: 'float32', shape: dims, data: Float32Array.from(y.data as Float32Array) };
    case 'float16':
      // onnxruntime-node hands float16 data over as the raw binary16 bit patterns (Uint16Array)
      return { dtype: 'float16', shape: dims, data: Uint16Array.from(y.data as Uint16Array) };
    default:
      throw new QconformError('invalid_dtype', 'onnxruntime output dtype', y.type, 'uint8, int8, int32 or float32');
  }
}

/** The contract's refusal of the request (null: the contract takes it). */
function contractRefusal(check: () => unknown): QconformError | null {
  try {
    check();
    return null;
  } catch (e) {
    return isQconformError(e) ? e : null;
  }
}

function contractCode(check: (() => unknown) | null): string {
  return (check && contractRefusal(check)?.code) ?? 'backend_error';
}

/**
 * The integer values of the model's inputs (fed and initializers) that ORT cannot be given, found before the model is
 * built: the request is then not run on ORT, answered with the contract's first refusal (ort_int_range.ts).
 */
function refuseWrappedInputs(op: OnnxQOpName, model: OneNodeModel): void {
  for (const input of model.inputs) {
    if (input && isOrtIntElement(input[1].elem)) refuseOutsideElementType(`${op.split('@')[0]}: ${input[0]}`, input[1].elem, input[1].values);
  }
}

/**
 * The model of a request whose refused attributes (`faults`) are left out: where the wire form requires one, the decoder
 * is given a value of its wire form instead (ort_attributes.ts wireStandIn); the node then carries the refused ones.
 */
function modelWithout(op: OnnxQOpName, request: WireRequest, split: OrtAttributes, carry: Carrier): ReturnType<typeof modelOf> {
  const schema = ONNX_QOP_ATTRIBUTES[op];
  const attrs: Record<string, unknown> = { ...split.kept };
  for (;;) {
    try {
      // decoded as the contract decodes it: a field the op does not take is refused before ORT sees the model
      const built = decodeRequest(op, attrs, request.inputs, (a, i) => modelOf(op, a, i, carry));
      return split.extra.length ? { ...built, model: { ...built.model, attributes: withExtraAttributes(built.model.attributes ?? [], split.extra) } } : built;
    } catch (e) {
      const f = isQconformError(e) ? split.faults.find((x) => !(x.name in attrs) && e.what.startsWith(`${op}: attrs.${x.name}`)) : undefined;
      const standIn = f ? wireStandIn(schema, f) : null;
      if (!f || standIn === null) throw e;
      attrs[f.name] = standIn;
    }
  }
}

/** Runs one wire request of an ONNX integer op through ORT (the runner's OrtOpRunner shape). */
export async function onnxQOpOnOrt(ort: OrtModule, request: WireRequest): Promise<WireResponse> {
  let check: (() => unknown) | null = null;
  let refusedAttributes = false;
  try {
    if (!isOnnxQOpName(request.op)) throw new QconformError('unknown_op', 'request.op', request.op);
    const split = ortAttributes(request.op, ONNX_QOP_ATTRIBUTES[request.op], request.attrs ?? {});
    refusedAttributes = split.faults.length > 0;
    // ORT refuses a node with refused attributes before it reads a value: a dtype the model has no type for gets a stand-in
    const carry = carrier(split.extra.length > 0);
    const built = modelWithout(request.op, request, split, carry);
    check = built.check;
    // ORT refuses a node with refused attributes before it reads a value (the values do not matter then)
    if (split.extra.length === 0) refuseWrappedInputs(request.op, built.model);
    // a wire dtype ORT is given as another's (uint8 for quint8) where the contract tells the two apart: never run on ORT
    const alias = answerDtypeAlias(request.op, request);
    if (alias) return alias;
    const session = await ort.InferenceSession.create(oneNodeModel(built.model), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', logSeverityLevel: 4 });
    try {
      const feedName = built.model.graphInputs[0]!;
      const feed = carry.value(feedName, built.feed);
      const out = await session.run({ [feedName]: new ort.Tensor(feed.elem, ortData(feed) as Uint8Array, [...feed.dims]) });
      const tensor = (name: string) => encodeTensor(outputTensor(out[name] as InstanceType<OrtModule['Tensor']>));
      const extra = Object.fromEntries(Object.entries(built.extra ?? {}).map(([wire, name]) => [wire, tensor(name)]));
      return { id: request.id, outputs: { y: tensor(built.model.output.name), ...extra } };
    } finally {
      await session.release();
    }
  } catch (e) {
    if (e instanceof NotGivenToOrt) return answerNotGivenToOrt(request, e);
    if (isQconformError(e)) return { id: request.id, error: { code: e.code, message: e.message } };
    const message = e instanceof Error ? (e.message.split('\n')[0] ?? '') : String(e);
    // ORT's schema check refusing the attributes the contract refuses: the contract's code for them
    const code = refusedAttributes && ORT_ATTRIBUTE_REFUSAL.test(message) ? 'malformed_request' : contractCode(check);
    return { id: request.id, error: { code, message } };
  }
}
