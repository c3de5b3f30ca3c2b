/**
 * The ModelProto around the explain tests' hand-built ONNX graphs: one graph 'g' produced by 'qconform-test', ai.onnx
 * imported at one opset, serialized with onnx-proto (ONNX's onnx.proto ModelProto, GraphProto, ValueInfoProto).
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;

/** A graph's nodes, initializers, inputs, outputs and value_infos, as onnx-proto's fromObject takes them. */
export interface GraphParts {
  readonly node: readonly object[];
  readonly initializer: readonly object[];
  readonly input: readonly object[];
  readonly output: readonly object[];
  readonly valueInfo?: readonly object[];
}

/** A graph input, output or value_info `name`: a tensor of `elemType` (TensorProto.DataType) of shape `dims` when given. */
export function tensorValue(name: string, elemType: number, dims?: readonly number[]): onnxProto.onnx.IValueInfoProto {
  const shape = dims === undefined ? {} : { shape: { dim: dims.map((d) => ({ dimValue: d })) } };
  return { name, type: { tensorType: { elemType, ...shape } } };
}

/** The serialized model of `graph`: IR version `irVersion`, ai.onnx at `opset`. */
export function modelBytes(graph: GraphParts, { irVersion = 8, opset = 13 }: { irVersion?: number; opset?: number } = {}): Uint8Array {
  const model = { irVersion, producerName: 'qconform-test', opsetImport: [{ domain: '', version: opset }], graph: { name: 'g', ...graph } };
  return onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish();
}
