/**
 * `qconform explain` refuses an ONNX model whose node carries an attribute ORT 1.30 refuses, as ORT does when it loads
 * the model (conformance/explain/onnx_node_attributes.ts, from the contract's schemas: contract/onnx_model_attributes.ts):
 * an unknown one, a mistyped one, one the op declares only from a later opset than the model's (QuantizeLinear's
 * saturate before 19, block_size before 21), a duplicate, one without a type or with a value of another type. The
 * error (OnnxAttributeError) names the node, the attribute and ORT's message; each model is loaded in onnxruntime-node
 * 1.30 here, and ORT's message must be the one explain quotes. Before, explain read such models and ignored the
 * attribute. Attributes ORT takes (declared at the model's opset, of their type; an internal "__" name) are still read.
 * Replay one case: npx vitest run tests/explain/onnx_node_attributes.test.ts -t '<case name>'
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { ModelReadError } from '../../conformance/explain/model_types.js';
import { OnnxAttributeError } from '../../conformance/explain/onnx_node_attributes.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { qlinearConvCase } from '../support/explain_integer_model.js';
import { qdqModel, qdqParts } from '../support/explain_qdq_model.js';
import { explainReadError, ortLoadError } from '../support/ort_load_verdicts.js';

const { onnx } = onnxProto;
const AT = onnx.AttributeProto.AttributeType;
type Attr = onnxProto.onnx.IAttributeProto;

const int = (name: string, i = 1): Attr => ({ name, type: AT.INT, i });
const float = (name: string): Attr => ({ name, type: AT.FLOAT, f: 1 });
const str = (name: string): Attr => ({ name, type: AT.STRING, s: new TextEncoder().encode('x') });

/** The QDQ model (nodes 0 QuantizeLinear, 2 DequantizeLinear of w, 3 Conv) at `opset`, node `k` named n<k> with `extra` added. */
function qdq(k: number, extra: Attr[], opset = 13, domain = ''): Uint8Array {
  const p = qdqParts();
  const n = p.nodes[k]!;
  n.name = `n${k}`;
  n.attribute = [...(n.attribute ?? []), ...extra];
  if (domain) n.domain = domain;
  const m = onnx.ModelProto.decode(qdqModel(p));
  m.opsetImport = [onnx.OperatorSetIdProto.create({ domain: '', version: opset }), ...(domain ? [onnx.OperatorSetIdProto.create({ domain, version: 1 })] : [])];
  if (opset >= 21) m.irVersion = 10;
  return onnx.ModelProto.encode(m).finish();
}

/** The one-QLinearConv model (ai.onnx, or com.microsoft's) with `extra` in place of the node qc's attributes of their names. */
function qlinearConv(extra: Attr[], domain = ''): Uint8Array {
  const m = onnx.ModelProto.decode(qlinearConvCase('quint8', '1').bytes);
  const n = m.graph!.node![0]!;
  n.name = 'qc';
  n.attribute = [...n.attribute!.filter((a) => !extra.some((b) => b.name === a.name)), ...extra];
  if (domain) {
    n.domain = domain;
    m.opsetImport = [...m.opsetImport!, onnx.OperatorSetIdProto.create({ domain, version: 1 })];
  }
  return onnx.ModelProto.encode(m).finish();
}

/** [case, model, node, attribute, ORT 1.30's message (the end of its "invalid model" error)] */
const REFUSED: ReadonlyArray<readonly [string, Uint8Array, string, string, string]> = [
  ['QuantizeLinear: unknown foo', qdq(0, [int('foo')]), 'n0', 'foo', 'Unrecognized attribute: foo for operator QuantizeLinear'],
  // names every JavaScript object inherits are undeclared names like any other (the schemas are read by own names)
  ['QuantizeLinear: unknown constructor', qdq(0, [int('constructor')]), 'n0', 'constructor', 'Unrecognized attribute: constructor for operator QuantizeLinear'],
  ['Conv: unknown toString', qdq(3, [str('toString')]), 'n3', 'toString', 'Unrecognized attribute: toString for operator Conv'],
  ['QuantizeLinear: axis as a FLOAT', qdq(0, [float('axis')]), 'n0', 'axis', "Mismatched attribute type in 'n0 : axis'. Expected: 'INT', actual: 'FLOAT'"],
  ['QuantizeLinear: axis as a STRING at opset 21', qdq(0, [str('axis')], 21), 'n0', 'axis', "Mismatched attribute type in 'n0 : axis'. Expected: 'INT', actual: 'STRING'"],
  ['QuantizeLinear: axis at opset 12 (QuantizeLinear-10)', qdq(0, [int('axis')], 12), 'n0', 'axis', 'Unrecognized attribute: axis for operator QuantizeLinear'],
  ['QuantizeLinear: saturate at opset 13', qdq(0, [int('saturate')]), 'n0', 'saturate', 'Unrecognized attribute: saturate for operator QuantizeLinear'],
  ['QuantizeLinear: block_size at opset 19', qdq(0, [int('block_size', 0)], 19), 'n0', 'block_size', 'Unrecognized attribute: block_size for operator QuantizeLinear'],
  ['QuantizeLinear: output_dtype at opset 19', qdq(0, [int('output_dtype', 2)], 19), 'n0', 'output_dtype', 'Unrecognized attribute: output_dtype for operator QuantizeLinear'],
  ['QuantizeLinear: precision at opset 21', qdq(0, [int('precision')], 21), 'n0', 'precision', 'Unrecognized attribute: precision for operator QuantizeLinear'],
  ['QuantizeLinear: saturate as a GRAPH at opset 19', qdq(0, [{ name: 'saturate', type: AT.GRAPH, g: { name: 'g' } }], 19), 'n0', 'saturate', "Mismatched attribute type in 'n0 : saturate'. Expected: 'INT', actual: 'GRAPH'"],
  ['QuantizeLinear: axis of type UNDEFINED, no value', qdq(0, [{ name: 'axis', type: AT.UNDEFINED }]), 'n0', 'axis', "Mismatched attribute type in 'n0 : axis'. Expected: 'INT', actual: 'UNDEFINED'"],
  ['QuantizeLinear: axis without a type', qdq(0, [{ name: 'axis', i: 1 }]), 'n0', 'axis', "Field 'type' of 'attr' is required but missing."],
  ['QuantizeLinear: axis INT holding a float', qdq(0, [{ name: 'axis', type: AT.INT, f: 1 }]), 'n0', 'axis', 'type field and data field mismatch in attribute axis.'],
  ['QuantizeLinear: an attribute without a name', qdq(0, [int('')]), 'n0', '', "Field 'name' of 'attr' is required to be non-empty."],
  ['QuantizeLinear: axis twice', qdq(0, [int('axis'), int('axis')]), 'n0', 'axis', "Attribute 'axis' appeared multiple times."],
  // the checker runs on every attribute before the schema: the typeless axis after foo is ORT's message
  ['QuantizeLinear: foo, then axis without a type', qdq(0, [int('foo'), { name: 'axis', i: 1 }]), 'n0', 'axis', "Field 'type' of 'attr' is required but missing."],
  ['com.microsoft QuantizeLinear: block_size', qdq(0, [int('block_size', 0)], 13, 'com.microsoft'), 'n0', 'block_size', 'Unrecognized attribute: block_size for operator QuantizeLinear'],
  ['DequantizeLinear: unknown foo', qdq(2, [int('foo')]), 'n2', 'foo', 'Unrecognized attribute: foo for operator DequantizeLinear'],
  ['DequantizeLinear: saturate at opset 21', qdq(2, [int('saturate')], 21), 'n2', 'saturate', 'Unrecognized attribute: saturate for operator DequantizeLinear'],
  ['DequantizeLinear: block_size at opset 19', qdq(2, [int('block_size', 0)], 19), 'n2', 'block_size', 'Unrecognized attribute: block_size for operator DequantizeLinear'],
  ['DequantizeLinear: output_dtype at opset 21', qdq(2, [int('output_dtype', 1)], 21), 'n2', 'output_dtype', 'Unrecognized attribute: output_dtype for operator DequantizeLinear'],
  ['DequantizeLinear: axis as INTS', qdq(2, [{ name: 'axis', type: AT.INTS, ints: [0] }]), 'n2', 'axis', "Mismatched attribute type in 'n2 : axis'. Expected: 'INT', actual: 'INTS'"],
  ['Conv: unknown foo', qdq(3, [int('foo')]), 'n3', 'foo', 'Unrecognized attribute: foo for operator Conv'],
  ['Conv: group as a FLOAT', qdq(3, [float('group')]), 'n3', 'group', "Mismatched attribute type in 'n3 : group'. Expected: 'INT', actual: 'FLOAT'"],
  ['QLinearConv: unknown foo', qlinearConv([int('foo')]), 'qc', 'foo', 'Unrecognized attribute: foo for operator QLinearConv'],
  ['QLinearConv: channels_last (com.microsoft only)', qlinearConv([int('channels_last', 0)]), 'qc', 'channels_last', 'Unrecognized attribute: channels_last for operator QLinearConv'],
  ['QLinearConv: strides as an INT', qlinearConv([int('strides')]), 'qc', 'strides', "Mismatched attribute type in 'qc : strides'. Expected: 'INTS', actual: 'INT'"],
  ['QLinearConv: group twice', qlinearConv([int('group'), int('group')]), 'qc', 'group', "Attribute 'group' appeared multiple times."],
  ['com.microsoft QLinearConv: channels_last as a FLOAT', qlinearConv([float('channels_last')], 'com.microsoft'), 'qc', 'channels_last', "Mismatched attribute type in 'qc : channels_last'. Expected: 'INT', actual: 'FLOAT'"],
];

/** [case, model]: ORT 1.30 loads each, explain reads it */
const TAKEN: ReadonlyArray<readonly [string, Uint8Array]> = [
  ['QuantizeLinear: axis INT at opset 13', qdq(0, [int('axis')])],
  ['QuantizeLinear: saturate at opset 19', qdq(0, [int('saturate')], 19)],
  ['QuantizeLinear: block_size and output_dtype at opset 21', qdq(0, [int('block_size', 0), int('output_dtype', 2)], 21)],
  ['QuantizeLinear: an internal __foo', qdq(0, [int('__foo')])],
  ['QuantizeLinear: axis INT without a value', qdq(0, [{ name: 'axis', type: AT.INT }])],
  ['DequantizeLinear: block_size at opset 21', qdq(2, [int('block_size', 0)], 21)],
  ['QLinearConv: dilations', qlinearConv([{ name: 'dilations', type: AT.INTS, ints: [1, 1] }])],
];

describe('explain refuses the node attributes ORT 1.30 refuses', () => {
  it.each(REFUSED)('%s', async (_, bytes, node, attribute, ort) => {
    expect(await ortLoadError(bytes), 'ORT 1.30 live').toMatch(new RegExp(`Error ${ort.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}$`));
    const error = explainReadError(bytes);
    expect(error, 'explain refuses the model').toBeInstanceOf(OnnxAttributeError);
    const e = error as OnnxAttributeError;
    expect({ node: e.node, attribute: e.attribute, ort: e.ort }).toEqual({ node, attribute, ort });
    expect(e.message).toContain(`node ${node}: attribute ${attribute || '(no name)'}: `);
    expect(e.message).toContain(`ONNX Runtime 1.30 refuses the model: "${ort}"`);
  });

  it.each(TAKEN)('%s: ORT loads it and explain reads it', async (_, bytes) => {
    expect(await ortLoadError(bytes), 'ORT 1.30 live').toBeNull();
    expect(readOnnxModel('m.onnx', bytes).steps[0]!.kind).toBe('conv2d');
  });

  it("an attribute of the op's later version at an opset declaring it is refused as not modelled (ORT takes it)", async () => {
    const bytes = qdq(0, [int('precision')], 23);
    expect(await ortLoadError(bytes), 'ORT 1.30 live').toBeNull();
    expect(() => readOnnxModel('m.onnx', bytes)).toThrow(ModelReadError);
    // not an OnnxAttributeError: ORT takes the model; explain does not model the attribute
    expect(() => readOnnxModel('m.onnx', bytes)).not.toThrow(OnnxAttributeError);
    expect(() => readOnnxModel('m.onnx', bytes)).toThrow("m.onnx: QuantizeLinear node n0: attribute precision: declared from QuantizeLinear-23 (the model's opset is 23), which explain does not model (it reads QuantizeLinear-21's attributes)");
  });
});
