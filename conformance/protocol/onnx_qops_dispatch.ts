/**
 * The wire form of the ONNX integer ops (docs/protocol.md, "ONNX integer ops"): decode attrs and inputs into
 * the typed arguments of contract/onnx_qops.ts, call the implementation, encode the output `y`. Imported by
 * dispatch.ts, which routes these op names here. Wire-format checks only; the contract checks are the ops'.
 */
import { ONNX_QOP_NAMES, type AutoPad, type ConvIntegerArgs, type DynamicQuantizeMatMulArgs, type MatMulIntegerArgs, type MatMulIntegerToFloatArgs, type MatmulAccumulator, type OnnxQOpName, type OnnxQOps, type QGemmArgs, type QLinearAveragePoolArgs, type QLinearBinaryArgs, type QLinearConcatArgs, type QLinearGlobalAveragePoolArgs, type QLinearLeakyReluArgs, type QLinearLookupArgs, type QLinearMatMulArgs, type QLinearSoftmaxArgs, type QLinearWhereArgs, type MatMulInteger16Args, type NhwcMaxPoolArgs } from '../../contract/onnx_qops.js';
import { QconformError } from '../../contract/errors.js';
import type { IntTensor } from '../../contract/tensor.js';
import { expectInt } from '../../contract/wire.js';
import type { Attrs, Inputs, TypedOutputs } from './messages.js';

export function isOnnxQOpName(op: unknown): op is OnnxQOpName {
  return typeof op === 'string' && (ONNX_QOP_NAMES as readonly string[]).includes(op);
}

/** attrs.accumulator, default int32_wrap (what ORT computes on AVX512-VNNI, AVX-VNNI and SSE4-only CPUs). */
function accumulator(a: Attrs, raw: Record<string, unknown>): MatmulAccumulator {
  return raw.accumulator === undefined ? 'int32_wrap' : a.str<MatmulAccumulator>('accumulator');
}

function optionalInt(i: Inputs, name: string, op: string): IntTensor | null {
  const t = i.optional(name);
  return t === null ? null : expectInt(t, `${op}: inputs.${name}`);
}

/** An integer list attribute of `length` entries, or `fallback` when absent. */
function intList(raw: Record<string, unknown>, name: string, length: number, fallback: number[], op: string): number[] {
  const v = raw[name];
  if (v === undefined) return fallback;
  if (!Array.isArray(v) || v.length !== length || !v.every((x) => Number.isSafeInteger(x))) {
    throw new QconformError('malformed_request', `${op}: attrs.${name}`, v, `a list of ${length} integers`);
  }
  return v as number[];
}

export function decodeMatMulInteger(a: Attrs, i: Inputs, raw: Record<string, unknown>): MatMulIntegerArgs {
  const op = 'matmul_integer@1';
  return { a: i.int('a'), b: i.int('b'), aZeroPoint: optionalInt(i, 'a_zero_point', op), bZeroPoint: optionalInt(i, 'b_zero_point', op), accumulator: accumulator(a, raw) };
}

/** a and b with their scales and zero points: the inputs QLinearMatMul, QGemm, QLinearAdd and QLinearMul share. */
function quantizedOperands(i: Inputs) {
  return { a: i.int('a'), aScale: i.f32('a_scale'), aZeroPoint: i.int('a_zero_point'), b: i.int('b'), bScale: i.f32('b_scale'), bZeroPoint: i.int('b_zero_point') };
}

export function decodeQLinearMatMul(a: Attrs, i: Inputs, raw: Record<string, unknown>): QLinearMatMulArgs {
  return {
    ...quantizedOperands(i),
    yScale: i.f32('y_scale'),
    yZeroPoint: i.int('y_zero_point'),
    accumulator: accumulator(a, raw),
  };
}

export function decodeQGemm(a: Attrs, i: Inputs, raw: Record<string, unknown>): QGemmArgs {
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
    accumulator: accumulator(a, raw),
  };
}

export function decodeConvInteger(a: Attrs, i: Inputs, raw: Record<string, unknown>): ConvIntegerArgs {
  const op = 'conv_integer@1';
  return {
    x: i.int('x'),
    w: i.int('w'),
    xZeroPoint: optionalInt(i, 'x_zero_point', op),
    wZeroPoint: optionalInt(i, 'w_zero_point', op),
    strides: intList(raw, 'strides', 2, [1, 1], op) as [number, number],
    pads: intList(raw, 'pads', 4, [0, 0, 0, 0], op) as [number, number, number, number],
    dilations: intList(raw, 'dilations', 2, [1, 1], op) as [number, number],
    group: raw.group === undefined ? 1 : a.int('group'),
    accumulator: accumulator(a, raw),
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
function integerToFloatOperands(a: Attrs, i: Inputs, raw: Record<string, unknown>, op: string) {
  return {
    b: i.int('b'),
    bScale: i.f32('b_scale'),
    bZeroPoint: optionalInt(i, 'b_zero_point', op),
    bias: i.optional('bias') === null ? null : i.f32('bias'),
    accumulator: accumulator(a, raw),
  };
}

export function decodeMatMulIntegerToFloat(a: Attrs, i: Inputs, raw: Record<string, unknown>): MatMulIntegerToFloatArgs {
  const op = 'matmul_integer_to_float@1';
  return { a: i.int('a'), aScale: i.f32('a_scale'), aZeroPoint: optionalInt(i, 'a_zero_point', op), ...integerToFloatOperands(a, i, raw, op) };
}

export function decodeDynamicQuantizeMatMul(a: Attrs, i: Inputs, raw: Record<string, unknown>): DynamicQuantizeMatMulArgs {
  return { a: i.f32('a'), ...integerToFloatOperands(a, i, raw, 'dynamic_quantize_matmul@1') };
}

export function decodeQLinearLookup(op: string, i: Inputs): QLinearLookupArgs {
  return { x: i.int('x'), xScale: i.f32('x_scale'), xZeroPoint: optionalInt(i, 'x_zero_point', op), yScale: i.f32('y_scale'), yZeroPoint: optionalInt(i, 'y_zero_point', op) };
}

export function decodeQLinearLeakyRelu(a: Attrs, i: Inputs): QLinearLeakyReluArgs {
  return { ...decodeQLinearLookup('qlinear_leaky_relu@1', i), alpha: a.f64Or('alpha', 0.01) };
}

export function decodeQLinearSoftmax(a: Attrs, i: Inputs, raw: Record<string, unknown>): QLinearSoftmaxArgs {
  const op = 'qlinear_softmax@1';
  const opset = a.int('opset');
  return { ...decodeQLinearLookup(op, i), yZeroPoint: i.int('y_zero_point'), axis: raw.axis === undefined ? (opset < 13 ? 1 : -1) : a.int('axis'), opset };
}

export function decodeQLinearGlobalAveragePool(a: Attrs, i: Inputs): QLinearGlobalAveragePoolArgs {
  return { x: i.int('x'), xScale: i.f32('x_scale'), xZeroPoint: i.int('x_zero_point'), yScale: i.f32('y_scale'), yZeroPoint: i.int('y_zero_point'), channelsLast: a.bool('channels_last') };
}

/** An integer list attribute of any length (the pools' kernel_shape, strides, pads), or `fallback` when absent. */
function anyIntList(raw: Record<string, unknown>, name: string, fallback: number[] | null, op: string): number[] {
  const v = raw[name];
  if (v === undefined && fallback) return fallback;
  if (!Array.isArray(v) || !v.every((x) => Number.isSafeInteger(x))) throw new QconformError('malformed_request', `${op}: attrs.${name}`, v, 'a list of integers');
  return v as number[];
}

export function decodeQLinearAveragePool(a: Attrs, i: Inputs, raw: Record<string, unknown>): QLinearAveragePoolArgs {
  const op = 'qlinear_average_pool@1';
  const kernelShape = anyIntList(raw, 'kernel_shape', null, op);
  if (raw.dilations !== undefined) throw new QconformError('malformed_request', `${op}: attrs.dilations`, raw.dilations, "QLinearAveragePool's windows ignore dilations in ORT 1.30: not modelled");
  return {
    x: i.int('x'),
    xScale: i.f32('x_scale'),
    xZeroPoint: i.int('x_zero_point'),
    yScale: i.f32('y_scale'),
    yZeroPoint: i.int('y_zero_point'),
    kernelShape,
    strides: anyIntList(raw, 'strides', kernelShape.map(() => 1), op),
    pads: anyIntList(raw, 'pads', [...kernelShape, ...kernelShape].map(() => 0), op),
    autoPad: raw.auto_pad === undefined ? 'NOTSET' : a.str<AutoPad>('auto_pad'),
    ceilMode: a.bool('ceil_mode'),
    countIncludePad: a.bool('count_include_pad'),
    channelsLast: a.bool('channels_last'),
  };
}

/** NhwcMaxPool: x and MaxPool's window attributes (defaults: strides and dilations 1s, pads 0s, NOTSET, floor mode). */
export function decodeNhwcMaxPool(a: Attrs, i: Inputs, raw: Record<string, unknown>): NhwcMaxPoolArgs {
  const op = 'nhwc_max_pool@1';
  const kernelShape = anyIntList(raw, 'kernel_shape', null, op);
  return {
    x: i.int('x'),
    kernelShape,
    strides: anyIntList(raw, 'strides', kernelShape.map(() => 1), op),
    pads: anyIntList(raw, 'pads', [...kernelShape, ...kernelShape].map(() => 0), op),
    dilations: anyIntList(raw, 'dilations', kernelShape.map(() => 1), op),
    autoPad: raw.auto_pad === undefined ? 'NOTSET' : a.str<AutoPad>('auto_pad'),
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

export function evaluateOnnxQOp(ops: OnnxQOps, op: OnnxQOpName, a: Attrs, i: Inputs, raw: Record<string, unknown>): TypedOutputs {
  switch (op) {
    case 'matmul_integer@1':
      return { y: ops.matmulInteger(decodeMatMulInteger(a, i, raw)) };
    case 'qlinear_matmul@1':
      return { y: ops.qlinearMatMul(decodeQLinearMatMul(a, i, raw)) };
    case 'qgemm@1':
      return { y: ops.qgemm(decodeQGemm(a, i, raw)) };
    case 'conv_integer@1':
      return { y: ops.convInteger(decodeConvInteger(a, i, raw)) };
    case 'qlinear_add@1':
      return { y: ops.qlinearAdd(decodeQLinearBinary(op, i)) };
    case 'qlinear_mul@1':
      return { y: ops.qlinearMul(decodeQLinearBinary(op, i)) };
    case 'matmul_integer_to_float@1':
      return { y: ops.matmulIntegerToFloat(decodeMatMulIntegerToFloat(a, i, raw)) };
    case 'dynamic_quantize_matmul@1':
      return { y: ops.dynamicQuantizeMatMul(decodeDynamicQuantizeMatMul(a, i, raw)) };
    case 'qlinear_leaky_relu@1':
      return { y: ops.qlinearLeakyRelu(decodeQLinearLeakyRelu(a, i)) };
    case 'qlinear_sigmoid@1':
      return { y: ops.qlinearSigmoid(decodeQLinearLookup(op, i)) };
    case 'qlinear_softmax@1':
      return { y: ops.qlinearSoftmax(decodeQLinearSoftmax(a, i, raw)) };
    case 'qlinear_global_average_pool@1':
      return { y: ops.qlinearGlobalAveragePool(decodeQLinearGlobalAveragePool(a, i)) };
    case 'qlinear_average_pool@1':
      return { y: ops.qlinearAveragePool(decodeQLinearAveragePool(a, i, raw)) };
    case 'qlinear_concat@1':
      return { y: ops.qlinearConcat(decodeQLinearConcat(a, i)) };
    case 'qlinear_where@1':
      return { y: ops.qlinearWhere(decodeQLinearWhere(i)) };
    case 'matmul_integer16@1':
      return { y: ops.matmulInteger16(decodeMatMulInteger16(i)) };
    case 'nhwc_max_pool@1':
      return { y: ops.nhwcMaxPool(decodeNhwcMaxPool(a, i, raw)) };
  }
}
