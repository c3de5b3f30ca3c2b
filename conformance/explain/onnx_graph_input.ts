/**
 * What the graph inputs of a model declare, their types and the shape of the one `qconform explain` runs (the first
 * graph input that is not an initializer: onnx_model.ts), as ONNX Runtime 1.30 takes them (measured on
 * onnxruntime-node 1.30: tests/explain/ort_refused_models.test.ts, tests/explain/graph_input_types.test.ts):
 *   - every type the graph declares (its inputs, initializer inputs too, in order, then its outputs and value_info;
 *     a sequence's, optional's or map's element type too) must be an ONNX data type: ORT refuses the model when it loads
 *     it for the first that is not ("Invalid tensor data type 0."), before anything else it checks but its Constant
 *     nodes (onnx_constant_nodes.ts); its initializers' data types (Constant nodes' values too: onnx_tensor.ts
 *     checkedDataType) it checks after the inputs' types and before the outputs' (graph.cc Graph::Graph);
 *   - every graph input that is not an initializer must have a type: ORT refuses the model when it loads it, for the
 *     first (in input order) that no node reads ("Graph ctor should have created NodeArg for initializer. Missing:x2",
 *     graph.cc InitializeStateFromModelFileGraphProto), before it checks how the graph connects (onnx_graph_structure.ts),
 *     else for the first a node reads ("Model input (x) does not have type information.", graph.cc), after that and
 *     before it checks any node (checkUntypedInputs); a Constant node reads nothing (ORT removed it);
 *   - no shape (TypeProto.Tensor without its shape field): any shape, as ORT runs any (explain's own shape for generated
 *     data: input_shape.ts); a dim without dim_value (unknown, or a dim_param), or a negative one, likewise;
 *   - a shape of no dims is rank 0, a scalar: refused where ORT refuses the model for it (an op that takes no scalar
 *     reads it), else an input explain takes none for (onnx_scalar_input.ts);
 *   - a dim of 0: refused, as ORT runs only an empty input there.
 * Before, explain took an input without a type as one of unknown shape and analysed models ORT refuses, and checked the
 * first graph input only: a second input without a type, or of element type 0, was read past.
 */
import type onnxProto from 'onnx-proto';
import { ModelReadError } from './model_types.js';
import { isOrtConstant } from './onnx_constant_nodes.js';
import { checkedDataType, num } from './onnx_tensor.js';
import { OrtRefusedModelError } from './ort_refused_model.js';

type ValueInfo = onnxProto.onnx.IValueInfoProto;
type TypeProto = onnxProto.onnx.ITypeProto;
type TensorProto = onnxProto.onnx.ITensorProto;

/** The ONNX data types (1 to 26) ORT 1.30 takes as a tensor's element type: onnx_tensor.ts checkedDataType's range. */
const ORT_MAX_ELEM_TYPE = 26;

/** The element types `type` declares: a tensor's (or sparse tensor's), and those of a sequence's, optional's or map's values. */
function elemTypes(type: TypeProto | null | undefined): number[] {
  if (!type) return [];
  if (type.tensorType) return [type.tensorType.elemType ?? 0];
  if (type.sparseTensorType) return [type.sparseTensorType.elemType ?? 0];
  if (type.sequenceType) return elemTypes(type.sequenceType.elemType);
  if (type.optionalType) return elemTypes(type.optionalType.elemType);
  if (type.mapType) return [type.mapType.keyType ?? 0, ...elemTypes(type.mapType.valueType)];
  return [];
}

const hasType = (t: TypeProto | null | undefined): boolean => !!t && !!(t.tensorType || t.sequenceType || t.mapType || t.optionalType || t.sparseTensorType);

/** The graph inputs (not initializers) without a type, in input order. */
function untypedInputs(graph: onnxProto.onnx.IGraphProto, initializers: readonly TensorProto[]): ValueInfo[] {
  const initNames = new Set(initializers.map((t) => t.name));
  return (graph.input ?? []).filter((v) => !initNames.has(v.name) && !hasType(v.type));
}

/**
 * Refuses the model where ORT 1.30 refuses the types its graph declares when it loads it, before it checks how the graph
 * connects (above): an element type of a graph input that is no ONNX data type, then an initializer's data type
 * (`initializers`: the graph's, then its Constant nodes' values), then an output's or value_info's element type, then a
 * graph input (not an initializer) without a type that no node reads.
 */
export function checkGraphTypes(path: string, graph: onnxProto.onnx.IGraphProto, initializers: readonly TensorProto[]): void {
  const badElemType = (what: string, list: readonly ValueInfo[] | null | undefined) => {
    for (const v of list ?? []) {
      const bad = elemTypes(v.type).find((e) => !(e >= 1 && e <= ORT_MAX_ELEM_TYPE));
      if (bad !== undefined) throw new OrtRefusedModelError(path, `the ${what} ${v.name ?? ''} has element type ${bad}, no ONNX data type`, `Invalid tensor data type ${bad}.`);
    }
  };
  badElemType('graph input', graph.input);
  for (const t of initializers) checkedDataType(path, t);
  badElemType('graph output', graph.output);
  badElemType('value_info of', graph.valueInfo);
  const read = new Set((graph.node ?? []).filter((n) => !isOrtConstant(n)).flatMap((n) => n.input ?? []));
  const unread = untypedInputs(graph, initializers).find((v) => !read.has(v.name ?? ''));
  if (unread) throw new OrtRefusedModelError(path, `the graph input ${unread.name ?? ''} has no type (and no node reads it)`, `Graph ctor should have created NodeArg for initializer. Missing:${unread.name ?? ''}`);
}

/** Refuses the model where ORT 1.30 refuses a graph input (not an initializer) without a type that a node reads, the first in input order (above). */
export function checkUntypedInputs(path: string, graph: onnxProto.onnx.IGraphProto, initializers: readonly TensorProto[]): void {
  const untyped = untypedInputs(graph, initializers)[0];
  if (untyped) throw new OrtRefusedModelError(path, `the graph input ${untyped.name ?? ''} has no type`, `Model input (${untyped.name ?? ''}) does not have type information.`);
}

/** Refuses the graph input explain runs (`info`) when it is not a tensor (a sequence, map, optional or sparse tensor): explain reads a tensor. */
export function checkRunInputIsTensor(path: string, info: ValueInfo | undefined): void {
  if (info && !info.type?.tensorType) throw new ModelReadError(path, `the graph input ${info.name ?? ''} is not a tensor (a sequence, map, optional or sparse tensor): explain reads a tensor input`);
}

/**
 * The graph input's declared shape when it has one and every dim is a size (dim_value >= 1), else null (generated data
 * then takes [1, C, 16, 16], input_shape.ts). A shape of no dims (rank 0, a scalar) is null here: onnx_scalar_input.ts
 * refuses the model where ORT 1.30 does, else no input reaches the chain. A declared 0 is refused: ONNX Runtime 1.30 runs such a model
 * on an input with 0 there only, an empty one ("Got invalid dimensions for input: <name> ... Expected: 0" for any other),
 * which leaves nothing to analyse. A negative dim_value is no size: ORT 1.30 takes it as unknown (it ran [1, 3, -8, -8] on
 * [1, 3, 8, 8]); explain says so in a note, since it generates a shape of its own there (before, it did so silently).
 */
export function declaredInputShape(path: string, info: ValueInfo | undefined): { dims: number[] | null; note: string | null } {
  const shape = info?.type?.tensorType?.shape;
  const declared = shape?.dim?.map((d) => (d.dimValue !== undefined && d.dimValue !== null ? num(d.dimValue) : null)) ?? [];
  const text = `[${declared.map((d) => d ?? '?').join(', ')}]`;
  const zero = declared.indexOf(0);
  if (zero >= 0) {
    throw new ModelReadError(path, `the graph input ${info?.name ?? ''} declares shape ${text}, dim ${zero} of 0: ONNX Runtime 1.30 runs the model only on an empty input (any other it refuses: "Got invalid dimensions for input: ${info?.name ?? ''} for the following indices"), which leaves nothing to analyse`);
  }
  if (declared.some((d) => d !== null && d < 0)) {
    return { dims: null, note: `the graph input ${info?.name ?? ''} declares shape ${text}: a negative dim is no size (ONNX Runtime 1.30 takes it as unknown), so generated data takes explain's own shape there (--shape or --input to choose)` };
  }
  return { dims: declared.length && declared.every((d): d is number => d !== null && d > 0) ? declared : null, note: null };
}
