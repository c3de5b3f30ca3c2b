/**
 * A serialized ONNX model holding one node, built from TypeScript with onnx-proto: the graph inputs are
 * given as named tensors fed at run time, every other input is an initializer. Used by the ops of
 * onnxruntime_ops.ts other than QLinearConv (qlinear_conv_model.ts), for the default domain and com.microsoft.
 */
import onnxProto from 'onnx-proto';

const { onnx } = onnxProto;
const T = onnx.TensorProto.DataType;

/** The ONNX element types the one-node models use. */
export type OnnxElem = 'uint8' | 'int8' | 'int16' | 'int32' | 'float32' | 'bool' | 'int64' | 'int4' | 'uint4' | 'float16';

/** TensorProto.DataType codes (onnx-proto 8 predates INT4 = 22 and UINT4 = 21). */
const ELEM: Record<OnnxElem, number> = { uint8: T.UINT8, int8: T.INT8, int16: T.INT16, int32: T.INT32, float32: T.FLOAT, bool: T.BOOL, int64: T.INT64, int4: 22, uint4: 21, float16: T.FLOAT16 };

/** A tensor of a one-node model: its element type, shape and values (floats are rounded to float32; float16 values are their bit patterns). */
export interface OnnxValue {
  readonly elem: OnnxElem;
  readonly dims: readonly number[];
  readonly values: ArrayLike<number>;
}

function bytesOf(v: OnnxValue): Uint8Array {
  switch (v.elem) {
    case 'uint8':
    case 'bool':
      return Uint8Array.from(v.values);
    case 'int8':
      return new Uint8Array(Int8Array.from(v.values).buffer);
    case 'int16':
      return new Uint8Array(Int16Array.from(v.values).buffer);
    case 'float16':
      return new Uint8Array(Uint16Array.from(v.values).buffer);
    case 'int32':
      return new Uint8Array(Int32Array.from(v.values).buffer);
    case 'int64':
      return new Uint8Array(BigInt64Array.from(Array.from(v.values, BigInt)).buffer);
    case 'float32':
      return new Uint8Array(Float32Array.from(v.values).buffer);
    case 'int4':
    case 'uint4': {
      // two per byte, the first in the low nibble (ONNX's packing of the flat tensor)
      const bytes = new Uint8Array((v.values.length + 1) >> 1);
      for (let i = 0; i < v.values.length; i++) bytes[i >> 1]! |= ((v.values[i] as number) & 15) << ((i & 1) * 4);
      return bytes;
    }
  }
}

export type OnnxAttr = { readonly name: string } & ({ readonly int: number } | { readonly ints: readonly number[] } | { readonly float: number } | { readonly floats: readonly number[] } | { readonly str: string } | { readonly strs: readonly string[] } | { readonly tensor: OnnxValue });

/** An AttributeProto of the attribute's own type (a tensor attribute holds its values as raw data). */
export function attribute(a: OnnxAttr) {
  const A = onnx.AttributeProto.AttributeType;
  if ('tensor' in a) return onnx.AttributeProto.create({ name: a.name, type: A.TENSOR, t: onnx.TensorProto.create({ dataType: ELEM[a.tensor.elem], dims: [...a.tensor.dims], rawData: bytesOf(a.tensor) }) });
  if ('int' in a) return onnx.AttributeProto.create({ name: a.name, type: A.INT, i: a.int });
  if ('ints' in a) return onnx.AttributeProto.create({ name: a.name, type: A.INTS, ints: [...a.ints] });
  if ('str' in a) return onnx.AttributeProto.create({ name: a.name, type: A.STRING, s: new TextEncoder().encode(a.str) });
  if ('strs' in a) return onnx.AttributeProto.create({ name: a.name, type: A.STRINGS, strings: a.strs.map((x) => new TextEncoder().encode(x)) });
  if ('floats' in a) return onnx.AttributeProto.create({ name: a.name, type: A.FLOATS, floats: [...a.floats] });
  return onnx.AttributeProto.create({ name: a.name, type: A.FLOAT, f: a.float });
}

/** A node's attributes: `own` without those `extra` replaces (by name), then `extra` (attributes ORT is to refuse). */
export function withExtraAttributes(own: readonly OnnxAttr[], extra: readonly OnnxAttr[]): OnnxAttr[] {
  return [...own.filter((a) => !extra.some((e) => e.name === a.name)), ...extra];
}

export interface OneNodeModel {
  readonly opType: string;
  /** '' (ai.onnx) or 'com.microsoft' */
  readonly domain: '' | 'com.microsoft';
  /** the default domain's opset (com.microsoft is imported at version 1) */
  readonly opset: number;
  /** the node's inputs in order; null is an omitted optional input (empty name) */
  readonly inputs: ReadonlyArray<readonly [string, OnnxValue] | null>;
  /** which of the inputs are graph inputs (fed at run time); the rest are initializers */
  readonly graphInputs: readonly string[];
  readonly output: { readonly name: string; readonly elem: OnnxElem };
  /** the node's further outputs, after `output` (QEmbedLayerNormalization's mask_index) */
  readonly extraOutputs?: ReadonlyArray<{ readonly name: string; readonly elem: OnnxElem }>;
  readonly attributes?: readonly OnnxAttr[];
  /**
   * Declare the graph inputs without a shape (rank unknown), so that ORT's shape inference cannot check them and the
   * kernel sees the fed shapes first (tests that reach a kernel's own refusals); by default they carry their dims.
   */
  readonly shapelessGraphInputs?: boolean;
}

/**
 * `inputs` without their trailing omitted (null) entries, for ops whose ORT kernel counts its inputs (some kernels,
 * such as DynamicQuantizeLSTM's, index every input of their schema and need the empty names kept instead).
 */
export function withoutTrailingOmitted<T>(inputs: readonly (T | null)[]): (T | null)[] {
  let count = inputs.length;
  while (count > 0 && inputs[count - 1] === null) count--;
  return inputs.slice(0, count);
}

/** Serialized model bytes for one node. */
export function oneNodeModel(m: OneNodeModel): Uint8Array {
  const initializer = [];
  const input = [];
  const valueInfo = (name: string, elem: OnnxElem, dims: readonly number[] | null) =>
    onnx.ValueInfoProto.create({ name, type: { tensorType: { elemType: ELEM[elem], shape: dims ? { dim: dims.map((d) => ({ dimValue: d })) } : null } } });
  for (const entry of m.inputs) {
    if (!entry) continue;
    const [name, v] = entry;
    if (m.graphInputs.includes(name)) input.push(valueInfo(name, v.elem, m.shapelessGraphInputs ? null : v.dims));
    else initializer.push(onnx.TensorProto.create({ name, dataType: ELEM[v.elem], dims: [...v.dims], rawData: bytesOf(v) }));
  }
  const node = onnx.NodeProto.create({
    opType: m.opType,
    domain: m.domain,
    input: m.inputs.map((e) => (e ? e[0] : '')),
    output: [m.output, ...(m.extraOutputs ?? [])].map((o) => o.name),
    attribute: (m.attributes ?? []).map(attribute),
  });
  const graph = onnx.GraphProto.create({ name: `qconform_${m.opType}`, node: [node], initializer, input, output: [m.output, ...(m.extraOutputs ?? [])].map((o) => valueInfo(o.name, o.elem, null)) });
  const opsetImport = [{ domain: '', version: m.opset }, ...(m.domain === 'com.microsoft' ? [{ domain: 'com.microsoft', version: 1 }] : [])];
  return onnx.ModelProto.encode(onnx.ModelProto.create({ irVersion: 8, opsetImport, producerName: 'qconform', graph })).finish();
}

/** Typed-array data of an OnnxValue, as onnxruntime-node's Tensor takes it. */
export function ortData(v: OnnxValue): Uint8Array | Int8Array | Int16Array | Uint16Array | Int32Array | Float32Array | BigInt64Array {
  switch (v.elem) {
    case 'int64':
      return BigInt64Array.from(Array.from(v.values, BigInt));
    case 'int4':
    case 'uint4':
      throw new Error('onnxruntime-node 1.30 cannot hand 4-bit tensors to or from JavaScript: make them initializers');
    case 'uint8':
    case 'bool':
      return Uint8Array.from(v.values);
    case 'int8':
      return Int8Array.from(v.values);
    case 'int16':
      return Int16Array.from(v.values);
    case 'float16':
      return Uint16Array.from(v.values);
    case 'int32':
      return Int32Array.from(v.values);
    case 'float32':
      return Float32Array.from(v.values);
  }
}
