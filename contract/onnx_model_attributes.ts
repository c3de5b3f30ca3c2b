/**
 * The attribute check of a node in an ONNX model, as ONNX Runtime 1.30 runs it when it loads the model (the ONNX schema
 * check, onnx/defs/schema.cc OpSchema::Verify), from the same schemas as the wire forms' (contract/onnx_attributes.ts):
 * contract/onnx_quant_attributes.ts, onnx_qop_attributes.ts (ONNX_QOP_ATTRIBUTES and ONNX_CONV_ATTRIBUTES). A schema's
 * `onnxOp` names its domain and op ('com.microsoft QLinearConv-1', 'QuantizeLinear-21'). In a model, attributes carry
 * their AttributeProto type, so only `onnx` (with `since` and `later` for the model's opset) applies: the wire form's own
 * attributes and encodings do not. ORT's messages (onnxruntime-node 1.30.0, tests/explain/onnx_node_attributes.test.ts):
 *   - "Unrecognized attribute: <name> for operator <op>" (a name the op's version at the model's opset does not declare);
 *   - "Mismatched attribute type in '<node name> : <name>'. Expected: '<type>', actual: '<type>'".
 * A name starting with "__" is ONNX's internal symbol: Verify skips it, and ORT takes the model.
 */
import type { OnnxAttributeSchema } from './onnx_attributes.js';
import { ONNX_CONV_ATTRIBUTES, ONNX_QOP_ATTRIBUTES } from './onnx_qop_attributes.js';
import { ONNX_QUANT_ATTRIBUTES } from './onnx_quant_attributes.js';
import { ownValue } from './own_property.js';

const SCHEMAS: readonly OnnxAttributeSchema[] = [...Object.values(ONNX_QUANT_ATTRIBUTES), ...Object.values(ONNX_QOP_ATTRIBUTES), ...Object.values(ONNX_CONV_ATTRIBUTES)];

/** 'com.microsoft QLinearConv-1' -> ['com.microsoft', 'QLinearConv']; 'QuantizeLinear-21' -> ['', 'QuantizeLinear']. */
function domainAndOp(onnxOp: string): [string, string] {
  const [domain, op] = onnxOp.includes(' ') ? onnxOp.split(' ') : ['', onnxOp];
  return [domain!, op!.replace(/-\d+$/, '')];
}

const BY_OP = new Map(SCHEMAS.map((s) => [domainAndOp(s.onnxOp).join(' '), s]));

/** The schema of a model node's op (domain '' or 'ai.onnx' is ONNX's), or undefined when qconform keeps none. */
export function modelNodeSchema(domain: string | null | undefined, opType: string): OnnxAttributeSchema | undefined {
  return BY_OP.get(`${domain === 'ai.onnx' || !domain ? '' : domain} ${opType}`);
}

/** What the schema check makes of one attribute of a model node. */
export type ModelAttributeVerdict =
  /** ORT takes it */
  | { readonly kind: 'taken' }
  /** ORT refuses the model with message `ort`; `why` says it in qconform's words */
  | { readonly kind: 'refused'; readonly ort: string; readonly why: string }
  /** an attribute of the op's later version (`later`) at an opset that declares it: the schema does not say its type */
  | { readonly kind: 'later'; readonly version: string };

/** The opset that declares `later`'s entry ('QuantizeLinear-23' -> 23). */
const laterOpset = (version: string): number => Number(version.slice(version.lastIndexOf('-') + 1));

/**
 * The verdict of ORT 1.30's schema check on attribute `name` of AttributeProto type `type` (onnx.proto's name: 'INT',
 * 'GRAPH', 'UNDEFINED', ...) of node `nodeName` (op `opType`) under `schema`, in a model importing the op's domain at
 * `opset`. `since` applies to ai.onnx ops only (com.microsoft ops have one version).
 */
export function modelAttributeVerdict(schema: OnnxAttributeSchema, opType: string, nodeName: string, opset: number, name: string, type: string): ModelAttributeVerdict {
  if (name.startsWith('__')) return { kind: 'taken' };
  const later = ownValue(schema.later, name);
  if (later !== undefined && opset >= laterOpset(later)) return { kind: 'later', version: later };
  const declared = ownValue(schema.onnx, name);
  const since = ownValue(schema.since, name);
  if (declared === undefined || (since !== undefined && opset < since)) {
    const from = declared === undefined ? (later ? ` (${later} declares it)` : '') : ` (from opset ${since})`;
    return { kind: 'refused', ort: `Unrecognized attribute: ${name} for operator ${opType}`, why: `${opType} at opset ${opset} declares no attribute ${name}${from}` };
  }
  if (type !== declared) {
    return { kind: 'refused', ort: `Mismatched attribute type in '${nodeName} : ${name}'. Expected: '${declared}', actual: '${type}'`, why: `${opType} declares ${name} as ${declared}, the node gives ${type}` };
  }
  return { kind: 'taken' };
}
