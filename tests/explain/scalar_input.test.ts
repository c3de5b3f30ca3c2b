/**
 * A graph input declared of rank 0, a scalar (conformance/explain/onnx_scalar_input.ts), checked live against
 * onnxruntime-node 1.30 on each model:
 *   - where an op that takes no scalar reads it (through QuantizeLinear, DequantizeLinear, Identity, Cast, Relu, which
 *     keep the rank), ORT's shape inference refuses the model when it loads it: explain refuses it, quoting ORT;
 *   - where a Reshape to [1, 1] or [1, -1], a Flatten of axis 0 or an Unsqueeze makes it a matrix first, ORT loads the
 *     model and runs it on a scalar x: explain analyses the model, taking no input for it (the MatMul on its own
 *     generated data; an --input is refused, exit 2). Before, explain refused every model with a rank-0 graph input,
 *     saying ORT refuses it.
 * Replay one case: npx vitest run tests/explain/scalar_input.test.ts -t '<case name>'
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import { explainCommand } from '../../conformance/explain/explain_command.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { generatedInput } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { OrtRefusedModelError } from '../../conformance/explain/ort_refused_model.js';
import { captureConsole } from '../support/console_capture.js';
import { explainError, explainFiles } from '../support/explain_files.js';
import { qlinearConvCase } from '../support/explain_integer_model.js';
import { type QdqParts, qdqModel, qdqParts } from '../support/explain_qdq_model.js';
import { explainReadError } from '../support/ort_load_verdicts.js';
import { installedOrt } from '../support/installed_ort.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const AT = onnx.AttributeProto.AttributeType;
const printed = captureConsole();
const { file, jsonInput } = explainFiles('qconform-scalar-input-');

/** `bytes` with its graph input declared of rank 0 (a shape of no dims). */
function scalar(bytes: Uint8Array): Uint8Array {
  const m = onnx.ModelProto.decode(bytes);
  m.graph!.input![0]!.type!.tensorType!.shape = onnx.TensorShapeProto.create({ dim: [] });
  return onnx.ModelProto.encode(m).finish();
}

/** The base QDQ model edited by `f`, its input x a scalar. */
function edit(f: (p: QdqParts) => void): Uint8Array {
  const p = qdqParts();
  f(p);
  return scalar(qdqModel(p));
}

/** A QDQ MatMul [1, 1] x [1, 4] (node mm) in place of the conv. */
const matmul = (p: QdqParts) => {
  p.inits[0] = { name: 'wq', dims: [1, 4], dataType: DT.INT8, int32Data: [-12, -3, 6, 15] };
  p.nodes[3] = { opType: 'MatMul', input: ['xf', 'wf'], output: ['yf'], name: 'mm' };
};

/**
 * `nodes` chained between the DequantizeLinear of x (xf) and the layer, or (`at` 'x') between x and its QuantizeLinear
 * (the QDQ layer then keeps its pattern); unnamed: ORT names them "Node ()".
 */
const before = (p: QdqParts, nodes: onnxProto.onnx.INodeProto[], at: 'xf' | 'x' = 'xf') => {
  const next = p.nodes[at === 'xf' ? 3 : 0]!;
  p.nodes.splice(at === 'xf' ? 3 : 0, 0, ...nodes);
  next.input = [nodes[nodes.length - 1]!.output![0]!, ...next.input!.slice(1)];
};
const shape = (p: QdqParts, values: number[], at = 'xf') => {
  p.inits.push({ name: 'shape', dims: [values.length], dataType: DT.INT64, int64Data: values });
  return { opType: 'Reshape', input: [at, 'shape'], output: ['rs'] };
};
const flatten = (axis?: number, at = 'xf') => ({ opType: 'Flatten', input: [at], output: ['fl'], attribute: axis === undefined ? [] : [{ name: 'axis', type: AT.INT, i: axis }] });

/** The one-QLinearConv model (uint8 x), its node named qc in `domain`. */
function qlinearConv(domain: string): Uint8Array {
  const m = onnx.ModelProto.decode(qlinearConvCase('quint8', 'scalar').bytes);
  Object.assign(m.graph!.node![0]!, { domain, name: 'qc' });
  return scalar(onnx.ModelProto.encode(m).finish());
}

/** QLinearMatMul (node qmm) of a uint8 a [1, 1] and an int8 b [1, 4]. */
function qlinearMatMul(): Uint8Array {
  const f32 = (name: string, v: number) => ({ name, dataType: DT.FLOAT, floatData: [v] });
  const model = {
    irVersion: 8,
    opsetImport: [{ domain: '', version: 13 }],
    graph: {
      name: 'g',
      node: [{ opType: 'QLinearMatMul', name: 'qmm', input: ['a', 'as', 'az', 'b', 'bs', 'bz', 'ys', 'yz'], output: ['y'] }],
      initializer: [f32('as', 0.1), { name: 'az', dataType: DT.UINT8, int32Data: [128] }, { name: 'b', dims: [1, 4], dataType: DT.INT8, int32Data: [1, 2, 3, 4] }, f32('bs', 0.1), { name: 'bz', dataType: DT.INT8, int32Data: [0] }, f32('ys', 0.1), { name: 'yz', dataType: DT.UINT8, int32Data: [128] }],
      input: [{ name: 'a', type: { tensorType: { elemType: DT.UINT8, shape: { dim: [{ dimValue: 1 }, { dimValue: 1 }] } } } }],
      output: [{ name: 'y', type: { tensorType: { elemType: DT.UINT8 } } }],
    },
  };
  return scalar(onnx.ModelProto.encode(onnx.ModelProto.fromObject(model)).finish());
}

/** ORT 1.30 on `bytes`: its load error, else its run error on a scalar (float 0.7, or uint8 3), else its output y. */
async function ortOnScalar(bytes: Uint8Array): Promise<{ error: string } | { y: { dims: readonly number[]; data: number[] } }> {
  const ort = await installedOrt();
  const m = onnx.ModelProto.decode(bytes);
  const x = m.graph!.input![0]!;
  const feed = x.type!.tensorType!.elemType === DT.UINT8 ? new ort.Tensor('uint8', new Uint8Array([3]), []) : new ort.Tensor('float32', new Float32Array([0.7]), []);
  let session;
  try {
    session = await ort.InferenceSession.create(bytes);
  } catch (e) {
    return { error: `load: ${(e as Error).message}` };
  }
  try {
    const out = await session.run({ [x.name!]: feed });
    const y = out[m.graph!.output![0]!.name!]!;
    return { y: { dims: y.dims, data: Array.from(y.data as Float32Array) } };
  } catch (e) {
    return { error: `run: ${(e as Error).message}` };
  } finally {
    await session.release();
  }
}

const SHAPE_ERROR = '[ShapeInferenceError]';
const RANK3 = 'Input tensor must have at least 3 dimensions';
const RANK0 = 'Input tensors of wrong rank (0).';

/** [case, model, ORT's message (explain quotes it)] */
const REFUSED: ReadonlyArray<readonly [string, () => Uint8Array, string]> = [
  ['a QDQ Conv', () => edit(() => {}), `Node (qconv) Op (Conv) ${SHAPE_ERROR} ${RANK3}`],
  ['a QLinearConv', () => qlinearConv(''), `Node (qc) Op (QLinearConv) ${SHAPE_ERROR} ${RANK3}`],
  ['a com.microsoft QLinearConv (channels_last 0)', () => qlinearConv('com.microsoft'), `Node (qc) Op (QLinearConv) ${SHAPE_ERROR} ${RANK3}`],
  ['a QDQ MatMul', () => edit(matmul), `Node (mm) Op (MatMul) ${SHAPE_ERROR} ${RANK0}`],
  ['a QLinearMatMul', qlinearMatMul, `Node (qmm) Op (QLinearMatMul) ${SHAPE_ERROR} ${RANK0}`],
  ['a QDQ Gemm', () => edit((p) => { matmul(p); Object.assign(p.nodes[3]!, { opType: 'Gemm', name: 'gm' }); }), `Node (gm) Op (Gemm) ${SHAPE_ERROR} Input 0 expected to have rank 2 but has rank 0`],
  ['a Relu, then a QDQ Conv', () => edit((p) => before(p, [{ opType: 'Relu', input: ['xf'], output: ['r'] }])), `Node (qconv) Op (Conv) ${SHAPE_ERROR} ${RANK3}`],
  ['an Identity and a Cast to float, then a QDQ Conv', () => edit((p) => before(p, [{ opType: 'Identity', input: ['xf'], output: ['i'] }, { opType: 'Cast', input: ['i'], output: ['c'], attribute: [{ name: 'to', type: AT.INT, i: DT.FLOAT }] }])), `Node (qconv) Op (Conv) ${SHAPE_ERROR} ${RANK3}`],
  ['a MaxPool before the conv', () => edit((p) => before(p, [{ opType: 'MaxPool', input: ['xf'], output: ['mp'], attribute: [{ name: 'kernel_shape', type: AT.INTS, ints: [1, 1] }] }])), `Node () Op (MaxPool) ${SHAPE_ERROR} ${RANK3}`],
  ['a Flatten (axis 1) before a QDQ MatMul', () => edit((p) => { matmul(p); before(p, [flatten()]); }), `Node () Op (Flatten) ${SHAPE_ERROR} Invalid value(1) for attribute 'axis'`],
  ['a Flatten of axis -1 before a QDQ MatMul', () => edit((p) => { matmul(p); before(p, [flatten(-1)]); }), `Node () Op (Flatten) ${SHAPE_ERROR} Invalid value(-1) for attribute 'axis'`],
  ['a Reshape to [0, -1] before a QDQ MatMul', () => edit((p) => { matmul(p); before(p, [shape(p, [0, -1])]); }), `Node () Op (Reshape) ${SHAPE_ERROR} Invalid position of 0`],
  ['a Reshape to [2, -1] before a QDQ MatMul', () => edit((p) => { matmul(p); before(p, [shape(p, [2, -1])]); }), `Node () Op (Reshape) ${SHAPE_ERROR} Dimension could not be inferred: incompatible shapes`],
];

describe('a rank-0 graph input that an op taking no scalar reads: ORT 1.30 refuses the model, and so does explain', () => {
  for (const [name, model, ort] of REFUSED) {
    it(name, async () => {
      const bytes = model();
      const live = await ortOnScalar(bytes);
      expect(live, 'ORT 1.30 live refuses it when it loads it').toEqual({ error: expect.stringContaining(`load: ${ort}`) });
      const e = explainReadError(bytes);
      expect(e, 'explain refuses it').toBeInstanceOf(OrtRefusedModelError);
      expect((e as OrtRefusedModelError).ort).toBe(ort);
      expect((e as Error).message).toMatch(/^m\.onnx: the graph input (x|a) declares shape \[\] \(rank 0\), a scalar, which \w+ node \w+ reads \(through ops that keep the rank\) and takes none; ONNX Runtime 1\.30 refuses it when it loads the model: "/);
    });
  }
});

const TAKEN_REASON = "the graph input x declares shape [] (rank 0), a scalar: explain's chain carries [N, C, H, W] or [N, F] data (ONNX Runtime 1.30 runs the model: no op that takes no scalar reads it)";

/** [case, model] */
const TAKEN: ReadonlyArray<readonly [string, () => Uint8Array]> = [
  ['a Reshape to [1, 1] before a QDQ MatMul', () => edit((p) => { matmul(p); before(p, [shape(p, [1, 1], 'x')], 'x'); })],
  ['Q -> DQ -> a Reshape to [1, 1] -> a QDQ MatMul', () => edit((p) => { matmul(p); before(p, [shape(p, [1, 1]), { opType: 'QuantizeLinear', input: ['rs', 'x_scale', 'x_zp'], output: ['rq'] }, { opType: 'DequantizeLinear', input: ['rq', 'x_scale', 'x_zp'], output: ['rf'] }]); })],
  ['a Reshape to [1, -1] before a QDQ MatMul', () => edit((p) => { matmul(p); before(p, [shape(p, [1, -1], 'x')], 'x'); })],
  ['a Flatten of axis 0 before a QDQ MatMul', () => edit((p) => { matmul(p); before(p, [flatten(0, 'x')], 'x'); })],
  ['an Unsqueeze to [1, 1] before a QDQ MatMul', () => edit((p) => { matmul(p); p.inits.push({ name: 'axes', dims: [2], dataType: DT.INT64, int64Data: [0, 1] }); before(p, [{ opType: 'Unsqueeze', input: ['x', 'axes'], output: ['u'] }], 'x'); })],
];

describe('a rank-0 graph input made a matrix first: ORT 1.30 runs the model, explain analyses it on generated data', () => {
  for (const [name, model] of TAKEN) {
    it(name, async () => {
      const bytes = model();
      expect(await ortOnScalar(bytes), 'ORT 1.30 live runs it on a scalar x').toEqual({ y: { dims: [1, 4], data: expect.any(Array) } });
      const m = readOnnxModel('m.onnx', bytes);
      expect(m.input).toBeNull();
      expect(m.rawInput).toEqual({ kind: 'unused', reason: TAKEN_REASON });
      expect(m.inputShape).toBeNull();
      const r = explainModel(m, generatedInput([1, 1], 'scalar'), { seed: 'scalar' });
      expect(r.input.shape, 'no input ran').toBeNull();
      const mm = r.steps.find((s) => s.name === 'mm') as ConvLayerReport;
      expect(mm).toMatchObject({ kind: 'conv2d', inputOrigin: 'generated', geometry: { linear: true, weightShape: [4, 1] } });
    });
  }

  it('through the CLI: exit 0 on generated data; an --input of the scalar is refused (exit 2), naming why', () => {
    const path = file('reshape.onnx', TAKEN[0]![1]());
    expect(explainCommand(path, { seed: '1' })).toBe(0);
    expect(printed.err).toEqual([]);
    printed.out.length = 0;
    const message = explainError(printed.err, path, { input: jsonInput('x.json', [1, 1], [0.7]) });
    expect(message).toContain(`the model does not take this input: ${TAKEN_REASON}`);
  });
});
