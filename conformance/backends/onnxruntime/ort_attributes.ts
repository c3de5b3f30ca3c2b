/**
 * The attributes of a request that its op's schema refuses (contract/onnx_attributes.ts), as the onnxruntime adapters
 * hand them to ORT: a fault of the wire form alone (a qconform attribute of the wrong type, an ONNX attribute the wire
 * form does not take, a value of no ONNX type) is refused here as the contract refuses it; every other refused
 * attribute is put on the node as the ONNX attribute of its own type, under its ONNX name, so that ORT's own schema
 * check refuses the model ("Unrecognized attribute", "Mismatched attribute type": ORT_ATTRIBUTE_REFUSAL).
 */
import { QconformError } from '../../../contract/errors.js';
import { type OnnxAttributeFault, type OnnxAttributeSchema, onnxAttributeFaults } from '../../../contract/onnx_attributes.js';
import { decodeTensor } from '../../../contract/wire.js';
import { ownValue } from '../../../contract/own_property.js';
import type { OnnxAttr, OnnxElem } from './one_node_model.js';

/** The ONNX element type a wire tensor attribute is given to ORT in (any will do: ORT refuses the attribute by its type). */
const ATTRIBUTE_TENSOR_ELEM: Partial<Record<string, OnnxElem>> = { float32: 'float32', float16: 'float16', int64: 'int64', int32: 'int32', qint32: 'int32', int16: 'int16', int8: 'int8', qint8: 'int8', uint8: 'uint8', quint8: 'uint8' };

/**
 * A refused wire attribute as the ONNX attribute of its own type (the fault's `type`: contract/onnx_attributes.ts
 * wireAttributeType). A value of no ONNX type is the wire form's fault (never `ort`): its own refusal.
 */
function asOnnxAttr(op: string, f: OnnxAttributeFault): OnnxAttr {
  const { onnxName: name, value: v } = f;
  switch (f.type) {
    case 'INT': return { name, int: v as number };
    case 'FLOAT': return { name, float: v as number };
    case 'STRING': return { name, str: v as string };
    case 'INTS': return { name, ints: v as number[] };
    case 'FLOATS': return { name, floats: v as number[] };
    case 'STRINGS': return { name, strs: v as string[] };
    case null: throw f.error;
  }
  const t = decodeTensor(v, `${op}: attrs.${f.name}`);
  const elem = ATTRIBUTE_TENSOR_ELEM[t.dtype];
  if (!elem) throw new QconformError('malformed_request', `${op}: attrs.${f.name}.dtype`, t.dtype, `a tensor attribute the onnxruntime backend can build: ${Object.keys(ATTRIBUTE_TENSOR_ELEM).join(', ')}`);
  return { name, tensor: { elem, dims: t.shape, values: t.data as ArrayLike<number> } };
}

export interface OrtAttributes {
  /** the request's attrs without those the schema refuses */
  readonly kept: Record<string, unknown>;
  /** the refused ones, for ORT to refuse */
  readonly faults: readonly OnnxAttributeFault[];
  /** those as the node's attributes (each replaces the node's own attribute of its name) */
  readonly extra: readonly OnnxAttr[];
}

/**
 * Splits a request's attrs by its op's schema; throws the first fault of the wire form alone (ORT is not asked). A null
 * attribute is no fault: it stays in `kept`, where the decoder (conformance/protocol/messages.ts Attrs) takes it as not
 * given, so the node is built as for an absent one (the attribute left off, or its default).
 */
export function ortAttributes(op: string, schema: OnnxAttributeSchema, raw: Readonly<Record<string, unknown>>): OrtAttributes {
  const faults = onnxAttributeFaults(op, schema, raw);
  const own = faults.find((f) => !f.ort);
  if (own) throw own.error;
  const kept = Object.fromEntries(Object.entries(raw).filter(([n]) => !faults.some((f) => f.name === n)));
  return { kept, faults, extra: faults.map((f) => asOnnxAttr(op, f)) };
}

/**
 * A value of a refused attribute's wire form, for the decoder when the wire form requires the attribute (qlinear_softmax@1's
 * opset, a pool's kernel_shape): the node carries the refused value instead, which ORT's schema check refuses before any
 * kernel reads one. null for an attribute the schema does not declare (the decoder never reads it).
 */
export function wireStandIn(schema: OnnxAttributeSchema, f: OnnxAttributeFault): unknown {
  const encoded = ownValue(schema.encoded, f.name);
  if (encoded) return encoded.wire === 'BOOLEAN' ? false : encoded.wire === 'FLOAT_HEX' ? '0000000000000000' : [];
  const type = ownValue(schema.onnx, f.name);
  if (type === undefined) return null;
  return type === 'INT' ? 0 : type === 'STRING' ? '' : type === 'FLOAT' ? 0 : [];
}
