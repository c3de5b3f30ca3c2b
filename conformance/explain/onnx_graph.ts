/**
 * An ONNX graph as `qconform explain` reads it (onnx-proto's protobufjs decoder): constants (initializers,
 * Constant nodes, and Cast / ConstantOfShape / Identity of them), producers and consumers, node attributes,
 * activation qparams, and the QDQ pattern's DequantizeLinear inputs and QuantizeLinear output.
 */
import onnxProto from 'onnx-proto';
import type { QuantDtype } from '../../contract/dtypes.js';
import { MAX_TENSOR_ELEMENTS } from '../../contract/limits.js';
import { type ActivationQparams, ModelReadError } from './model_types.js';
import { OrtRefusedModelError } from './ort_refused_model.js';

export const { onnx } = onnxProto;
export type Node = onnxProto.onnx.INodeProto;
export type TensorProto = onnxProto.onnx.ITensorProto;
export const DT = onnx.TensorProto.DataType;

export interface Const {
  readonly dataType: number;
  readonly dims: readonly number[];
  readonly values: readonly number[];
}

export const num = (v: number | { toNumber(): number } | null | undefined): number => (v === null || v === undefined ? 0 : typeof v === 'number' ? v : v.toNumber());

/**
 * The data types ONNX Runtime 1.30 takes in a TensorProto (TensorProto_DataType_IsValid of the ONNX it bundles: 1 to 26;
 * measured: 26 loads, 27 and 999 give "Tensor '<name>' does not have valid data type.", 0 "Tensor does not have type
 * information.", graph.cc).
 */
const ORT_MAX_DATA_TYPE = 26;

/**
 * The typed field that holds each data type explain reads when there is no raw_data (onnx.proto: float_data for FLOAT;
 * int32_data for UINT8, INT8, UINT16, INT16, INT32, BOOL; int64_data for INT64; double_data for DOUBLE; uint64_data for
 * UINT32, UINT64). ORT reads that field only (tensorprotoutils.cc UnpackTensor): int8 values in float_data are no data.
 */
const TYPED_FIELD: Readonly<Record<number, 'floatData' | 'int32Data' | 'int64Data' | 'doubleData' | 'uint64Data'>> = {
  [DT.FLOAT]: 'floatData',
  [DT.UINT8]: 'int32Data',
  [DT.INT8]: 'int32Data',
  [DT.UINT16]: 'int32Data',
  [DT.INT16]: 'int32Data',
  [DT.INT32]: 'int32Data',
  [DT.BOOL]: 'int32Data',
  [DT.INT64]: 'int64Data',
  [DT.DOUBLE]: 'doubleData',
  [DT.UINT32]: 'uint64Data',
  [DT.UINT64]: 'uint64Data',
};

/** ONNX's name of a data type ('INT8'), else its number. */
export function dataTypeName(dataType: number): string {
  return (DT as unknown as Record<number, string>)[dataType] ?? String(dataType);
}

/** The data type of a TensorProto, refused as ORT refuses it when it is no valid ONNX data type. */
function checkedDataType(path: string, t: TensorProto): number {
  const dataType = t.dataType ?? 0;
  if (dataType === 0) throw new OrtRefusedModelError(path, `tensor ${t.name ?? ''} has no data type`, 'Tensor does not have type information.');
  if (!(dataType >= 1 && dataType <= ORT_MAX_DATA_TYPE)) throw new OrtRefusedModelError(path, `tensor ${t.name ?? ''}: data type ${dataType} is not an ONNX data type`, `Tensor '${t.name ?? ''}' does not have valid data type.`);
  return dataType;
}

/** The values of a TensorProto, from raw_data (little-endian) or the typed field of its data type. */
export function tensorValues(path: string, t: TensorProto): Const {
  const dims = (t.dims ?? []).map(num);
  const dataType = checkedDataType(path, t);
  const count = dims.reduce((a, b) => a * b, 1);
  const raw = t.rawData && t.rawData.length ? t.rawData : null;
  let values: number[];
  if (raw) {
    const view = new DataView(raw.buffer, raw.byteOffset, raw.byteLength);
    const width: Record<number, number> = { [DT.FLOAT]: 4, [DT.UINT8]: 1, [DT.INT8]: 1, [DT.INT32]: 4, [DT.INT64]: 8, [DT.DOUBLE]: 8, [DT.BOOL]: 1 };
    const w = width[dataType];
    if (w === undefined) throw new ModelReadError(path, `tensor ${t.name ?? ''}: data type ${dataTypeName(dataType)} is not supported`);
    if (raw.byteLength !== w * count) throw new ModelReadError(path, `tensor ${t.name ?? ''}: ${raw.byteLength} bytes of raw data for ${count} elements of ${w} bytes`);
    values = Array.from({ length: count }, (_, i) => {
      const o = i * w;
      if (dataType === DT.FLOAT) return view.getFloat32(o, true);
      if (dataType === DT.DOUBLE) return view.getFloat64(o, true);
      if (dataType === DT.INT8) return view.getInt8(o);
      if (dataType === DT.INT32) return view.getInt32(o, true);
      if (dataType === DT.INT64) return Number(view.getBigInt64(o, true));
      return view.getUint8(o);
    });
  } else {
    const field = TYPED_FIELD[dataType];
    if (field === undefined) throw new ModelReadError(path, `tensor ${t.name ?? ''}: data type ${dataTypeName(dataType)} is not supported`);
    const typed: ArrayLike<number | { toNumber(): number }> = t[field] ?? [];
    values = Array.from(typed, (v) => num(v));
    if (values.length !== count) {
      const proto = { floatData: 'float_data', int32Data: 'int32_data', int64Data: 'int64_data', doubleData: 'double_data', uint64Data: 'uint64_data' }[field];
      throw new OrtRefusedModelError(path, `tensor ${t.name ?? ''}: ${values.length} values in ${proto}, where ${dataTypeName(dataType)} data is kept, for shape [${dims.join(', ')}]`, `tensor shape size(${count}) does not match the data size(${values.length}) in proto`);
    }
  }
  return { dataType, dims, values };
}

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
  readonly consts = new Map<string, Const>();
  readonly producer = new Map<string, Node>();
  readonly consumers = new Map<string, Node[]>();
  /** the element type (TensorProto.DataType) of each graph input */
  readonly inputTypes = new Map<string, number>();
  constructor(
    readonly path: string,
    readonly nodes: readonly Node[],
    initializers: readonly TensorProto[],
    inputs: readonly onnxProto.onnx.IValueInfoProto[] = [],
  ) {
    for (const i of inputs) if (i.name && i.type?.tensorType?.elemType) this.inputTypes.set(i.name, i.type.tensorType.elemType);
    for (const t of initializers) this.consts.set(t.name ?? '', tensorValues(path, t));
    // a value has one definition: a graph input or initializer (an initializer may be listed among the inputs, and a
    // repeated initializer is the last one, as ORT takes it), or one node output
    const defined = new Set([...inputs.map((i) => i.name ?? ''), ...initializers.map((t) => t.name ?? '')]);
    const nodeName = (n: Node) => `${n.opType} node ${n.name || `${n.opType}_${nodes.indexOf(n)}`}`;
    for (const n of nodes) {
      for (const o of n.output ?? []) {
        if (o === '') continue; // an optional output left out
        if (defined.has(o)) {
          const first = this.producer.get(o);
          const by = first === n ? 'by the same node' : first ? `by ${nodeName(first)}` : 'as a graph input or initializer';
          throw new OrtRefusedModelError(path, `${nodeName(n)}: its output ${o} is already defined ${by}`, `Duplicate definition of name (${o}).`);
        }
        defined.add(o);
        this.producer.set(o, n);
      }
    }
    for (const n of nodes) {
      for (const i of n.input ?? []) this.consumers.set(i, [...(this.consumers.get(i) ?? []), n]);
      this.foldConstant(n);
    }
  }

  private foldConstant(n: Node): void {
    const out = n.output?.[0];
    if (!out) return;
    const input = n.input?.[0];
    if (n.opType === 'Constant') {
      const v = attr(n, 'value')?.t;
      if (v) this.consts.set(out, tensorValues(this.path, v));
    } else if ((n.opType === 'Cast' || n.opType === 'Identity') && input && this.consts.has(input)) {
      const c = this.consts.get(input)!;
      this.consts.set(out, { ...c, dataType: n.opType === 'Cast' ? attrInt(n, 'to', c.dataType) : c.dataType });
    } else if (n.opType === 'ConstantOfShape' && input && this.consts.has(input)) {
      const dims = this.constantShape(n, this.consts.get(input)!.values);
      const v = attr(n, 'value')?.t;
      const fill = v ? tensorValues(this.path, v) : { dataType: DT.FLOAT, dims: [1], values: [0] };
      this.consts.set(out, { dataType: fill.dataType, dims, values: new Array(dims.reduce((a, b) => a * b, 1)).fill(fill.values[0] ?? 0) });
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
   * The producer of a value, looking through Cast and Identity (torch's exporter casts uint8 to uint8). A chain of
   * them that comes back to a value already passed (Identity a -> b -> a, or an Identity feeding itself) is a
   * ModelReadError naming the cycle: such a graph has no producer for the value.
   */
  source(name: string): Node | undefined {
    const seen: string[] = [];
    let n = this.producer.get(name);
    while (n && (n.opType === 'Cast' || n.opType === 'Identity') && !this.consts.has(name)) {
      seen.push(name);
      name = n.input?.[0] ?? '';
      if (seen.includes(name)) {
        const cycle = [...seen.slice(seen.indexOf(name)), name].join(' <- ');
        throw new ModelReadError(this.path, `value ${name} is its own producer through Cast/Identity nodes (${cycle}): an ONNX graph must be acyclic`);
      }
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

export function dtypeOfZeroPoint(c: Const | undefined): QuantDtype {
  return c?.dataType === DT.INT8 ? 'qint8' : 'quint8';
}

export function qparams(g: OnnxGraph, scaleName: string | undefined, zpName: string | undefined, what: string): ActivationQparams {
  const scale = g.constant(scaleName, `${what} scale`);
  const zp = zpName ? g.constant(zpName, `${what} zero point`) : undefined;
  if (scale.values.length !== 1) throw new ModelReadError(g.path, `${what}: a per-tensor scale is expected, got ${scale.values.length} values`);
  return { scale: scale.values[0]!, zeroPoint: zp?.values[0] ?? 0, dtype: dtypeOfZeroPoint(zp) };
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
    if (g.consts.has(name)) return g.consts.get(name)!.dataType;
    if (g.inputTypes.has(name)) return g.inputTypes.get(name);
    const n = g.producer.get(name);
    const op = n?.opType ?? '';
    if (op === 'QuantizeLinear') return n!.input?.[2] ? g.consts.get(n!.input[2])?.dataType : attrInt(n!, 'output_dtype', 0) || DT.UINT8;
    if (op === 'Cast') return attrInt(n!, 'to', 0) || undefined;
    if (op === 'QLinearConv' || op === 'QLinearMatMul') return g.consts.get(n!.input?.[7] ?? '')?.dataType;
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
  if (t === DT.UINT8 || t === DT.INT8) return { ...q, dtype: t === DT.INT8 ? 'qint8' : 'quint8' };
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

