/**
 * `qconform explain` on a QDQ MaxPool before the first layer, graph input -> [QuantizeLinear ->] DequantizeLinear ->
 * MaxPool -> QuantizeLinear -> DequantizeLinear -> Conv: ORT 1.30's QDQ transformer drops the MaxPool's pair
 * (qdq_selector_action_transformer.cc DropQDQNodesRules; qdq_selectors.cc DropQDQNodeGroupSelector: one type, equal
 * qparams) and runs it on the integers, which is what explain carries (conformance/explain/onnx_input.ts qdqMaxPool).
 * With a uint8 / int8 graph input the model used to be refused as taking no input explain models (the integers went
 * into a DequantizeLinear); a float input the model quantizes was already carried, and is checked here too. Both
 * against live onnxruntime-node 1.30 (default optimization level: the MaxPool runs on uint8 / int8 before QLinearConv).
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import type { QuantDtype } from '../../contract/dtypes.js';
import { type IntTensor, numel } from '../../contract/tensor.js';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { explainCommand } from '../../conformance/explain/explain_command.js';
import { explainModel } from '../../conformance/explain/explain_run.js';
import { readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { captureConsole } from '../support/console_capture.js';
import { explainFiles } from '../support/explain_files.js';
import { type QdqParts, qdqModel, qdqParts } from '../support/explain_qdq_model.js';
import { ints, ortRun } from '../support/explain_integer_model.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const printed = captureConsole();
const { file, jsonInput } = explainFiles('qconform-qdq-max-pool-');
const DIMS = [1, 3, 15, 15];
const pool = { opType: 'MaxPool', input: ['xf0'], output: ['pf'], name: 'pool', attribute: [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1])] };

/** qdqParts with the MaxPool's DequantizeLinear -> MaxPool -> QuantizeLinear before the conv's DequantizeLinear; `dtype` sets the activation zero points' type. */
function pooledParts(dtype: QuantDtype): QdqParts {
  const parts = qdqParts();
  if (dtype === 'qint8') {
    for (const t of parts.inits) if (t.name === 'x_zp' || t.name === 'y_zp') Object.assign(t, { dataType: DT.INT8, int32Data: [t.name === 'x_zp' ? -3 : 5] });
  }
  parts.nodes.splice(1, 1, { opType: 'DequantizeLinear', input: ['xq', 'x_scale', 'x_zp'], output: ['xf0'] }, pool, { opType: 'QuantizeLinear', input: ['pf', 'x_scale', 'x_zp'], output: ['pq'] }, { opType: 'DequantizeLinear', input: ['pq', 'x_scale', 'x_zp'], output: ['xf'] });
  parts.inputDims = DIMS;
  return parts;
}

/** The conv's outputs: explain's on the file `path`, with the run's input description. */
function explainConv(bytes: Uint8Array, path: string): { y: number[]; description: string } {
  const outputs = new Map<string, IntTensor>();
  const r = explainModel(readOnnxModel('mem.onnx', bytes), readInputTensor(path), { seed: '1', outputs });
  expect(r.steps.map((s) => `${s.kind} ${s.name}`)).toEqual(['maxpool2d pool', 'conv2d qconv']);
  return { y: Array.from(outputs.get('qconv')!.data), description: r.input.description };
}

/** The conv's quantized outputs from ORT's float y = (q - zp) * 0.1 (float32: exactly invertible for |q - zp| <= 255). */
const requantized = (y: ArrayLike<number>, zp: number) => Array.from(y, (v) => Math.round(v / Math.fround(0.1)) + zp);

describe('explain carries a QDQ MaxPool before the first layer, as ORT runs it on the integers', () => {
  it.each<QuantDtype>(['quint8', 'qint8'])('a %s graph input -> DequantizeLinear -> MaxPool -> QuantizeLinear -> DequantizeLinear -> Conv: the outputs are what ORT runs', async (dtype) => {
    const parts = pooledParts(dtype);
    parts.nodes.shift(); // no QuantizeLinear: the graph input is the integers
    parts.nodes[0]!.input![0] = 'x';
    parts.inputType = dtype === 'quint8' ? DT.UINT8 : DT.INT8;
    const bytes = qdqModel(parts);
    const rng = new CaseRandom(`explain-qdq-pool:${dtype}`);
    const [lo, hi] = dtype === 'quint8' ? [0, 255] : [-128, 127];
    const x = Array.from({ length: numel(DIMS) }, () => rng.int(lo, hi));
    const path = jsonInput(`${dtype}.json`, DIMS, x);
    const run = explainConv(bytes, path);
    const type = dtype === 'quint8' ? 'uint8' : 'int8';
    expect(run.description).toBe(`${path} [${DIMS.join(', ')}]: ${type} integers, the graph input x, read as they are by qconv after DequantizeLinear, pool, QuantizeLinear`);
    const q = requantized(await ortRun(bytes, dtype, x, DIMS), dtype === 'quint8' ? 100 : 5);
    expect(run.y, `seed explain-qdq-pool:${dtype}: explain's conv output vs onnxruntime-node`).toEqual(q);
    expect(new Set(q).size).toBeGreaterThan(10);
    expect(explainCommand(file(`${dtype}.onnx`, bytes), { seed: '1', input: path })).toBe(0);
    expect(printed.err).toEqual([]);
  }, 60_000);

  it('a float graph input -> QuantizeLinear -> DequantizeLinear -> MaxPool -> ... -> Conv: the outputs are what ORT runs', async () => {
    const bytes = qdqModel(pooledParts('quint8'));
    const rng = new CaseRandom('explain-qdq-pool:float');
    const x = Array.from({ length: numel(DIMS) }, () => rng.normal() * 4);
    const run = explainConv(bytes, jsonInput('float.json', DIMS, x));
    const ort = (await loadOrt())!;
    const session = await ort.InferenceSession.create(bytes);
    const y = (await session.run({ x: new ort.Tensor('float32', Float32Array.from(x), DIMS) })).y!.data as Float32Array;
    const q = requantized(y, 100);
    expect(run.y, "seed explain-qdq-pool:float: explain's conv output vs onnxruntime-node").toEqual(q);
    expect(new Set(q).size).toBeGreaterThan(10);
  }, 60_000);

  it('a QDQ MaxPool that requantizes (another output scale) still stops the integers: an --input is refused', () => {
    const parts = pooledParts('quint8');
    parts.nodes.shift();
    parts.nodes[0]!.input![0] = 'x';
    parts.inputType = DT.UINT8;
    parts.inits.push({ name: 'p_scale', dims: [], dataType: DT.FLOAT, floatData: [0.07] });
    for (const n of parts.nodes) if (n.output![0] === 'pq' || n.output![0] === 'xf') n.input![1] = 'p_scale';
    const model = readOnnxModel('mem.onnx', qdqModel(parts));
    expect(model.steps[0]).toMatchObject({ kind: 'not_modelled', name: 'pool' });
    expect(model.rawInput).toMatchObject({ kind: 'unused' });
  });
});
