/**
 * A writer for the few tables of a .tflite model that qconform needs (Model, OperatorCode, SubGraph, Tensor,
 * QuantizationParameters, Operator, Conv2DOptions, DepthwiseConv2DOptions, Buffer), written with npm
 * `flatbuffers` from the field slots of TFLite's schema (tensorflow/lite/schema/schema.fbs, file identifier
 * "TFL3"). It knows nothing about convolutions: conv_graph.ts describes the graph, this file encodes it.
 */
import { Builder, type Offset } from 'flatbuffers';

/** TensorType (schema.fbs enum, byte). */
export const TensorType = { FLOAT32: 0, INT32: 2, UINT8: 3, INT8: 9 } as const;
/** BuiltinOperator (schema.fbs enum). */
export const BuiltinOperator = { CONV_2D: 3, DEPTHWISE_CONV_2D: 4, PAD: 34, QUANTIZE: 114 } as const;
/** Padding (schema.fbs enum, byte). */
export const Padding = { SAME: 0, VALID: 1 } as const;
/** ActivationFunctionType (schema.fbs enum, byte). */
export const Activation = { NONE: 0, RELU: 1 } as const;
/** BuiltinOptions union tags (schema.fbs: the union's members in order, from 1). */
const OPTIONS_TAG = { conv2d: 1, depthwiseConv2d: 2 } as const;

export interface TfliteQuantization {
  readonly scale: readonly number[];
  readonly zeroPoint: readonly number[];
  readonly quantizedDimension: number;
}

export interface TfliteTensor {
  readonly name: string;
  readonly type: number;
  readonly shape: readonly number[];
  /** little-endian bytes of a constant tensor; absent for graph inputs and intermediate results */
  readonly data?: Uint8Array;
  readonly quantization?: TfliteQuantization;
}

export interface ConvOptions {
  readonly padding: number;
  readonly strideW: number;
  readonly strideH: number;
  readonly dilationW: number;
  readonly dilationH: number;
  readonly activation: number;
}

export type TfliteOptions = { readonly kind: 'conv2d'; readonly conv: ConvOptions } | { readonly kind: 'depthwiseConv2d'; readonly conv: ConvOptions; readonly depthMultiplier: number } | { readonly kind: 'none' };

export interface TfliteOperator {
  readonly builtin: number;
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly options: TfliteOptions;
}

export interface TfliteGraph {
  readonly tensors: readonly TfliteTensor[];
  readonly inputs: readonly number[];
  readonly outputs: readonly number[];
  readonly operators: readonly TfliteOperator[];
}

function int32Vector(b: Builder, values: readonly number[]): Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addInt32(values[i]!);
  return b.endVector();
}

function float32Vector(b: Builder, values: readonly number[]): Offset {
  b.startVector(4, values.length, 4);
  for (let i = values.length - 1; i >= 0; i--) b.addFloat32(values[i]!);
  return b.endVector();
}

function int64Vector(b: Builder, values: readonly number[]): Offset {
  b.startVector(8, values.length, 8);
  for (let i = values.length - 1; i >= 0; i--) b.addInt64(BigInt(values[i]!));
  return b.endVector();
}

function offsetVector(b: Builder, offsets: readonly Offset[]): Offset {
  b.startVector(4, offsets.length, 4);
  for (let i = offsets.length - 1; i >= 0; i--) b.addOffset(offsets[i]!);
  return b.endVector();
}

/** QuantizationParameters: min 0, max 1, scale 2, zero_point 3, details (type 4, value 5), quantized_dimension 6. */
function quantization(b: Builder, q: TfliteQuantization): Offset {
  const scale = float32Vector(b, q.scale);
  const zeroPoint = int64Vector(b, q.zeroPoint);
  b.startObject(7);
  b.addFieldOffset(2, scale, 0);
  b.addFieldOffset(3, zeroPoint, 0);
  b.addFieldInt32(6, q.quantizedDimension, 0);
  return b.endObject();
}

/** Tensor: shape 0, type 1, buffer 2, name 3, quantization 4. */
function tensor(b: Builder, t: TfliteTensor, buffer: number): Offset {
  const shape = int32Vector(b, t.shape);
  const name = b.createString(t.name);
  const quant = t.quantization ? quantization(b, t.quantization) : 0;
  b.startObject(5);
  b.addFieldOffset(0, shape, 0);
  b.addFieldInt8(1, t.type, 0);
  b.addFieldInt32(2, buffer, 0);
  b.addFieldOffset(3, name, 0);
  if (quant) b.addFieldOffset(4, quant, 0);
  return b.endObject();
}

/**
 * Conv2DOptions: padding 0, stride_w 1, stride_h 2, fused_activation_function 3, dilation_w_factor 4, dilation_h_factor 5.
 * DepthwiseConv2DOptions: padding 0, stride_w 1, stride_h 2, depth_multiplier 3, fused_activation_function 4,
 * dilation_w_factor 5, dilation_h_factor 6.
 */
function options(b: Builder, o: TfliteOptions): Offset {
  if (o.kind === 'none') return 0;
  const c = o.conv;
  const depthwise = o.kind === 'depthwiseConv2d';
  b.startObject(depthwise ? 7 : 6);
  b.addFieldInt8(0, c.padding, null);
  b.addFieldInt32(1, c.strideW, null);
  b.addFieldInt32(2, c.strideH, null);
  if (depthwise) b.addFieldInt32(3, o.depthMultiplier, null);
  b.addFieldInt8(depthwise ? 4 : 3, c.activation, null);
  b.addFieldInt32(depthwise ? 5 : 4, c.dilationW, null);
  b.addFieldInt32(depthwise ? 6 : 5, c.dilationH, null);
  return b.endObject();
}

/** Operator: opcode_index 0, inputs 1, outputs 2, builtin_options (type 3, value 4). */
function operator(b: Builder, op: TfliteOperator, opcodeIndex: number): Offset {
  const inputs = int32Vector(b, op.inputs);
  const outputs = int32Vector(b, op.outputs);
  const opts = options(b, op.options);
  b.startObject(5);
  b.addFieldInt32(0, opcodeIndex, null);
  b.addFieldOffset(1, inputs, 0);
  b.addFieldOffset(2, outputs, 0);
  if (op.options.kind !== 'none') {
    b.addFieldInt8(3, OPTIONS_TAG[op.options.kind], 0);
    b.addFieldOffset(4, opts, 0);
  }
  return b.endObject();
}

/** OperatorCode: deprecated_builtin_code 0 (byte), custom_code 1, version 2, builtin_code 3 (int). */
function operatorCode(b: Builder, builtin: number): Offset {
  b.startObject(4);
  b.addFieldInt8(0, Math.min(builtin, 127), 0);
  b.addFieldInt32(2, 1, null);
  b.addFieldInt32(3, builtin, 0);
  return b.endObject();
}

/** Buffer: data 0 ([ubyte], force_align 16). */
function buffer(b: Builder, data: Uint8Array | undefined): Offset {
  if (!data) {
    b.startObject(1);
    return b.endObject();
  }
  b.startVector(1, data.length, 16);
  for (let i = data.length - 1; i >= 0; i--) b.addInt8(data[i]!);
  const vec = b.endVector();
  b.startObject(1);
  b.addFieldOffset(0, vec, 0);
  return b.endObject();
}

/**
 * The .tflite bytes of a one-subgraph model. Model: version 0, operator_codes 1, subgraphs 2, description 3,
 * buffers 4; buffer 0 is the empty sentinel, each constant tensor gets its own buffer after it.
 */
export function tfliteModelBytes(g: TfliteGraph): Uint8Array {
  const b = new Builder(1024);
  const codes = [...new Set(g.operators.map((o) => o.builtin))];
  const bufferIndex: number[] = [];
  const buffers: Offset[] = [buffer(b, undefined)];
  for (const t of g.tensors) {
    if (t.data) {
      bufferIndex.push(buffers.length);
      buffers.push(buffer(b, t.data));
    } else bufferIndex.push(0);
  }
  const tensors = g.tensors.map((t, i) => tensor(b, t, bufferIndex[i]!));
  const operators = g.operators.map((o) => operator(b, o, codes.indexOf(o.builtin)));
  const tensorsVec = offsetVector(b, tensors);
  const inputsVec = int32Vector(b, g.inputs);
  const outputsVec = int32Vector(b, g.outputs);
  const operatorsVec = offsetVector(b, operators);
  const name = b.createString('main');
  b.startObject(5);
  b.addFieldOffset(0, tensorsVec, 0);
  b.addFieldOffset(1, inputsVec, 0);
  b.addFieldOffset(2, outputsVec, 0);
  b.addFieldOffset(3, operatorsVec, 0);
  b.addFieldOffset(4, name, 0);
  const subgraph = b.endObject();
  const codesVec = offsetVector(b, codes.map((c) => operatorCode(b, c)));
  const subgraphsVec = offsetVector(b, [subgraph]);
  const buffersVec = offsetVector(b, buffers);
  const description = b.createString('qconform');
  b.startObject(5);
  b.addFieldInt32(0, 3, null);
  b.addFieldOffset(1, codesVec, 0);
  b.addFieldOffset(2, subgraphsVec, 0);
  b.addFieldOffset(3, description, 0);
  b.addFieldOffset(4, buffersVec, 0);
  b.finish(b.endObject(), 'TFL3');
  return b.asUint8Array().slice();
}
