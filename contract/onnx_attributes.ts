/**
 * The attribute check of the ONNX ops' wire forms: ONNX Runtime refuses a model whose node carries an attribute its op's
 * schema does not declare, or a declared one of another type, before it reads any input (the ONNX schema check,
 * onnx/defs/schema.cc OpSchema::Verify, run by ORT's graph resolution). Measured with onnxruntime-node 1.30.0 on
 * one-node models (tests/backends/ort_qdq_attributes.test.ts):
 *   - "Unrecognized attribute: foo for operator QuantizeLinear" (any type), also for an attribute the op declares only
 *     from a later opset (QuantizeLinear's precision and DequantizeLinear's output_dtype, both opset 23, at opset 21);
 *   - "Mismatched attribute type in ' : axis'. Expected: 'INT', actual: 'FLOAT'" (or STRING, INTS, TENSOR, ...).
 * An op's schema (OnnxAttributeSchema) lists its ONNX attributes with their types, the attributes of qconform's wire
 * form that are not ONNX's (such as quantize_linear@1's dtype or the matmul ops' accumulator), ONNX attributes the
 * wire form carries in another form (a boolean for an INT flag, a float64 hex string for a FLOAT, maybe under another
 * name: qgemm@1's trans_a for transA), and ONNX attributes the wire form does not take (carried otherwise, or not
 * modelled). A wire value's ONNX type is the type the onnxruntime backend gives it (wireAttributeType). Every fault is
 * malformed_request, naming the op, the attribute and why.
 */
import { QconformError } from './errors.js';
import { ownValue } from './own_property.js';

export const ONNX_ATTRIBUTE_TYPES = ['INT', 'FLOAT', 'STRING', 'INTS', 'FLOATS', 'STRINGS', 'TENSOR'] as const;
/** onnx.proto AttributeProto.AttributeType names (those a wire value can take). */
export type OnnxAttributeType = (typeof ONNX_ATTRIBUTE_TYPES)[number];

export interface OnnxAttributeSchema {
  /** the ONNX op and version the wire op stands for, as messages name it: 'QuantizeLinear-21' */
  readonly onnxOp: string;
  /** the attributes its ONNX schema declares, with their types */
  readonly onnx: Readonly<Record<string, OnnxAttributeType>>;
  /** attributes of the op's later versions, with the version that declares them (ORT refuses them at this one) */
  readonly later?: Readonly<Record<string, string>>;
  /**
   * the ai.onnx opset that first declares each attribute of `onnx` that the op's earlier versions lack (ORT refuses
   * it in a model of an earlier opset: "Unrecognized attribute"); the wire form always runs the op at `onnxOp`'s
   * version, so only a model's check (contract/onnx_model_attributes.ts) reads it
   */
  readonly since?: Readonly<Record<string, number>>;
  /** wire attributes that are not ONNX attributes (qconform's own, never given to ORT), with their wire types */
  readonly wire?: Readonly<Record<string, OnnxAttributeType>>;
  /**
   * ONNX attributes the wire form does not take, with what it does instead ("carries as attrs.dtype ...", "does not
   * model ..."): refused by the wire form whatever their value, never given to ORT
   */
  readonly notOnWire?: Readonly<Record<string, string>>;
  /** wire attributes carrying an ONNX attribute (of `onnx`, named `onnx`) in another form than its ONNX value */
  readonly encoded?: Readonly<Record<string, WireEncodedAttribute>>;
}

/**
 * How the wire form carries an ONNX attribute whose wire value is not the ONNX value: `BOOLEAN` an INT flag as a JSON
 * boolean (true is 1); `FLOAT_HEX` a FLOAT as a float64 hex string, `FLOATS_HEX` FLOATS as a list of them (rounded to
 * float32 as ONNX stores them: contract/wire.ts hexToF64).
 */
export type WireEncoding = 'BOOLEAN' | 'FLOAT_HEX' | 'FLOATS_HEX';

export interface WireEncodedAttribute {
  /** the ONNX attribute's name (a key of the schema's `onnx`) */
  readonly onnx: string;
  readonly wire: WireEncoding;
}

/** Whether `v` has the wire form `e` (its value is the decoder's to check: a hex string's digits, for one). */
function hasWireEncoding(v: unknown, e: WireEncoding): boolean {
  if (e === 'BOOLEAN') return typeof v === 'boolean';
  if (e === 'FLOAT_HEX') return typeof v === 'string';
  return Array.isArray(v) && v.every((x) => typeof x === 'string');
}

const ENCODING_TEXT: Record<WireEncoding, string> = { BOOLEAN: 'a boolean', FLOAT_HEX: 'a float64 hex string', FLOATS_HEX: 'a list of float64 hex strings' };

/** What ORT 1.30 says of an attribute its op's schema refuses (the schema check's two messages). */
export const ORT_ATTRIBUTE_REFUSAL = /Unrecognized attribute|Mismatched attribute type/;

/**
 * The ONNX attribute type of a wire value, as the onnxruntime backend encodes it: a safe integer is INT, another
 * number FLOAT, a string STRING (float attributes travel as float64 hex strings, so a hex string is a STRING to ONNX),
 * arrays of those INTS / FLOATS / STRINGS, a wire tensor ({dtype, shape, ...}) TENSOR; anything else (a boolean, a
 * mixed or nested array, another object) has no ONNX attribute type: null. null and undefined are absent attributes.
 */
export function wireAttributeType(v: unknown): OnnxAttributeType | null {
  if (typeof v === 'number') return Number.isSafeInteger(v) ? 'INT' : Number.isFinite(v) ? 'FLOAT' : null;
  if (typeof v === 'string') return 'STRING';
  if (Array.isArray(v)) {
    if (v.every((x) => typeof x === 'string')) return 'STRINGS';
    if (v.every((x) => Number.isSafeInteger(x))) return 'INTS';
    if (v.every((x) => typeof x === 'number' && Number.isFinite(x))) return 'FLOATS';
    return null;
  }
  if (typeof v === 'object' && v !== null && 'dtype' in v && 'shape' in v) return 'TENSOR';
  return null;
}

/** One attribute a request may not carry; `ort` says whether ONNX Runtime itself refuses it (so its backend lets ORT answer). */
export interface OnnxAttributeFault {
  /** the wire attribute's name */
  readonly name: string;
  /** the ONNX attribute it is given to ORT as (the wire name but for an encoded attribute: qgemm@1's trans_a is transA) */
  readonly onnxName: string;
  readonly value: unknown;
  /** the value's ONNX type (null: none) */
  readonly type: OnnxAttributeType | null;
  /** true: ORT refuses a model carrying it (unrecognized or mistyped ONNX attribute); false: a fault of the wire form only */
  readonly ort: boolean;
  readonly error: QconformError;
}

/** The present attributes of a request's raw attrs (null and undefined mean "not given", docs/protocol.md). */
function present(raw: Readonly<Record<string, unknown>>): [string, unknown][] {
  return Object.entries(raw).filter(([, v]) => v !== null && v !== undefined);
}

/** The end of a fault whose value has no ONNX attribute type: the wire form refuses it, no library is asked. */
const NO_ONNX_VALUE = ', which no ONNX model can carry: refused by the wire form before any library sees it';

/**
 * The attributes the wire form takes: the ONNX ones it takes as they are (not `notOnWire`), those it carries in another
 * form under their wire names (qgemm@1's trans_a, not transA), then its own (`wire`). What an unknown attribute's
 * refusal lists: an ONNX spelling the wire form refuses (transA, kernel_shape, output_dtype) is not one to use.
 */
export function wireAttributeNames(schema: OnnxAttributeSchema): string[] {
  const encodedAs = new Map(Object.entries(schema.encoded ?? {}).map(([wire, e]) => [e.onnx, wire]));
  const names = Object.keys(schema.onnx).filter((name) => ownValue(schema.notOnWire, name) === undefined || encodedAs.has(name)).map((name) => encodedAs.get(name) ?? name);
  return [...new Set([...names, ...Object.keys(schema.encoded ?? {}), ...Object.keys(schema.wire ?? {})])];
}

/** Every attribute of `raw` that `schema` refuses, in the request's order. `op` is the wire op name (quantize_linear@1). */
export function onnxAttributeFaults(op: string, schema: OnnxAttributeSchema, raw: Readonly<Record<string, unknown>>): OnnxAttributeFault[] {
  const taken = wireAttributeNames(schema);
  const list = taken.length ? `${op}'s attrs: ${taken.join(', ')}` : `${op} takes no attrs`;
  const faults: OnnxAttributeFault[] = [];
  for (const [name, value] of present(raw)) {
    const type = wireAttributeType(value);
    const encoded = ownValue(schema.encoded, name);
    const onnxName = encoded?.onnx ?? name;
    const fault = (ort: boolean, why: string) => faults.push({ name, onnxName, value, type, ort, error: new QconformError('malformed_request', `${op}: attrs.${name}`, value, why) });
    const typeName = type ?? 'a value of no ONNX attribute type';
    const onnxType = ownValue(schema.onnx, onnxName);
    const wireType = ownValue(schema.wire, name);
    const mismatched = (what: string) => `ONNX ${schema.onnxOp} declares ${what} as ${onnxType}, got ${typeName}; ONNX Runtime 1.30 refuses the model ("Mismatched attribute type")`;
    const notOnWire = ownValue(schema.notOnWire, name);
    if (notOnWire !== undefined) fault(false, `${name} is an attribute of ONNX ${schema.onnxOp} that the wire form ${notOnWire}`);
    else if (wireType !== undefined) {
      if (type !== wireType) fault(false, `${name} is a ${wireType} (a qconform attribute, not an ONNX one), got ${typeName}`);
    } else if (encoded !== undefined && onnxType !== undefined) {
      // a value of the wire form is the decoder's; one of the ONNX type itself (ORT would take it) or of none is the
      // wire form's fault; one of another ONNX type is given to ORT, which refuses it
      const carried = `${name} carries ONNX ${schema.onnxOp}'s ${onnxName} (${onnxType}) as ${ENCODING_TEXT[encoded.wire]}`;
      if (hasWireEncoding(value, encoded.wire)) continue;
      if (type === null || type === onnxType) fault(false, `${carried}, got ${typeName}`);
      else fault(true, `${carried}: ${mismatched(onnxName === name ? name : `${onnxName} (the wire's ${name})`)}`);
    } else if (onnxType !== undefined) {
      // a value of no ONNX type cannot be given to ORT: the wire form refuses it itself
      if (type === null) fault(false, `ONNX ${schema.onnxOp} declares ${name} as ${onnxType}, got ${typeName}${NO_ONNX_VALUE}`);
      else if (type !== onnxType) fault(true, mismatched(name));
    } else {
      const later = ownValue(schema.later, name);
      const since = later ? ` (${later} declares it: a later opset than this op's)` : '';
      const declaresNo = `ONNX ${schema.onnxOp} declares no attribute ${name}${since}, ${list}`;
      fault(type !== null, type === null ? `${declaresNo}; got ${typeName}${NO_ONNX_VALUE}` : `${declaresNo}; ONNX Runtime 1.30 refuses the model ("Unrecognized attribute")`);
    }
  }
  return faults;
}

/** Refuses (malformed_request) the first attribute `schema` does not take, as ONNX Runtime's schema check does. */
export function checkOnnxAttributes(op: string, schema: OnnxAttributeSchema, raw: Readonly<Record<string, unknown>>): void {
  const fault = onnxAttributeFaults(op, schema, raw)[0];
  if (fault) throw fault.error;
}
