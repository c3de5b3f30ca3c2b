/**
 * `qconform explain` on integer graph inputs, checked against onnxruntime-node 1.30 run live on the same model:
 *   - a MaxPool window with no in-bounds input (dilation 2) gives the type's lowest value, as ORT's MaxPool does
 *     (explain stored -Infinity into integers: 0);
 *   - data of another rank than the MaxPool takes, or an integer .npy of another type than the graph input, is
 *     refused with one error line (exit 2), as ORT refuses it (explain ran on the data);
 *   - an int8 graph input into a DequantizeLinear without a zero point is read as int8 (ONNX: the zero point
 *     defaults to 0 of x's type), as ORT runs it (explain refused it as a uint8 layer input);
 *   - a QDQ Conv whose x is int8 and whose output is uint8 is listed as not modelled: ORT does not fuse such a group
 *     into QLinearConv (qdq_selectors.cc) but runs the Conv in float (explain ran it as one int8 integer conv, whose
 *     outputs lay in int8's range where ORT's are uint8).
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import type { QuantDtype } from '../../contract/dtypes.js';
import type { IntTensor } from '../../contract/tensor.js';
import { oneNodeModel } from '../../conformance/backends/onnxruntime/one_node_model.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { explainCommand } from '../../conformance/explain/explain_command.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { captureConsole } from '../support/console_capture.js';
import { explainError as explainErrorOf, explainFiles } from '../support/explain_files.js';
import { qdqModel, qdqParts } from '../support/explain_qdq_model.js';
import { X_SHAPE, ints, opsBefore, ortRun, qlinearConvCase } from '../support/explain_integer_model.js';
import { installedOrt } from '../support/installed_ort.js';

const DT = onnxProto.onnx.TensorProto.DataType;
const printed = captureConsole();
const { file, jsonInput, npy } = explainFiles('qconform-ort-input-forms-');
const explainError = (model: string, input: string) => explainErrorOf(printed.err, model, { input });

/** The rejection onnxruntime-node 1.30 gives for `data` of `type` and `shape` fed as `input`. */
async function ortRefusal(bytes: Uint8Array, input: string, type: 'uint8' | 'int8', data: ArrayLike<number>, shape: readonly number[]): Promise<string> {
  const ort = await installedOrt();
  const session = await ort.InferenceSession.create(bytes);
  const tensor = new ort.Tensor(type, type === 'uint8' ? Uint8Array.from(data) : Int8Array.from(data), [...shape]);
  return session.run({ [input]: tensor }).then(
    () => 'ran',
    (e: Error) => e.message,
  );
}

/** A QLinearMatMul [rows, features] x [features, oc] on a `dtype` graph input a (zero points 0), b given. */
function matmul(dtype: QuantDtype, rows: number, features: number, b: number[], yScale: number): Uint8Array {
  const elem = dtype === 'quint8' ? 'uint8' : 'int8';
  const oc = b.length / features;
  return oneNodeModel({
    opType: 'QLinearMatMul',
    domain: '',
    opset: 13,
    inputs: [
      ['a', { elem, dims: [rows, features], values: new Array(rows * features).fill(0) }],
      ['a_scale', { elem: 'float32', dims: [], values: [0.02] }],
      ['a_zero_point', { elem, dims: [], values: [0] }],
      ['b', { elem: 'int8', dims: [features, oc], values: b }],
      ['b_scale', { elem: 'float32', dims: [], values: [1] }],
      ['b_zero_point', { elem: 'int8', dims: [], values: [0] }],
      ['y_scale', { elem: 'float32', dims: [], values: [yScale] }],
      ['y_zero_point', { elem, dims: [], values: [0] }],
    ],
    graphInputs: ['a'],
    output: { name: 'y', elem },
  });
}

describe('explain on integer graph inputs, as onnxruntime-node 1.30 runs them', () => {
  it('a MaxPool window with no in-bounds input gives int8 -128 (dilation 2, pads 1 on a 1x3 image), as ORT does', async () => {
    const dims = [1, 1, 1, 3];
    // rows -1 and 1 of a 1-row image: every window is outside it
    const pool = { opType: 'MaxPool', name: 'pool', attribute: [ints('kernel_shape', [2, 2]), ints('dilations', [2, 2]), ints('pads', [1, 1, 1, 1])] };
    const bytes = opsBefore(matmul('qint8', 1, 3, [1, 1, 1], 0.1), 'a', [pool, { opType: 'Flatten', name: 'flat' }], dims, DT.INT8);
    const x = [-5, -7, -9];
    const outputs = new Map<string, IntTensor>();
    explainModel(readOnnxModel('mem.onnx', bytes), readInputTensor(jsonInput('empty_window.json', dims, x)), { seed: '1', outputs });
    const y = Array.from(await ortRun(bytes, 'qint8', x, dims, 'a'));
    // 3 windows of -128: 3 * -128 * 0.02 / 0.1 = -76.8
    expect(y).toEqual([-77]);
    expect(Array.from(outputs.get('QLinearMatMul_2')!.data), "explain's layer output vs onnxruntime-node").toEqual(y);
  }, 60_000);

  it('data of rank 2 for a graph input that a MaxPool reads as NCHW is refused, as ORT refuses it', async () => {
    const dims = [2, 3, 4, 4];
    const rng = new CaseRandom('explain-maxpool-rank');
    const b = Array.from({ length: 12 * 5 }, () => rng.int(-20, 20));
    const bytes = opsBefore(matmul('quint8', 2, 12, b, 0.05), 'a', [{ opType: 'MaxPool', name: 'pool', attribute: [ints('kernel_shape', [2, 2]), ints('strides', [2, 2])] }, { opType: 'Flatten', name: 'flat' }], dims);
    const data = Array.from({ length: 24 }, () => rng.int(0, 255));
    expect(await ortRefusal(bytes, 'a', 'uint8', data, [2, 12])).toMatch(/Invalid rank for input: a Got: 2 Expected: 4/);
    const model = file('pool_rank.onnx', bytes);
    expect(explainError(model, jsonInput('rank2.json', [2, 12], data))).toBe(`error: ${model}: MaxPool pool: its input is [2, 12], of rank 2: a 2-d MaxPool takes NCHW data of rank 4`);
  }, 60_000);

  it.each<[QuantDtype, string, 'uint8' | 'int8']>([
    ['quint8', '|i1', 'int8'],
    ['qint8', '|u1', 'uint8'],
  ])('a %s graph input given a %s .npy is refused, as ORT refuses the type', async (dtype, descr, given) => {
    const { bytes, x } = qlinearConvCase(dtype, 'explain-int-input-npy-type');
    const type = dtype === 'quint8' ? 'uint8' : 'int8';
    const data = x.map((v) => Math.min(127, Math.max(0, v))); // in both types' range: only the type differs
    expect(await ortRefusal(bytes, 'x', given, data, X_SHAPE)).toMatch(new RegExp(`Unexpected input data type. Actual: \\(tensor\\(${given}\\)\\) , expected: \\(tensor\\(${type}\\)\\)`));
    const model = file(`npy_type_${dtype}.onnx`, bytes);
    const input = npy(`x_${given}.npy`, descr, X_SHAPE, Uint8Array.from(data));
    expect(explainError(model, input)).toBe(`error: ${input}: holds ${given} integers, but the graph input x is ${type}, read as it is by QLinearConv_0: pass ${type} data`);
  }, 60_000);

  it('QDQ: an int8 graph input into a DequantizeLinear without a zero point is read as int8; the outputs are what ORT runs', async () => {
    const parts = qdqParts();
    parts.nodes = parts.nodes.filter((n) => n.opType !== 'QuantizeLinear' || n.input![0] !== 'x');
    parts.nodes[0]!.input = ['x', 'x_scale'];
    parts.inputType = DT.INT8;
    // an int8 output too (x and y of one type, what ORT fuses into its int8 QLinearConv)
    parts.inits = parts.inits.map((t) => (t.name === 'y_zp' ? { name: 'y_zp', dims: [], dataType: DT.INT8, int32Data: [-10] } : t));
    const bytes = qdqModel(parts);
    const shape = [1, 3, 8, 8];
    const rng = new CaseRandom('explain-dq-no-zp');
    const x = Array.from({ length: 192 }, () => rng.int(-128, 127));
    const model = file('dq_no_zp.onnx', bytes);
    const path = jsonInput('dq_no_zp.json', shape, x);
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readOnnxModel(model), readInputTensor(path), { seed: '1', outputs });
    expect((r.steps[0] as ConvLayerReport).stored.x).toEqual({ scale: Math.fround(0.05), zeroPoint: 0, dtype: 'qint8' });
    const y = await ortRun(bytes, 'qint8', x, shape);
    // the model's output is the conv's, dequantized: (q + 10) * 0.1 in float32, exactly invertible for |q - zp| <= 255
    const q = Array.from(y, (v) => Math.round(v / Math.fround(0.1)) - 10);
    expect(Array.from(outputs.get('qconv')!.data)).toEqual(q);
    expect(new Set(q).size).toBeGreaterThan(10);
    expect(explainCommand(model, { seed: '1', input: path })).toBe(0);
    expect(printed.err).toEqual([]);
  }, 60_000);

  it('QDQ: x int8 and output uint8 is not one integer conv (ORT runs it in float); explain lists it as not modelled', async () => {
    const parts = qdqParts();
    parts.nodes = parts.nodes.filter((n) => n.opType !== 'QuantizeLinear' || n.input![0] !== 'x');
    parts.nodes[0]!.input = ['x', 'x_scale'];
    parts.inputType = DT.INT8; // y_zp stays uint8 (100)
    const bytes = qdqModel(parts);
    const shape = [1, 3, 8, 8];
    const rng = new CaseRandom('explain-dq-mixed-types');
    const x = Array.from({ length: 192 }, () => rng.int(-128, 127));
    // ORT runs the model: its output is uint8 data dequantized, (q - 100) * 0.1 with q in [0, 255], values above
    // int8's 127 among them (not vacuous: the old explain gave int8-range outputs)
    const y = await ortRun(bytes, 'qint8', x, shape);
    const q = Array.from(y, (v) => Math.round(v / Math.fround(0.1)) + 100);
    expect(Math.max(...q)).toBeGreaterThan(127);
    const model = file('dq_mixed_types.onnx', bytes);
    const conv = readOnnxModel(model).steps.find((s) => s.name === 'qconv');
    expect(conv).toMatchObject({ kind: 'not_modelled', opType: 'Conv' });
    expect((conv as { reason: string }).reason).toMatch(/x is qint8 and whose output is quint8 is not modelled.*qdq_selectors\.cc/);
    // so the user's integers reach no modelled layer: refused, not run as an int8 conv
    const input = jsonInput('dq_mixed_types.json', shape, x);
    expect(explainError(model, input)).toMatch(/the first step it does not pass is qconv, Conv, not modelled/);
  }, 60_000);
});
