/**
 * An ONNX graph as `qconform explain` reads it (onnx-proto's protobufjs decoder): constants (initializers,
 * Constant nodes' values (onnx_constant_nodes.ts), and Cast / ConstantOfShape / Identity of them, each read when first
 * used: onnx_constants.ts),
 * producers and consumers, node attributes, activation qparams, and the QDQ pattern's DequantizeLinear inputs and
 * QuantizeLinear output. Its nodes are the ones onnx_node_domain.ts readNodes gives: a node's op_type is the ai.onnx op
 * explain reads it as, or '<domain> <op_type>' for a node of another domain that it does not read as one.
 */
import onnxProto from 'onnx-proto';
import type { QuantDtype } from '../../contract/dtypes.js';
import { MAX_TENSOR_ELEMENTS } from '../../contract/limits.js';
import { type ActivationQparams, ModelReadError } from './model_types.js';
import { ConstTable } from './onnx_constants.js';
import { type ConstantNodeTensor, isOrtConstant } from './onnx_constant_nodes.js';
import { type Const, UnreadTensorError, checkedDataType, dataTypeName, num, tensorValues } from './onnx_tensor.js';
import { OrtRefusedModelError } from './ort_refused_model.js';

export const { onnx } = onnxProto;
export type Node = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export const DT = onnx.TensorProto.DataType;

export function attr(node: Node, name: string): onnxProto.onnx.IAttributeProto | undefined {
  return (node.attribute ?? []).find((a) => a.name === name);
}
export const attrInts = (node: Node, name: string, fallback: number[]): number[] => {
  const a = attr(node, name);
  return a?.ints?.length ? a.ints.map(num) : fallback;
};
export const attrInt = (node: Node, name: string, fallback: number): number => {
  const a = attr(node, name);
  return a?.i !== undefined && a.i !== null ? num(a.i) : fallback;
};

export class OnnxGraph {
  readonly consts = new ConstTable();
  readonly producer = new Map<string, Node>();
  readonly consumers = new Map<string, Node[]>();
  /** the element type (TensorProto.DataType) of each graph input */
  readonly inputTypes = new Map<string, number>();
  constructor(
    readonly path: string,
    readonly nodes: readonly Node[],
    initializers: readonly TensorProto[],
    inputs: readonly onnxProto.onnx.IValueInfoProto[] = [],
    constantNodes: readonly ConstantNodeTensor[] = [],
  ) {
    for (const i of inputs) if (i.name && i.type?.tensorType?.elemType) this.inputTypes.set(i.name, i.type.tensorType.elemType);
    // every initializer's data type is checked, as ORT checks it when it builds the graph; its values are read when a
    // node uses it (ORT reads those when it loads the model, and drops the others unread), else never. A Constant node's
    // value is an initializer after the graph's own (onnx_constant_nodes.ts), a later one of a name replacing an earlier
    const all: readonly ConstantNodeTensor[] = [...initializers.map((tensor) => ({ tensor, sparse: false })), ...constantNodes];
    for (const { tensor: t, sparse } of all) {
      const name = t.name ?? '';
      const unread = () => new UnreadTensorError(path, `tensor ${name}: a Constant node's sparse tensor, which explain does not read`);
      this.consts.define(name, checkedDataType(path, t), sparse ? () => { throw unread(); } : () => tensorValues(path, t));
    }
    // a Constant node is no node to ORT: it writes no value (its output is an initializer) and reads none
    const graphNodes = nodes.filter((n) => !isOrtConstant(n));
    const used = new Set(graphNodes.flatMap((n) => n.input ?? []));
    for (const { tensor: t } of all) if (used.has(t.name ?? '')) this.consts.readNow(t.name ?? '');
    // a value has one definition (onnx_graph_structure.ts refused the graph otherwise): a graph input or initializer,
    // or one node output
    for (const n of graphNodes) for (const o of n.output ?? []) if (o !== '') this.producer.set(o, n);
    for (const n of graphNodes) {
      for (const i of n.input ?? []) this.consumers.set(i, [...(this.consumers.get(i) ?? []), n]);
      this.foldConstant(n);
    }
  }

  private foldConstant(n: Node): void {
    const out = n.output?.[0];
    if (!out) return;
    const input = n.input?.[0];
    if ((n.opType === 'Cast' || n.opType === 'Identity') && input && this.consts.has(input)) {
      const from = this.consts.dataType(input)!;
      const dataType = n.opType === 'Cast' ? attrInt(n, 'to', from) : from;
      this.consts.define(out, dataType, () => ({ ...this.consts.get(input)!, dataType }));
    } else if (n.opType === 'ConstantOfShape' && input && this.consts.has(input)) {
      const v = attr(n, 'value')?.t;
      this.consts.define(out, v ? (v.dataType ?? 0) : DT.FLOAT, () => {
        const dims = this.constantShape(n, this.consts.get(input)!.values);
        const fill = v ? tensorValues(this.path, v) : { dataType: DT.FLOAT, dims: [1], values: [0] };
        return { dataType: fill.dataType, dims, values: new Array(dims.reduce((a, b) => a * b, 1)).fill(fill.values[0] ?? 0) };
      });
      this.consts.readNow(out);
    }
  }

  /** A ConstantOfShape's shape: non-negative integers, at most MAX_TENSOR_ELEMENTS elements in all (a ModelReadError otherwise). */
  private constantShape(n: Node, dims: readonly number[]): readonly number[] {
    const what = `ConstantOfShape ${n.name || n.output?.[0]}: shape [${dims.join(', ')}]`;
    if (!dims.every((d) => Number.isSafeInteger(d) && d >= 0)) throw new ModelReadError(this.path, `${what} is not a shape (non-negative integers)`);
    const count = dims.reduce((a, b) => a * b, 1);
    if (count > MAX_TENSOR_ELEMENTS) throw new ModelReadError(this.path, `${what} has ${count} elements; explain folds constants of at most ${MAX_TENSOR_ELEMENTS} (MAX_TENSOR_ELEMENTS, contract/limits.ts)`);
    return dims;
  }

  constant(name: string | undefined, what: string): Const {
    const c = name === undefined || name === '' ? undefined : this.consts.get(name);
    if (!c) throw new ModelReadError(this.path, `${what} (${name ?? 'absent'}) is not a constant of the graph`);
    return c;
  }

  /**
   * The producer of a value, looking through Cast and Identity (torch's exporter casts uint8 to uint8). The graph is
   * acyclic (onnx_graph_structure.ts refuses a cyclic one first, as ORT does), so the walk ends.
   */
  source(name: string): Node | undefined {
    let n = this.producer.get(name);
    while (n && (n.opType === 'Cast' || n.opType === 'Identity') && !this.consts.has(name)) {
      name = n.input?.[0] ?? '';
      n = this.producer.get(name);
    }
    return n;
  }

  /** The single consumer of a value, or undefined. */
  onlyConsumer(name: string): Node | undefined {
    const c = this.consumers.get(name) ?? [];
    return c.length === 1 ? c[0] : undefined;
  }
}

/** uint8 / int8 (ONNX UINT8 / INT8) as quint8 / qint8; any other element type (or none) as null. */
export function quantDtypeOfType(t: number | undefined): QuantDtype | null {
  return t === DT.UINT8 ? 'quint8' : t === DT.INT8 ? 'qint8' : null;
}

/** The name of element type `t` in explain's messages ('int16'), or 'not known from the graph'. */
export const typeText = (t: number | undefined): string => (t === undefined ? 'not known from the graph' : dataTypeName(t).toLowerCase());

/**
 * A zero point (or QuantizeLinear output) of a type other than uint8 / int8 (int16, uint16, int4, ...): ORT 1.30 runs
 * DequantizeLinear / QuantizeLinear of those types, explain does not model them. Its message is the reason a step is
 * listed as not modelled; where ORT refuses the model (QLinearConv, QLinearMatMul: checkQLinearTypes) it is refused.
 */
export class UnmodelledTypeError extends Error {}

/**
 * Per-tensor activation qparams from a scale and an optional zero point, their dtype the zero point's type (uint8
 * without one). A zero point of another type is an UnmodelledTypeError: before, every type other than int8 was read
 * as uint8, and a layer with int16 activations was stated as clamped to [0, 255].
 */
export function qparams(g: OnnxGraph, scaleName: string | undefined, zpName: string | undefined, what: string): ActivationQparams {
  const scale = g.constant(scaleName, `${what} scale`);
  const zp = zpName ? g.constant(zpName, `${what} zero point`) : undefined;
  if (scale.values.length !== 1) throw new ModelReadError(g.path, `${what}: a per-tensor scale is expected, got ${scale.values.length} values`);
  const dtype = zp ? quantDtypeOfType(zp.dataType) : 'quint8';
  if (!dtype) throw new UnmodelledTypeError(`the ${what} zero point is ${typeText(zp!.dataType)}: explain models uint8 / int8 activations only`);
  return { scale: scale.values[0]!, zeroPoint: zp?.values[0] ?? 0, dtype };
}

/**
 * ONNX QLinearConv-10 and QLinearMatMul-10 take uint8 / int8 x (a), w (b) and y and their zero points only
 * (onnx/defs/nn/defs.cc, onnx/defs/math/defs.cc type constraints T1, T2, T3): ORT 1.30 refuses a model with any other
 * of those types when it loads it (its ONNX type check: "Type Error: Type 'tensor(int16)' of input parameter (...) of
 * operator (QLinearConv) ... is invalid"), measured by tests/explain/zero_point_types.test.ts. So does explain, naming the
 * first such input in input order, as ORT's check does.
 */
export function checkQLinearTypes(g: OnnxGraph, n: Node, name: string): void {
  const op = n.opType ?? '';
  for (const k of [0, 2, 3, 5, 7]) {
    const input = n.input?.[k];
    const t = input ? elemType(g, input) : undefined;
    if (t === undefined || quantDtypeOfType(t)) continue;
    const type = typeText(t);
    throw new OrtRefusedModelError(g.path, `${op} node ${name}: its input ${input} is ${type}, which ONNX ${op} does not take (uint8 / int8 only)`, `Type Error: Type 'tensor(${type})' of input parameter (${input}) of operator (${op}) in node (${n.name ?? ''}) is invalid.`);
  }
}

/**
 * A QuantizeLinear's y qparams (qparams), their dtype the type of its output (elemType: its zero point's, else its
 * output_dtype attribute (QuantizeLinear-21), else uint8: onnx/defs/quantization/defs.cc; ORT 1.30's QuantizeLinear
 * kernel, onnxruntime/core/providers/cpu/quantization/quantize_linear.cc, outputs that type with zero point 0 when
 * none is given); or, as a string, why explain does not model it (an output type other than uint8 / int8). Before,
 * a layer's y read without a zero point was always uint8: an int8 output_dtype was stated as clamped to [0, 255].
 * A zero point input that is not a constant is qparams' ModelReadError (as before the output type was read), not
 * "output type not known from the graph".
 */
export function quantizeQparams(g: OnnxGraph, q: Node, what: string): ActivationQparams | string {
  // a zero point given but computed (not a constant): qparams' ModelReadError naming it, not an output type unknown
  const zp = q.input?.[2];
  if (zp && !g.consts.has(zp)) return qparams(g, q.input?.[1], zp, what);
  const t = elemType(g, q.output?.[0]);
  const dtype = quantDtypeOfType(t);
  if (!dtype) return `the QuantizeLinear's output type is ${typeText(t)}: explain models uint8 / int8 only`;
  return { ...qparams(g, q.input?.[1], q.input?.[2], what), dtype };
}

/** Ops whose output 0 has the element type of their input 0. */
const SAME_TYPE = new Set(['Identity', 'MaxPool', 'Flatten', 'Reshape', 'Relu']);

/**
 * The element type (TensorProto.DataType) of value `name`, where the graph says it: a constant's, a graph input's,
 * a QuantizeLinear's (its zero point's, else its output_dtype, else uint8: onnx/defs/quantization/defs.cc), a
 * Cast's `to`, a QLinearConv's or QLinearMatMul's (its y_zero_point's), or through the ops of SAME_TYPE; else undefined.
 */
export function elemType(g: OnnxGraph, name: string | undefined): number | undefined {
  const seen = new Set<string>();
  while (name && !seen.has(name)) {
    seen.add(name);
    if (g.consts.has(name)) return g.consts.dataType(name);
    if (g.inputTypes.has(name)) return g.inputTypes.get(name);
    const n = g.producer.get(name);
    const op = n?.opType ?? '';
    if (op === 'QuantizeLinear') return n!.input?.[2] ? g.consts.dataType(n!.input[2]) : attrInt(n!, 'output_dtype', 0) || DT.UINT8;
    if (op === 'Cast') return attrInt(n!, 'to', 0) || undefined;
    if (op === 'QLinearConv' || op === 'QLinearMatMul') return g.consts.dataType(n!.input?.[7] ?? '');
    if (!SAME_TYPE.has(op)) return undefined;
    name = n!.input?.[0] ?? undefined;
  }
  return undefined;
}

/**
 * A DequantizeLinear's x qparams (qparams): without a zero point, its dtype is the type of x (ONNX DequantizeLinear:
 * x_zero_point defaults to 0 of x's type T), which must then be known (elemType) as uint8 or int8, else a ModelReadError.
 */
export function dequantizeQparams(g: OnnxGraph, dq: Node, what: string): ActivationQparams {
  const q = qparams(g, dq.input?.[1], dq.input?.[2], what);
  if (dq.input?.[2]) return q;
  const t = elemType(g, dq.input?.[0]);
  const dtype = quantDtypeOfType(t);
  if (dtype) return { ...q, dtype };
  // a known type ORT dequantizes (int16, uint16, int32, ...): that step is not modelled
  if (t !== undefined) throw new UnmodelledTypeError(`${what}: the DequantizeLinear of ${dq.input?.[0] ?? 'its input'} reads ${typeText(t)} x: explain models uint8 / int8 activations only`);
  throw new ModelReadError(g.path, `${what}: the DequantizeLinear of ${dq.input?.[0] ?? 'its input'} has no zero point, and the type of its x is ${t === undefined ? 'not known from the graph' : `data type ${t}`}: explain reads uint8 or int8 x`);
}

/**
 * Why ORT 1.30 would not fuse a QDQ Conv, MatMul or Gemm with activation qparams x and output qparams y into its
 * integer kernel (QLinearConv, QLinearMatMul, QGemm), or null: its selectors take a group only when x's and y's types
 * are one (onnxruntime/core/optimizer/qdq_transformer/selectors_actions/qdq_selectors.cc, ConvNodeGroupSelector,
 * MatMulNodeGroupSelector and GemmNodeGroupSelector: dt_input != dt_output returns false); otherwise the op runs in
 * float between the DequantizeLinear and QuantizeLinear, which explain does not model.
 */
export function unfusedQdqProblem(op: string, x: ActivationQparams, y: ActivationQparams): string | null {
  if (x.dtype === y.dtype) return null;
  return `a QDQ ${op} whose x is ${x.dtype} and whose output is ${y.dtype} is not modelled: ORT fuses a QDQ group into its integer kernel only when the two types are one (qdq_selectors.cc), and runs this ${op} in float`;
}

/** The DequantizeLinear feeding a float op's input, or undefined. */
export function dequantizeOf(g: OnnxGraph, value: string | undefined): Node | undefined {
  const p = value ? g.source(value) : undefined;
  return p?.opType === 'DequantizeLinear' ? p : undefined;
}

/** Conv (or Gemm, MatMul) -> [Relu] -> QuantizeLinear: the QuantizeLinear and whether a Relu sits between. */
export function outputQuantize(g: OnnxGraph, n: Node): { q: Node; relu: boolean } | undefined {
  let next = g.onlyConsumer(n.output?.[0] ?? '');
  let relu = false;
  if (next?.opType === 'Relu') {
    relu = true;
    next = g.onlyConsumer(next.output?.[0] ?? '');
  }
  return next?.opType === 'QuantizeLinear' ? { q: next, relu } : undefined;
}

