/**
 * `qconform explain` checks the types of every graph input, as ONNX Runtime 1.30 does when it loads a model
 * (conformance/explain/onnx_graph_input.ts checkGraphTypes), not only those of the input it runs: each model here is the
 * QDQ conv of tests/support/explain_qdq_model.ts (input x, which is fine) with a second graph input x2 (or another
 * declared type) that is not, loaded in onnxruntime-node 1.30; explain refuses it as ORT refuses it, quoting ORT. ORT
 * checks the declared element types first (inputs, initializer inputs too, then outputs and value_info), then the
 * untyped inputs no node reads, then those a node reads, all before any node (a Conv attribute of the wrong type in the
 * same model is not what ORT reports). Before, a second input was never checked: explain analysed each model.
 * Models ORT runs are still read: a float x2 no node reads, a sequence x2, an initializer input without a type.
 * Replay one case: npx vitest run tests/explain/graph_input_types.test.ts -t '<case name>'
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { qdqModel } from '../support/explain_qdq_model.js';
import { expectReadRefusalQuoting, ortLoadError } from '../support/ort_load_verdicts.js';

const { onnx } = onnxProto;
type Model = onnxProto.onnx.ModelProto;
const FLOAT = onnx.TensorProto.DataType.FLOAT;

/** The base QDQ model with `f` applied. */
function edit(f: (m: Model) => void): Uint8Array {
  const m = onnx.ModelProto.decode(qdqModel());
  f(m);
  return onnx.ModelProto.encode(m).finish();
}
const input = (name: string, type?: onnxProto.onnx.ITypeProto) => onnx.ValueInfoProto.create(type ? { name, type } : { name });
const tensor = (elemType: number) => ({ tensorType: { elemType } });
/** `m` with graph input `x2` (of `type`, none when undefined). */
const withX2 = (m: Model, type?: onnxProto.onnx.ITypeProto) => m.graph!.input!.push(input('x2', type));
/** `m` with a node reading `name` (z = y + name, a graph output). */
const read = (m: Model, name: string) => {
  m.graph!.node!.push(onnx.NodeProto.create({ opType: 'Add', input: ['y', name], output: [`z_${name}`] }));
  m.graph!.output!.push(input(`z_${name}`));
};
/** a group attribute of type INT holding a float: ORT's checker refuses it, when it gets to the node */
const badConvAttribute = (m: Model) => m.graph!.node![3]!.attribute!.push(onnx.AttributeProto.create({ name: 'group', type: onnx.AttributeProto.AttributeType.INT, f: 1.5 }));

const MISSING = 'Graph ctor should have created NodeArg for initializer. Missing:';

/** [case, model, ORT 1.30's message (explain quotes it), explain's words] */
const REFUSED: ReadonlyArray<readonly [string, Uint8Array, string, string]> = [
  ['a second input without a type, read by a node', edit((m) => { withX2(m); read(m, 'x2'); }), 'Model input (x2) does not have type information.', 'the graph input x2 has no type'],
  ['a second input of an empty TypeProto, read by a node', edit((m) => { withX2(m, {}); read(m, 'x2'); }), 'Model input (x2) does not have type information.', 'the graph input x2 has no type'],
  ['a second input without a type, read by no node', edit((m) => { withX2(m); }), `${MISSING}x2`, 'the graph input x2 has no type (and no node reads it)'],
  ['a second input without a type, only a graph output', edit((m) => { withX2(m); m.graph!.output!.push(input('x2')); }), `${MISSING}x2`, 'the graph input x2 has no type (and no node reads it)'],
  ['an untyped input read by a node before an untyped one no node reads: the unread one', edit((m) => { withX2(m); m.graph!.input!.push(input('x3')); read(m, 'x2'); }), `${MISSING}x3`, 'the graph input x3 has no type (and no node reads it)'],
  ['two untyped inputs nodes read: the first', edit((m) => { withX2(m); m.graph!.input!.push(input('x3')); read(m, 'x3'); read(m, 'x2'); }), 'Model input (x2) does not have type information.', 'the graph input x2 has no type'],
  ['a second input of element type 0', edit((m) => { withX2(m, tensor(0)); }), 'Invalid tensor data type 0.', 'the graph input x2 has element type 0, no ONNX data type'],
  ['a second input of element type 999, read by a node', edit((m) => { withX2(m, tensor(999)); read(m, 'x2'); }), 'Invalid tensor data type 999.', 'the graph input x2 has element type 999, no ONNX data type'],
  ['a second input, a sequence of element type 0', edit((m) => { withX2(m, { sequenceType: { elemType: tensor(0) } }); }), 'Invalid tensor data type 0.', 'the graph input x2 has element type 0, no ONNX data type'],
  ['an initializer input of element type 0', edit((m) => { m.graph!.input!.push(input('x_scale', tensor(0))); }), 'Invalid tensor data type 0.', 'the graph input x_scale has element type 0, no ONNX data type'],
  ['a graph output of element type 999', edit((m) => { m.graph!.output![0]!.type = tensor(999); }), 'Invalid tensor data type 999.', 'the graph output y has element type 999, no ONNX data type'],
  ['a value_info of element type 0', edit((m) => { m.graph!.valueInfo!.push(input('xq', tensor(0))); }), 'Invalid tensor data type 0.', 'the value_info of xq has element type 0, no ONNX data type'],
  ['an element type 0 before an untyped input: the element type', edit((m) => { m.graph!.input![0]!.type = null; withX2(m, tensor(0)); }), 'Invalid tensor data type 0.', 'the graph input x2 has element type 0, no ONNX data type'],
  ['inputs before outputs: x2 of 999, y of 0', edit((m) => { withX2(m, tensor(999)); m.graph!.output![0]!.type = tensor(0); }), 'Invalid tensor data type 999.', 'the graph input x2 has element type 999, no ONNX data type'],
  ['an untyped x2 before a Conv attribute ORT refuses: the input', edit((m) => { badConvAttribute(m); withX2(m); read(m, 'x2'); }), 'Model input (x2) does not have type information.', 'the graph input x2 has no type'],
];

describe('every graph input is type-checked, as ORT 1.30 checks it when it loads the model', () => {
  for (const [name, bytes, ort, why] of REFUSED) {
    it(name, async () => {
      expect(await ortLoadError(bytes), 'ORT 1.30 live refuses it when it loads it').toContain(ort);
      expectReadRefusalQuoting(bytes, why, ort, `replay: npx vitest run tests/explain/graph_input_types.test.ts -t '${name}'`);
    });
  }

  it('the Conv attribute alone: ORT refuses the model for it (the case above is refused for x2 first)', async () => {
    expect(await ortLoadError(edit(badConvAttribute))).toContain('type field and data field mismatch in attribute group.');
  });
});

describe('graph inputs ORT 1.30 takes: explain reads the model', () => {
  it.each<[string, Uint8Array]>([
    ['a float x2 no node reads', edit((m) => { withX2(m, tensor(FLOAT)); })],
    ['a sequence x2', edit((m) => { withX2(m, { sequenceType: { elemType: tensor(FLOAT) } }); })],
    ['an initializer input without a type', edit((m) => { m.graph!.input!.push(input('x_scale')); })],
  ])('%s', async (_, bytes) => {
    expect(await ortLoadError(bytes), 'ORT 1.30 live loads it').toBeNull();
    expect(readOnnxModel('m.onnx', bytes).steps.map((s) => s.kind)).toEqual(['conv2d']);
  });
});
