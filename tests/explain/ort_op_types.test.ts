/**
 * `qconform explain` refuses a model with a node of an op type ONNX Runtime 1.30 has not, in a domain it has kernels in,
 * at the node's opset (conformance/explain/ort_op_types.ts), as ORT refuses it, quoting it; a node of an op type ORT runs
 * but explain does not model stays "not modelled". Checked against onnxruntime-node 1.30 run live:
 *   - the measured catalog (conformance/explain/ort_op_catalog.ts, written by scripts/explain/ort_op_types.ts): every op
 *     type's verdict re-measured at each opset where it changes and just before, and the refusal of an unknown op type;
 *   - models: the QDQ conv of tests/support/explain_qdq_model.ts followed by such a node (a com.microsoft Relu, an
 *     ai.onnx NoSuchOp, a Gelu at opset 19, an Upsample at 13, ...): ORT refuses each when it loads it, and explain
 *     refuses it with ORT's message. Before, explain listed each as not modelled (exit 0). ORT checks nodes in graph
 *     order, and looks for kernels (Relu before opset 6 has none) only after every node passed.
 * Replay one case: npx vitest run tests/explain/ort_op_types.test.ts -t '<case name>'
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { ORT_OP_TYPES, ORT_UNKNOWN_OP_TYPE } from '../../conformance/explain/ort_op_catalog.js';
import { OrtRefusedModelError } from '../../conformance/explain/ort_refused_model.js';
import { FLOAT, UNKNOWN_OP, VERSIONS, loadError, model, measuredRefusal, verdict } from '../../conformance/explain/ort_op_measure.js';
import { captureConsole } from '../support/console_capture.js';
import { explainError, explainFiles } from '../support/explain_files.js';
import { type QdqExtras, qdqModelWith, qdqParts } from '../support/explain_qdq_model.js';
import { installedOrt } from '../support/installed_ort.js';

const { onnx } = onnxProto;
const printed = captureConsole();
const { file } = explainFiles('qconform-ort-op-types-');

describe('the op type catalog is what onnxruntime-node 1.30 measures', () => {
  it.each(Object.keys(VERSIONS))('domain "%s": each op type where its verdict changes and just before', async (domain) => {
    const o = await installedOrt();
    const [lo, hi] = VERSIONS[domain]!;
    const wrong: string[] = [];
    for (const [op, ranges] of Object.entries(ORT_OP_TYPES[domain]!)) {
      const versions = new Set(ranges.flatMap(([from]) => [from - 1, from]).filter((v) => v >= lo && v <= hi));
      for (const v of versions) {
        const expected = ranges.reduce<string | null>((r, [from, refusal]) => (v >= from ? refusal : r), ranges[0]![1]);
        const live = await verdict(o, domain, op, v);
        if (live !== expected) wrong.push(`${op} at ${v}: catalog ${expected}, ORT ${live}`);
      }
    }
    expect(wrong, 'rerun npx tsx scripts/explain/ort_op_types.ts --write and review the diff').toEqual([]);
  }, 120_000);

  it.each(Object.keys(VERSIONS))('domain "%s": an unknown op type, at its first and last opset', async (domain) => {
    const o = await installedOrt();
    for (const v of VERSIONS[domain]!) {
      const live = measuredRefusal(await loadError(o, model(domain, UNKNOWN_OP, v, 1, FLOAT)), v);
      expect(live?.replaceAll(UNKNOWN_OP, '{op}'), `${UNKNOWN_OP} at ${v}`).toBe(ORT_UNKNOWN_OP_TYPE[domain]);
    }
  });
});

const node = (opType: string, domain: string, input: string[], name: string): onnxProto.onnx.INodeProto => ({ opType, domain, input, output: ['y'], name });
const relu = (domain: string, name = 'relu') => node('Relu', domain, ['y0'], name);
const scales = { name: 'scales', dims: [4], dataType: onnx.TensorProto.DataType.FLOAT, floatData: [1, 1, 2, 2] };
/** a call of the model's function `domain` MyRelu (a Relu) */
const myRelu = (domain: string): QdqExtras => ({
  after: [node('MyRelu', domain, ['y0'], 'f')],
  opsets: [['', 13], ...(domain ? [[domain, 1] as const] : [])],
  functions: [{ domain, name: 'MyRelu', input: ['a'], output: ['c'], node: [{ opType: 'Relu', input: ['a'], output: ['c'] }], opsetImport: [{ domain: '', version: 13 }] }],
});

/**
 * QuantizeLinear -> QLinearConv -> DequantizeLinear of com.microsoft (ORT has them at its opset 1) at ai.onnx opset
 * `opset`, then `after` (reading y0; more initializers `inits`).
 */
function msConvThen(opset: number, after: onnxProto.onnx.INodeProto[], inits: onnxProto.onnx.ITensorProto[] = []): Uint8Array {
  const parts = qdqParts();
  const conv = parts.nodes.find((n) => n.opType === 'Conv')!;
  parts.nodes = [
    { opType: 'QuantizeLinear', domain: 'com.microsoft', input: ['x', 'x_scale', 'x_zp'], output: ['xq'] },
    { opType: 'QLinearConv', domain: 'com.microsoft', name: 'qconv', input: ['xq', 'x_scale', 'x_zp', 'wq', 'w_scale', 'w_zp', 'y_scale', 'y_zp'], output: ['yq'], attribute: conv.attribute! },
    { opType: 'DequantizeLinear', domain: 'com.microsoft', input: ['yq', 'y_scale', 'y_zp'], output: ['y0'] },
    ...after,
  ];
  const m = onnx.ModelProto.decode(qdqModelWith({ opsets: [['', opset], ['com.microsoft', 1]], inits }));
  m.graph!.node = parts.nodes.map((n) => onnx.NodeProto.create(n));
  return onnx.ModelProto.encode(m).finish();
}

/** [case, model, ORT 1.30's message (explain quotes it), explain's words for the node] */
const REFUSED: ReadonlyArray<readonly [string, () => Uint8Array, string, string]> = [
  ['a com.microsoft Relu', () => qdqModelWith({ after: [relu('com.microsoft')], opsets: [['', 13], ['com.microsoft', 1]] }), 'com.microsoft:Relu(-1) is not a registered function/op', 'Relu node relu: Relu is no op of com.microsoft opset 1 that ONNX Runtime 1.30 has'],
  ['a com.microsoft Relu, com.microsoft not imported', () => qdqModelWith({ after: [relu('com.microsoft')] }), 'com.microsoft:Relu(-1) is not a registered function/op', 'Relu node relu: Relu is no op of com.microsoft opset 1 that ONNX Runtime 1.30 has'],
  ['an ai.onnx NoSuchOp', () => qdqModelWith({ after: [node('NoSuchOp', '', ['y0'], 'nso')] }), 'No Op registered for NoSuchOp with domain_version of 13', 'NoSuchOp node nso: NoSuchOp is no op of ai.onnx opset 13 that ONNX Runtime 1.30 has'],
  ['an unnamed NoSuchOp of domain "ai.onnx"', () => qdqModelWith({ after: [node('NoSuchOp', 'ai.onnx', ['y0'], '')] }), 'No Op registered for NoSuchOp with domain_version of 13', 'NoSuchOp node NoSuchOp_6: NoSuchOp is no op of ai.onnx opset 13 that ONNX Runtime 1.30 has'],
  ['a Gelu at opset 19 (ONNX has it from 20)', () => qdqModelWith({ after: [node('Gelu', '', ['y0'], 'gelu')], opsets: [['', 19]] }), 'No Op registered for Gelu with domain_version of 19', 'Gelu node gelu: Gelu is no op of ai.onnx opset 19 that ONNX Runtime 1.30 has'],
  ['an Upsample at opset 13 (deprecated from 10)', () => qdqModelWith({ after: [node('Upsample', '', ['y0', 'scales'], 'up')], inits: [scales] }), 'Op registered for Upsample is deprecated in domain_version of 13', 'Upsample node up: Upsample is deprecated at ai.onnx opset 13'],
  ['an ai.onnx.ml NoSuchOp', () => qdqModelWith({ after: [node('NoSuchOp', 'ai.onnx.ml', ['y0'], 'nso')], opsets: [['', 13], ['ai.onnx.ml', 3]] }), 'No Op registered for NoSuchOp with domain_version of 3', 'NoSuchOp node nso: NoSuchOp is no op of ai.onnx.ml opset 3 that ONNX Runtime 1.30 has'],
  ['a com.microsoft.nchwc Relu', () => qdqModelWith({ after: [relu('com.microsoft.nchwc')], opsets: [['', 13], ['com.microsoft.nchwc', 1]] }), 'com.microsoft.nchwc:Relu(-1) is not a registered function/op', 'Relu node relu: Relu is no op of com.microsoft.nchwc opset 1 that ONNX Runtime 1.30 has'],
  ['a call of the model\'s ai.onnx function MyRelu (ORT\'s graph check wants a schema)', () => qdqModelWith(myRelu('')), 'No Op registered for MyRelu with domain_version of 13', 'MyRelu node f: MyRelu is no op of ai.onnx opset 13 that ONNX Runtime 1.30 has'],
  ['a Relu at opset 5: no kernel (from opset 6)', () => msConvThen(5, [relu('')]), "Could not find an implementation for Relu(1) node with name 'relu'", 'Relu node relu: ONNX Runtime 1.30 has no kernel for Relu at ai.onnx opset 5 (its schema from there on has none, of any input type)'],
  ['a Relu at opset 5 before a com.microsoft Relu: the graph check\'s refusal comes first', () => msConvThen(5, [{ ...relu('', 'relu5'), output: ['r'] }, { ...relu('com.microsoft'), input: ['r'] }]), 'com.microsoft:Relu(-1) is not a registered function/op', 'Relu node relu: Relu is no op of com.microsoft opset 1 that ONNX Runtime 1.30 has'],
  ['a com.microsoft Relu before a NoSuchOp: the first in graph order', () => qdqModelWith({ after: [{ ...relu('com.microsoft'), output: ['r'] }, node('NoSuchOp', '', ['r'], 'nso')] }), 'com.microsoft:Relu(-1) is not a registered function/op', 'Relu node relu: Relu is no op of com.microsoft opset 1 that ONNX Runtime 1.30 has'],
  ['a NoSuchOp before a com.microsoft Relu: the first in graph order', () => qdqModelWith({ after: [{ ...node('NoSuchOp', '', ['y0'], 'nso'), output: ['r'] }, { ...relu('com.microsoft'), input: ['r'] }] }), 'No Op registered for NoSuchOp with domain_version of 13', 'NoSuchOp node nso: NoSuchOp is no op of ai.onnx opset 13 that ONNX Runtime 1.30 has'],
];

describe('a node of an op type ORT 1.30 has not at its opset: ORT refuses the model, and so does explain, quoting ORT', () => {
  for (const [name, bytes, ortMessage, why] of REFUSED) {
    it(name, async () => {
      const b = bytes();
      expect(await loadError(await installedOrt(), b), 'ORT 1.30 live refuses it when it loads it').toContain(ortMessage);
      let e: unknown = null;
      try {
        readOnnxModel('m.onnx', b);
      } catch (thrown) {
        e = thrown;
      }
      expect(e, `replay: npx vitest run tests/explain/ort_op_types.test.ts -t '${name}'`).toBeInstanceOf(OrtRefusedModelError);
      expect((e as OrtRefusedModelError).ort).toBe(ortMessage);
      expect((e as Error).message).toBe(`m.onnx: ${why}; ONNX Runtime 1.30 refuses it when it loads the model: "${ortMessage}"`);
    });
  }

  it('through the CLI: exit 2, one line quoting ORT', () => {
    const path = file('ms_relu.onnx', REFUSED[0]![1]());
    expect(explainError(printed.err, path, {})).toBe(`error: ${path}: Relu node relu: Relu is no op of com.microsoft opset 1 that ONNX Runtime 1.30 has; ONNX Runtime 1.30 refuses it when it loads the model: "com.microsoft:Relu(-1) is not a registered function/op"`);
  });
});

/** [case, model, the node explain lists as not modelled: name, op type] */
const RUN: ReadonlyArray<readonly [string, () => Uint8Array, string, string]> = [
  ['a com.microsoft QuickGelu', () => qdqModelWith({ after: [node('QuickGelu', 'com.microsoft', ['y0'], 'qg')], opsets: [['', 13], ['com.microsoft', 1]] }), 'qg', 'com.microsoft QuickGelu'],
  ['a Gelu at opset 20', () => qdqModelWith({ after: [node('Gelu', '', ['y0'], 'gelu')], opsets: [['', 20]] }), 'gelu', 'Gelu'],
  ['an Upsample at opset 9 after com.microsoft layers', () => msConvThen(9, [node('Upsample', '', ['y0', 'scales'], 'up')], [scales]), 'up', 'Upsample'],
  ['a call of the model\'s com.microsoft function MyRelu', () => qdqModelWith(myRelu('com.microsoft')), 'f', 'com.microsoft MyRelu'],
  ['a Sigmoid at opset 6 after com.microsoft layers', () => msConvThen(6, [node('Sigmoid', '', ['y0'], 'sig')]), 'sig', 'Sigmoid'],
];

describe('a node of an op type ORT 1.30 runs but explain does not model: listed as not modelled', () => {
  for (const [name, bytes, nodeName, opType] of RUN) {
    it(name, async () => {
      const b = bytes();
      const o = await installedOrt();
      const session = await o.InferenceSession.create(b);
      await session.run({ x: new o.Tensor('float32', new Float32Array(192).fill(0.3), [1, 3, 8, 8]) });
      await session.release();
      const steps = readOnnxModel('m.onnx', b).steps;
      expect(steps.map((s) => s.kind), `replay: npx vitest run tests/explain/ort_op_types.test.ts -t '${name}'`).toEqual(['conv2d', 'not_modelled']);
      expect(steps[1]).toMatchObject({ name: nodeName, opType });
    });
  }
});
