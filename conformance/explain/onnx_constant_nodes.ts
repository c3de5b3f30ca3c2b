/**
 * Constant nodes as ONNX Runtime 1.30 takes them: before it checks anything else of the graph, its Graph constructor
 * turns every node whose op_type is 'Constant', of ANY domain (ai.onnx, com.microsoft, an unimported foo.bar alike), into
 * an initializer named after its output and removes the node (onnxruntime/core/graph/graph.cc Graph::Graph, "Process
 * 'Constant' nodes"; onnxruntime/core/framework/tensorprotoutils.cc ConstantNodeProtoToTensorProto), so no check ORT makes
 * of a node (domain, op type, attributes, inputs) ever sees one, and its inputs are read by nothing. The initializer is the
 * node's FIRST attribute, whatever its name, by its type: a TENSOR as it is; a FLOAT / INT / STRING a scalar of float /
 * int64 / string; FLOATS / INTS / STRINGS a 1-D tensor; a SPARSE_TENSOR its dense tensor. It comes after the graph's own
 * initializers, and a later initializer of a name replaces an earlier one ("Duplicate initializer (dense, sparse or
 * ConstantNode): ... the model will use the latest encountered initializer"): a Constant writing an initializer's name,
 * or two Constants writing one name, load, the last one's value counting. ORT refuses the model for a Constant with no
 * attribute, one whose first attribute is of another type (or of none), or one without exactly one output.
 * Measured on onnxruntime-node 1.30 (tests/explain/constant_nodes.test.ts: a foo.bar, com.microsoft, ai.onnx.ml,
 * ai.onnx.training Constant giving x_scale runs, its value the Constant's; value_float before value gives value_float).
 * Before, explain read a Constant's attribute named 'value' only (value_float before value: the wrong scale, silently),
 * refused a Constant of a domain ORT runs no node of ("No opset import for domain 'foo.bar'"), and listed a com.microsoft
 * Constant as not modelled (its value no constant: "x scale (cs) is not a constant of the graph").
 */
import onnxProto from 'onnx-proto';
import { ModelReadError } from './model_types.js';
import { OrtRefusedModelError } from './ort_refused_model.js';

type Node = onnxProto.onnx.INodeProto;
type TensorProto = onnxProto.onnx.ITensorProto;
const AT = onnxProto.onnx.AttributeProto.AttributeType;
const DT = onnxProto.onnx.TensorProto.DataType;

/** Whether ORT 1.30 takes node `n` as a Constant (and so as an initializer): its op_type, whatever its domain. */
export const isOrtConstant = (n: Node): boolean => n.opType === 'Constant';

/** A Constant node's value as ORT 1.30 makes an initializer of it; `sparse`: a SPARSE_TENSOR, which explain does not read. */
export interface ConstantNodeTensor {
  readonly tensor: TensorProto;
  readonly sparse: boolean;
}

/** The initializer ORT 1.30 makes of Constant node `n` (tensorprotoutils.cc ConstantNodeProtoToTensorProto), or its refusal. */
function constantTensor(path: string, n: Node, k: number): ConstantNodeTensor {
  const label = `Constant node ${n.name || `Constant_${k}`}${n.domain ? ` (domain ${n.domain})` : ''}`;
  const outputs = n.output ?? [];
  if (outputs.length !== 1) throw new OrtRefusedModelError(path, `${label} has ${outputs.length} outputs, where a Constant has one`, `NodeProto for Constant should have 1 output. Got:${outputs.length}`);
  const name = outputs[0]!;
  const a = n.attribute?.[0];
  if (!a) throw new OrtRefusedModelError(path, `${label} has no attribute, so no value`, `Constant node: ${n.name ?? ''} has no data attributes`);
  const of = (dataType: number, dims: number[], data: Partial<TensorProto>): ConstantNodeTensor => ({ tensor: { name, dataType, dims, ...data }, sparse: false });
  switch (a.type) {
    case AT.TENSOR:
      return { tensor: { ...(a.t ?? {}), name }, sparse: false };
    case AT.FLOAT:
      return of(DT.FLOAT, [], { floatData: [a.f ?? 0] });
    case AT.FLOATS:
      return of(DT.FLOAT, [a.floats?.length ?? 0], { floatData: a.floats ?? [] });
    case AT.INT:
      return of(DT.INT64, [], { int64Data: [a.i ?? 0] });
    case AT.INTS:
      return of(DT.INT64, [a.ints?.length ?? 0], { int64Data: a.ints ?? [] });
    case AT.STRING:
      return of(DT.STRING, [], { stringData: [a.s ?? new Uint8Array()] });
    case AT.STRINGS:
      return of(DT.STRING, [a.strings?.length ?? 0], { stringData: a.strings ?? [] });
    case AT.SPARSE_TENSOR: {
      const v = a.sparseTensor?.values;
      if (!v) throw new ModelReadError(path, `${label}: a sparse tensor without values, which explain does not read`);
      return { tensor: { name, dataType: v.dataType ?? 0, dims: a.sparseTensor?.dims ?? [] }, sparse: true };
    }
    default:
      throw new OrtRefusedModelError(path, `${label}: its first attribute, ${a.name || '(no name)'}, is of type ${a.type ?? 0}, no Constant value`, `Unsupported attribute value type of ${a.type ?? 0} in 'Constant' node '${n.name ?? ''}'`);
  }
}

/** The initializers ORT 1.30 makes of the Constant nodes among `nodes`, in node order (after the graph's own initializers). */
export function constantNodeTensors(path: string, nodes: readonly Node[]): ConstantNodeTensor[] {
  const out: ConstantNodeTensor[] = [];
  nodes.forEach((n, k) => {
    if (isOrtConstant(n)) out.push(constantTensor(path, n, k));
  });
  return out;
}
