/**
 * A Constant node is ONNX Runtime 1.30's initializer whatever its domain (conformance/explain/onnx_constant_nodes.ts),
 * checked against onnxruntime-node 1.30 run live on each model: the base QDQ conv (tests/support/explain_qdq_model.ts)
 * whose x scale (0.05 in the base) comes from a Constant node `cs`.
 *   - ORT runs a Constant of foo.bar (imported or not), com.microsoft, com.microsoft.nchwc, ai.onnx.ml, ai.onnx.training
 *     and com.ms.internal.nhwc, its value given by its FIRST attribute of any name (value_float, value_floats, a tensor
 *     attribute named bogus; value_float before value gives value_float): its integers are those of the model whose
 *     x_scale initializer is that value. explain reads the same scale and analyses the conv (before: a foo.bar Constant
 *     was refused, "No opset import for domain 'foo.bar'", a com.microsoft one and a value_float one left the scale "not a
 *     constant of the graph", and value_float before value was read as value's scale, silently);
 *   - a Constant writing the initializer x_scale's name, or two Constants writing one name: the last value counts
 *     (before: "Duplicate definition of name"); a Constant's input is read by nothing;
 *   - ORT refuses a Constant without attributes, one whose first attribute has no value type (or a GRAPH), one without
 *     an output: explain refuses it, quoting ORT, before the graph's other checks (a cycle).
 * Replay one case: npx vitest run tests/explain/constant_nodes.test.ts -t '<case name>'
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import type { F32Tensor } from '../../contract/tensor.js';
import { type QdqParts, ortQdqIntegers, qdqModel, qdqParts } from '../support/explain_qdq_model.js';
import { expectReadRefusalQuoting, ortLoadError } from '../support/ort_load_verdicts.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;
type Attribute = onnxProto.onnx.IAttributeProto;

/** an input on which x scales 0.05, 0.07 and 0.03 give three different sets of integers */
const X: F32Tensor = { dtype: 'float32', shape: [1, 3, 8, 8], data: Float32Array.from({ length: 192 }, (_, i) => Math.fround(Math.sin(i * 1.7) * 1.3)) };

const tensorAttr = (name: string, v: number): Attribute => ({ name, type: AT.TENSOR, t: { dims: [], dataType: DT.FLOAT, floatData: [v] } });

/** The base model whose QuantizeLinear and DequantizeLinear of x read their scale from `reads`, with Constant `node` first, and `f`. */
function withConstant(node: onnxProto.onnx.INodeProto, opsets?: Array<[string, number]>, f?: (p: QdqParts) => void, reads = 'cs'): Uint8Array {
  const p = qdqParts();
  p.nodes[0]!.input = ['x', reads, 'x_zp'];
  p.nodes[1]!.input = ['xq', reads, 'x_zp'];
  p.nodes.unshift({ opType: 'Constant', input: [], output: ['cs'], ...node });
  f?.(p);
  const m = onnx.ModelProto.decode(qdqModel(p));
  if (opsets) m.opsetImport = opsets.map(([domain, version]) => onnx.OperatorSetIdProto.create({ domain, version }));
  return onnx.ModelProto.encode(m).finish();
}
/** The base model with initializer x_scale `v`. */
function withScale(v: number): Uint8Array {
  const p = qdqParts();
  p.inits.find((i) => i.name === 'x_scale')!.floatData = [v];
  return qdqModel(p);
}

/** [case, model, the x scale ORT runs it with] */
const RUNS: ReadonlyArray<readonly [string, Uint8Array, number]> = [
  ['an ai.onnx Constant', withConstant({ attribute: [tensorAttr('value', 0.07)] }), 0.07],
  ['a foo.bar Constant, foo.bar not imported', withConstant({ domain: 'foo.bar', attribute: [tensorAttr('value', 0.07)] }), 0.07],
  ['a foo.bar Constant, foo.bar imported', withConstant({ domain: 'foo.bar', attribute: [tensorAttr('value', 0.07)] }, [['', 13], ['foo.bar', 1]]), 0.07],
  ['a com.microsoft Constant', withConstant({ domain: 'com.microsoft', attribute: [tensorAttr('value', 0.07)] }), 0.07],
  ['a com.microsoft.nchwc Constant', withConstant({ domain: 'com.microsoft.nchwc', attribute: [tensorAttr('value', 0.07)] }), 0.07],
  ['an ai.onnx.ml Constant', withConstant({ domain: 'ai.onnx.ml', attribute: [tensorAttr('value', 0.07)] }), 0.07],
  ['an ai.onnx.training Constant', withConstant({ domain: 'ai.onnx.training', attribute: [tensorAttr('value', 0.07)] }), 0.07],
  ['a com.ms.internal.nhwc Constant', withConstant({ domain: 'com.ms.internal.nhwc', attribute: [tensorAttr('value', 0.07)] }), 0.07],
  ['a Constant of value_float', withConstant({ attribute: [{ name: 'value_float', type: AT.FLOAT, f: 0.07 }] }), 0.07],
  ['a foo.bar Constant of value_float', withConstant({ domain: 'foo.bar', attribute: [{ name: 'value_float', type: AT.FLOAT, f: 0.07 }] }), 0.07],
  ['a Constant of value_floats [0.07]', withConstant({ attribute: [{ name: 'value_floats', type: AT.FLOATS, floats: [0.07] }] }), 0.07],
  ['a Constant of a tensor attribute named bogus', withConstant({ attribute: [tensorAttr('bogus', 0.07)] }), 0.07],
  ['a Constant of value_float 0.07 before value 0.03: value_float', withConstant({ attribute: [{ name: 'value_float', type: AT.FLOAT, f: 0.07 }, tensorAttr('value', 0.03)] }), 0.07],
  ['a Constant of value 0.07 and a malformed second attribute', withConstant({ attribute: [tensorAttr('value', 0.07), { name: '', i: 1 }] }), 0.07],
  ['a Constant with an input', withConstant({ input: ['x'], attribute: [tensorAttr('value', 0.07)] }), 0.07],
  ['a Constant writing the initializer x_scale: the Constant', withConstant({ output: ['x_scale'], attribute: [tensorAttr('value', 0.07)] }, undefined, undefined, 'x_scale'), 0.07],
  ['a foo.bar Constant writing the initializer x_scale: the Constant', withConstant({ domain: 'foo.bar', output: ['x_scale'], attribute: [tensorAttr('value', 0.07)] }, undefined, undefined, 'x_scale'), 0.07],
  ['two Constants writing cs, 0.03 then 0.07: the last', withConstant({ attribute: [tensorAttr('value', 0.07)] }, undefined, (p) => { p.nodes.unshift({ opType: 'Constant', output: ['cs'], attribute: [tensorAttr('value', 0.03)] }); }), 0.07],
];

describe('a Constant node of any domain is an initializer, as ORT 1.30 runs it', () => {
  it('the input tells the scales apart (ORT on x_scale 0.05, 0.07, 0.03)', async () => {
    const [a, b, c] = [await ortQdqIntegers(withScale(0.05), X), await ortQdqIntegers(withScale(0.07), X), await ortQdqIntegers(withScale(0.03), X)];
    expect(a).not.toEqual(b);
    expect(c).not.toEqual(b);
  });

  for (const [name, bytes, scale] of RUNS) {
    it(name, async () => {
      expect(await ortQdqIntegers(bytes, X), `ORT runs it with x scale ${scale}`).toEqual(await ortQdqIntegers(withScale(scale), X));
      const model = readOnnxModel('m.onnx', bytes);
      expect(model.input?.scale).toBe(Math.fround(scale));
      expect(model.steps.map((s) => s.kind)).toEqual(['conv2d']);
    });
  }
});

/** [case, model, ORT 1.30's message (explain quotes it), explain's words] */
const REFUSED: ReadonlyArray<readonly [string, Uint8Array, string, string]> = [
  ['a Constant without attributes', withConstant({ name: 'c1', attribute: [] }), 'Constant node: c1 has no data attributes', 'Constant node c1 has no attribute, so no value'],
  ['a foo.bar Constant without attributes', withConstant({ domain: 'foo.bar', attribute: [] }), 'Constant node:  has no data attributes', 'Constant node Constant_0 (domain foo.bar) has no attribute, so no value'],
  ['a Constant whose first attribute has no type', withConstant({ name: 'c1', attribute: [{ name: 'value', t: { dims: [], dataType: DT.FLOAT, floatData: [0.07] } }] }), "Unsupported attribute value type of 0 in 'Constant' node 'c1'", 'Constant node c1: its first attribute, value, is of type 0, no Constant value'],
  ['a Constant of a GRAPH attribute', withConstant({ name: 'c1', attribute: [{ name: 'value', type: AT.GRAPH, g: { name: 'sub' } }] }), "Unsupported attribute value type of 5 in 'Constant' node 'c1'", 'Constant node c1: its first attribute, value, is of type 5, no Constant value'],
  ['a Constant without an output', withConstant({ output: [], attribute: [tensorAttr('value', 0.07)] }), 'NodeProto for Constant should have 1 output. Got:0', 'Constant node Constant_0 has 0 outputs, where a Constant has one'],
  ['a Constant without attributes in a cyclic graph: the Constant', withConstant({ attribute: [] }, undefined, (p) => { p.nodes[2]!.input = ['yq', 'cs', 'x_zp']; }), 'Constant node:  has no data attributes', 'Constant node Constant_0 has no attribute, so no value'],
];

describe('the Constant nodes ORT 1.30 refuses, explain refuses quoting ORT', () => {
  for (const [name, bytes, ort, words] of REFUSED) {
    it(name, async () => {
      expect(await ortLoadError(bytes)).toContain(ort);
      expectReadRefusalQuoting(bytes, words, ort, 'explain refuses it');
    });
  }
});
