/**
 * A graph input declared of rank 0 (a shape of no dims: a scalar), as ONNX Runtime 1.30 takes it. ORT's shape
 * inference, run when it loads the model (onnx/defs: each op's inference function), carries the rank through the ops
 * that keep it and refuses the model at an op that reads a scalar where it takes none; measured on onnxruntime-node
 * 1.30 (tests/explain/ort_refused_models.test.ts) with the scalar as the op's input 0:
 *   - kept by QuantizeLinear, DequantizeLinear, Identity, Cast and Relu;
 *   - refused by Conv, QLinearConv (com.microsoft's with channels_last 0 too) and MaxPool ("[ShapeInferenceError] Input
 *     tensor must have at least 3 dimensions": onnx/defs/nn/defs.cc convPoolShapeInference), MatMul and QLinearMatMul
 *     ("Input tensors of wrong rank (0).": onnx/defs/math/defs.cc matmulShapeInference), Gemm ("Input 0 expected to
 *     have rank 2 but has rank 0"), Flatten of an axis other than 0 ("Invalid value(1) for attribute 'axis'": a rank-0
 *     input takes axis 0 only), a Reshape explain reads as a flatten (a constant [N, -1] or [0, -1]) to [0, -1]
 *     ("Invalid position of 0": a 0 copies a dim the scalar lacks) or to [N, -1] with N other than 1 ("Dimension could
 *     not be inferred: incompatible shapes");
 *   - taken by any other op explain reads, a Reshape to [1, -1] or to [1, 1], a Flatten of axis 0, an Unsqueeze: each
 *     gives a value of rank 1 or more, and ORT loads and runs the model (Q -> DQ -> Reshape [1, 1] -> a QDQ MatMul
 *     runs on a scalar x).
 * ORT refusing: explain refuses the model (OrtRefusedModelError quoting ORT, at the first such node in graph order);
 * else explain takes no input for it, as for any input that reaches no layer it models (input_reach.ts): its chain
 * carries [N, C, H, W] or [N, F] data, so each layer runs on its own generated data, and an --input or --shape is
 * refused. Before, explain refused every model with a rank-0 graph input, saying ORT refuses it.
 */
import type onnxProto from 'onnx-proto';
import { type Node, type OnnxGraph, attrInt } from './onnx_graph.js';
import { OrtRefusedModelError } from './ort_refused_model.js';

/** Ops whose output 0 has the rank of their input 0 in ORT's shape inference (measured, above). */
const KEEPS_RANK = new Set(['QuantizeLinear', 'DequantizeLinear', 'Identity', 'Cast', 'Relu']);

/** ORT 1.30's shape-inference refusal of node `n` reading a scalar as its input 0, or null (it takes one). */
function scalarRefusal(g: OnnxGraph, n: Node): string | null {
  switch (n.opType) {
    case 'Conv':
    case 'QLinearConv':
    case 'MaxPool':
      return 'Input tensor must have at least 3 dimensions';
    case 'MatMul':
    case 'QLinearMatMul':
      return 'Input tensors of wrong rank (0).';
    case 'Gemm':
      return 'Input 0 expected to have rank 2 but has rank 0';
    case 'Flatten': {
      const axis = attrInt(n, 'axis', 1);
      return axis === 0 ? null : `Invalid value(${axis}) for attribute 'axis'`;
    }
    case 'Reshape': {
      const shape = n.input?.[1] && g.consts.has(n.input[1]) ? g.consts.get(n.input[1])!.values : null;
      if (!shape || shape.length !== 2 || shape[1] !== -1 || attrInt(n, 'allowzero', 0) !== 0) return null;
      if (shape[0] === 0) return 'Invalid position of 0';
      return shape[0] === 1 ? null : 'Dimension could not be inferred: incompatible shapes';
    }
    default:
      return null;
  }
}

/**
 * For a graph input declared of rank 0: refuses the model where ORT 1.30 does (above), else returns why explain takes
 * no input for it. Null for an input of any other declaration.
 */
export function scalarInputReason(g: OnnxGraph, info: onnxProto.onnx.IValueInfoProto): string | null {
  const shape = info.type?.tensorType?.shape;
  if (!shape || (shape.dim?.length ?? 0) > 0) return null;
  const name = info.name ?? '';
  // every node that reads the scalar as its input 0, through the ops that keep the rank
  const reached = new Set<Node>();
  const values = [name];
  for (let v = values.pop(); v !== undefined; v = values.pop()) {
    for (const n of g.consumers.get(v) ?? []) {
      if (n.input?.[0] !== v || reached.has(n)) continue;
      reached.add(n);
      if (KEEPS_RANK.has(n.opType ?? '') && n.output?.[0]) values.push(n.output[0]);
    }
  }
  const refusing = g.nodes.find((n) => reached.has(n) && scalarRefusal(g, n) !== null);
  if (refusing) {
    const op = refusing.opType ?? '';
    throw new OrtRefusedModelError(g.path, `the graph input ${name} declares shape [] (rank 0), a scalar, which ${op} node ${refusing.name || `${op}_${g.nodes.indexOf(refusing)}`} reads (through ops that keep the rank) and takes none`, `Node (${refusing.name ?? ''}) Op (${op}) [ShapeInferenceError] ${scalarRefusal(g, refusing)}`);
  }
  return `the graph input ${name} declares shape [] (rank 0), a scalar: explain's chain carries [N, C, H, W] or [N, F] data (ONNX Runtime 1.30 runs the model: no op that takes no scalar reads it)`;
}
