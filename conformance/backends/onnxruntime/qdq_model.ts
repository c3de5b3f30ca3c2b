/**
 * One-node ONNX models (opset 21, built with onnx-proto) for QuantizeLinear, DequantizeLinear and
 * DynamicQuantizeLinear. The quantized tensor of a 4-bit op passes through a Cast to or from int8 / uint8 inside the
 * model: onnxruntime-node 1.30 cannot hand int4 tensors to or from JavaScript (reading an int4 output aborts the
 * process), and Cast is exact on in-range values. Scales and zero points are initializers; x is the graph input.
 * The com.microsoft variants (domain 'com.microsoft', QuantizeLinear-1 / DequantizeLinear-1) carry the axis attribute
 * only, which is all their schema declares. `extra` attributes (those the op's schema refuses, contract/onnx_attributes.ts)
 * are added as they are, replacing a declared attribute of the same name, so that ORT's schema check refuses the model.
 */
import onnxProto from 'onnx-proto';
import type { DequantizeLinearArgs, QuantizeLinearArgs } from '../../../contract/onnx_quant.js';
import type { OnnxIntDtype } from '../../../contract/onnx_dtypes.js';
import type { F32Tensor, IntTensor } from '../../../contract/tensor.js';
import { type OnnxAttr, attribute, withExtraAttributes } from './one_node_model.js';

const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;
export const QDQ_OPSET = 21;

/** TensorProto.DataType codes (onnx.proto; onnx-proto 8 predates INT4 = 22 and UINT4 = 21). */
const ELEM: Record<OnnxIntDtype, number> = { int8: T.INT8, uint8: T.UINT8, int16: T.INT16, uint16: T.UINT16, int32: T.INT32, int4: 22, uint4: 21 };
/** The 8-bit type a 4-bit tensor is carried in across the JavaScript boundary. */
export const CARRIER: Partial<Record<OnnxIntDtype, 'int8' | 'uint8'>> = { int4: 'int8', uint4: 'uint8' };

/** Little-endian raw bytes of integer values; 4-bit values two per byte, the first in the low nibble (ONNX's packing). */
function rawInts(dtype: OnnxIntDtype, values: ArrayLike<number>): Uint8Array {
  if (dtype === 'int4' || dtype === 'uint4') {
    const bytes = new Uint8Array((values.length + 1) >> 1);
    for (let i = 0; i < values.length; i++) bytes[i >> 1]! |= ((values[i] as number) & 15) << ((i & 1) * 4);
    return bytes;
  }
  const arrays = { int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array, int32: Int32Array } as const;
  return new Uint8Array(arrays[dtype].from(values as ArrayLike<number>).buffer);
}

const intInit = (name: string, dtype: OnnxIntDtype, t: IntTensor) => onnx.TensorProto.create({ name, dataType: ELEM[dtype], dims: [...t.shape], rawData: rawInts(dtype, t.data) });
const f32Init = (name: string, t: F32Tensor) => onnx.TensorProto.create({ name, dataType: T.FLOAT, dims: [...t.shape], rawData: new Uint8Array(Float32Array.from(t.data).buffer) });
const intAttr = (name: string, i: number) => onnx.AttributeProto.create({ name, type: onnx.AttributeProto.AttributeType.INT, i });
const cast = (input: string, output: string, to: number) => onnx.NodeProto.create({ opType: 'Cast', input: [input], output: [output], attribute: [intAttr('to', to)] });
const valueInfo = (name: string, elemType: number, shape: readonly number[] | null) =>
  onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType, shape: shape ? { dim: shape.map((d) => ({ dimValue: d })) } : null } } });

/** The node's attributes: `own` without those `extra` replaces, then `extra`. */
const attributes = (own: OnnxAttr[], extra: readonly OnnxAttr[]) => withExtraAttributes(own, extra).map(attribute);

/** '' (ai.onnx opset 21) or 'com.microsoft' (version 1) */
export type QdqDomain = '' | 'com.microsoft';

function model(nodes: ReturnType<typeof onnx.NodeProto.create>[], initializer: ReturnType<typeof onnx.TensorProto.create>[], input: ReturnType<typeof valueInfo>[], output: ReturnType<typeof valueInfo>[], domain: QdqDomain = ''): Uint8Array {
  const graph = onnx.GraphProto.create({ name: 'qconform_qdq', node: nodes, initializer, input, output });
  const opsetImport = [{ domain: '', version: QDQ_OPSET }, ...(domain ? [{ domain, version: 1 }] : [])];
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 10, opsetImport, producerName: 'qconform', graph })).finish();
}

/**
 * QuantizeLinear: input "x" (float32), output "y" (the dtype, or its carrier for 4 bits). `dtype` is a checked ONNX
 * type, given to ai.onnx QuantizeLinear as output_dtype; `zeroPointDtype` is the zero point's own type (ORT refuses a
 * zero point of another type than output_dtype: "output_dtype ... does not match y_zero_point type").
 * `domain` 'com.microsoft' builds QuantizeLinear-1 (axis only).
 */
export function quantizeLinearModel(a: QuantizeLinearArgs, dtype: OnnxIntDtype, zeroPointDtype: OnnxIntDtype, domain: QdqDomain = '', extra: readonly OnnxAttr[] = []): Uint8Array {
  const initializer = [f32Init('y_scale', a.yScale)];
  const inputs = ['x', 'y_scale'];
  if (a.yZeroPoint) {
    initializer.push(intInit('y_zero_point', zeroPointDtype, a.yZeroPoint));
    inputs.push('y_zero_point');
  }
  const own: OnnxAttr[] = [{ name: 'axis', int: a.axis }, ...(domain ? [] : [{ name: 'block_size', int: a.blockSize }, { name: 'saturate', int: a.saturate }, { name: 'output_dtype', int: ELEM[dtype] }])];
  const carrier = CARRIER[dtype];
  const nodes = [onnx.NodeProto.create({ opType: 'QuantizeLinear', domain, input: inputs, output: [carrier ? 'y4' : 'y'], attribute: attributes(own, extra) })];
  if (carrier) nodes.push(cast('y4', 'y', ELEM[carrier]));
  return model(nodes, initializer, [valueInfo('x', T.FLOAT, a.x.shape)], [valueInfo('y', ELEM[carrier ?? dtype], null)], domain);
}

/**
 * DequantizeLinear: input "x" (the dtype, or its carrier cast to 4 bits inside), output "y" (float32); the zero point
 * in its own type `zeroPointDtype` (ORT refuses one of another type than x: "T1 ... bound to different types").
 */
export function dequantizeLinearModel(a: DequantizeLinearArgs, dtype: OnnxIntDtype, zeroPointDtype: OnnxIntDtype, domain: QdqDomain = '', extra: readonly OnnxAttr[] = []): Uint8Array {
  const carrier = CARRIER[dtype];
  const initializer = [f32Init('x_scale', a.xScale)];
  const inputs = [carrier ? 'x4' : 'x', 'x_scale'];
  if (a.xZeroPoint) {
    initializer.push(intInit('x_zero_point', zeroPointDtype, a.xZeroPoint));
    inputs.push('x_zero_point');
  }
  const nodes = carrier ? [cast('x', 'x4', ELEM[dtype])] : [];
  const own: OnnxAttr[] = [{ name: 'axis', int: a.axis }, ...(domain ? [] : [{ name: 'block_size', int: a.blockSize }])];
  nodes.push(onnx.NodeProto.create({ opType: 'DequantizeLinear', domain, input: inputs, output: ['y'], attribute: attributes(own, extra) }));
  return model(nodes, initializer, [valueInfo('x', ELEM[carrier ?? dtype], a.x.shape)], [valueInfo('y', T.FLOAT, null)], domain);
}

/** DynamicQuantizeLinear: input "x" (float32), outputs "y" (uint8), "y_scale" (float32), "y_zero_point" (uint8); no attributes but `extra`. */
export function dynamicQuantizeLinearModel(xShape: readonly number[], extra: readonly OnnxAttr[] = []): Uint8Array {
  const node = onnx.NodeProto.create({ opType: 'DynamicQuantizeLinear', input: ['x'], output: ['y', 'y_scale', 'y_zero_point'], attribute: attributes([], extra) });
  return model([node], [], [valueInfo('x', T.FLOAT, xShape)], [valueInfo('y', T.UINT8, null), valueInfo('y_scale', T.FLOAT, null), valueInfo('y_zero_point', T.UINT8, null)]);
}
