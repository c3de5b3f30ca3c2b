/**
 * The attribute checks ONNX Runtime 1.30 runs on every node of a model it loads, in its order, so that `qconform explain`
 * refuses the models ORT refuses instead of ignoring what it does not read (OnnxAttributeError, naming the node, the
 * attribute and ORT's message; tests/explain/onnx_node_attributes.test.ts loads each such model in onnxruntime-node 1.30):
 *   1. the ONNX checker on each attribute of a node (onnx/checker.cc check_attribute): a name ("Field 'name' of 'attr' is
 *      required to be non-empty."), a type ("Field 'type' of 'attr' is required but missing."), and only value fields
 *      of that type ("type field and data field mismatch in attribute <name>.");
 *   2. the schema check (onnx/defs/schema.cc OpSchema::Verify): no name twice ("Attribute '<name>' appeared multiple
 *      times."), then each attribute against the op's schema: contract/onnx_model_attributes.ts, for the ops qconform
 *      keeps a schema of (the ONNX quantization ops, the integer and com.microsoft quantized ops, QLinearConv and Conv);
 *      the other ops' attributes are not checked here (MaxPool, Gemm, ...).
 * Nodes are checked in graph order; a Constant node is not (ORT made an initializer of it first: onnx_constant_nodes.ts).
 */
import type onnxProto from 'onnx-proto';
import { modelAttributeVerdict, modelNodeSchema } from '../../contract/onnx_model_attributes.js';
import { ModelReadError } from './model_types.js';
import { isOrtConstant } from './onnx_constant_nodes.js';
import { type Node, onnx } from './onnx_graph.js';

/** A model ORT refuses for a node's attribute: the node (its name, else `<op>_<index>`), the attribute, ORT's message. */
export class OnnxAttributeError extends ModelReadError {
  constructor(
    path: string,
    readonly node: string,
    readonly opType: string,
    readonly attribute: string,
    readonly ort: string,
    why: string,
  ) {
    super(path, `${opType} node ${node}: attribute ${attribute === '' ? '(no name)' : attribute}: ${why}`);
  }
}

type Attribute = onnxProto.onnx.IAttributeProto;
const TYPE = onnx.AttributeProto.AttributeType;
const typeName = (t: number): string => (TYPE as unknown as Record<number, string>)[t] ?? String(t);

/** AttributeProto's value fields and the type each belongs to (onnx.proto). */
const SINGULAR: Readonly<Record<string, number>> = { f: TYPE.FLOAT, i: TYPE.INT, s: TYPE.STRING, t: TYPE.TENSOR, g: TYPE.GRAPH, sparseTensor: TYPE.SPARSE_TENSOR, tp: TYPE.TYPE_PROTO };
const REPEATED: Readonly<Record<string, number>> = { floats: TYPE.FLOATS, ints: TYPE.INTS, strings: TYPE.STRINGS, tensors: TYPE.TENSORS, graphs: TYPE.GRAPHS, sparseTensors: TYPE.SPARSE_TENSORS, typeProtos: TYPE.TYPE_PROTOS };

/** The types of the value fields `a` sets (a decoded message holds a present field as its own property). */
function valueTypes(a: Attribute): number[] {
  const set = (f: string) => Object.hasOwn(a, f) && (a as Record<string, unknown>)[f] !== null && (a as Record<string, unknown>)[f] !== undefined;
  return [
    ...Object.entries(SINGULAR).filter(([f]) => set(f)).map(([, t]) => t),
    ...Object.entries(REPEATED).filter(([f]) => ((a as Record<string, unknown[] | undefined>)[f]?.length ?? 0) > 0).map(([, t]) => t),
  ];
}

/** ORT's checker message for attribute `a` (step 1), or null. */
function checkerMessage(a: Attribute): string | null {
  if (!a.name) return "Field 'name' of 'attr' is required to be non-empty.";
  if (!Object.hasOwn(a, 'type') || a.type === null || a.type === undefined) return "Field 'type' of 'attr' is required but missing.";
  if (valueTypes(a).some((t) => t !== a.type)) return `type field and data field mismatch in attribute ${a.name}.`;
  return null;
}

/** Throws an OnnxAttributeError for the first node attribute ORT 1.30 refuses (steps 1 and 2 above), or a ModelReadError for one explain does not model. */
export function checkNodeAttributes(path: string, nodes: readonly Node[], opsets: ReadonlyMap<string, number>): void {
  nodes.forEach((n, k) => {
    if (isOrtConstant(n)) return; // an initializer to ORT, whose attributes ORT's checks never see (onnx_constant_nodes.ts)
    const op = n.opType ?? '';
    const label = n.name || `${op}_${k}`;
    const attrs = n.attribute ?? [];
    const refuse = (a: string, ort: string, what: string) => {
      throw new OnnxAttributeError(path, label, op, a, ort, `${what}; ONNX Runtime 1.30 refuses the model: "${ort}"`);
    };
    for (const a of attrs) {
      const ort = checkerMessage(a);
      if (ort) refuse(a.name ?? '', ort, 'not a well-formed ONNX attribute (the ONNX checker)');
    }
    const seen = new Set<string>();
    for (const a of attrs) {
      if (seen.has(a.name!)) refuse(a.name!, `Attribute '${a.name}' appeared multiple times.`, 'given twice');
      seen.add(a.name!);
    }
    const schema = modelNodeSchema(n.domain, op);
    const opset = opsets.get(n.domain === 'ai.onnx' || !n.domain ? '' : n.domain);
    if (!schema || opset === undefined) return;
    for (const a of attrs) {
      const v = modelAttributeVerdict(schema, op, n.name ?? '', opset, a.name!, typeName(a.type!));
      if (v.kind === 'refused') refuse(a.name!, v.ort, v.why);
      if (v.kind === 'later') throw new ModelReadError(path, `${op} node ${label}: attribute ${a.name!}: declared from ${v.version} (the model's opset is ${opset}), which explain does not model (it reads ${schema.onnxOp}'s attributes)`);
    }
  });
}
