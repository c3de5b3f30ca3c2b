/**
 * `qconform explain` on a uint8 / int8 graph input that reaches the first layer through ops it carries exactly on
 * the integers (conformance/explain/onnx_input.ts carriedTo): Identity, a Cast to the input's own type, MaxPool
 * (ORT's MaxPool-12 on uint8 / int8: each window's max over its in-bounds elements) and Flatten. The user's
 * integers (or generated ones) are carried through them, and the first layer's outputs are what onnxruntime-node
 * 1.30 runs on the same integers. Before, each such input was refused as reaching no modelled layer; a MaxPool's
 * auto_pad was ignored (a wrong output size), and ceil_mode and asymmetric pads were not modelled.
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import type { QuantDtype } from '../../contract/dtypes.js';
import { type IntTensor, numel } from '../../contract/tensor.js';
import { oneNodeModel } from '../../conformance/backends/onnxruntime/one_node_model.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { explainCommand } from '../../conformance/explain/explain_command.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { generatedInput, readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { captureConsole } from '../support/console_capture.js';
import { explainFiles } from '../support/explain_files.js';
import { qdqModel, qdqParts } from '../support/explain_qdq_model.js';
import { type NodeBefore, X_SHAPE, int, ints, opsBefore, ortRun, qlinearConvCase } from '../support/explain_integer_model.js';

const DT = onnxProto.onnx.TensorProto.DataType;
const printed = captureConsole();
const { file } = explainFiles('qconform-carried-input-');

/** Seeded integers of `dtype` (in [lo, hi], the dtype's range by default) for `shape`, and a JSON input file holding them. */
function integers(dtype: QuantDtype, shape: readonly number[], seed: string, range?: readonly [number, number]): { x: number[]; path: string } {
  const rng = new CaseRandom(seed);
  const [lo, hi] = range ?? (dtype === 'quint8' ? [0, 255] : [-128, 127]);
  const x = Array.from({ length: numel(shape) }, () => rng.int(lo, hi));
  return { x, path: file(`${seed}.json`, JSON.stringify({ shape, data: x })) };
}

/** explain's outputs of layer `layer` on the file `path`, with the run's input description and the layer's report. */
function explainOn(bytes: Uint8Array, path: string, layer: string): { y: number[]; description: string; report: ConvLayerReport } {
  const outputs = new Map<string, IntTensor>();
  const r = explainModel(readOnnxModel('mem.onnx', bytes), readInputTensor(path), { seed: '1', outputs });
  const report = r.steps.find((s) => s.name === layer) as ConvLayerReport;
  expect(report?.kind, `${layer} is analysed`).toBe('conv2d');
  return { y: Array.from(outputs.get(layer)!.data), description: r.input.description, report };
}

const str = (name: string, value: string): onnxProto.onnx.IAttributeProto => ({ name, type: onnxProto.onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(value) });
const maxPool = (name: string, ...attribute: onnxProto.onnx.IAttributeProto[]): NodeBefore => ({ opType: 'MaxPool', name, attribute });

describe('explain carries a uint8 / int8 graph input through the ops it models exactly, into the first layer', () => {
  it.each<[string, QuantDtype, NodeBefore[], number[], string, [number, number]?]>([
    ['Identity', 'quint8', [{ opType: 'Identity' }], X_SHAPE, 'Identity'],
    ['MaxPool 3x3, stride 2, pads 1 (the padding never wins)', 'quint8', [maxPool('pool', ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]))], [1, 2, 9, 9], 'pool'],
    // int8 values all negative: a padded position taken as 0 would win every border window
    ['MaxPool 2x2, dilation 2, pads 1, on negative int8', 'qint8', [maxPool('pool', ints('kernel_shape', [2, 2]), ints('dilations', [2, 2]), ints('pads', [1, 1, 1, 1]))], X_SHAPE, 'pool', [-128, -1]],
    // auto_pad, ceil_mode and asymmetric pads: the output size and the padded windows are ORT's (contract/nhwc_max_pool_checks.ts)
    ['MaxPool 3x3, auto_pad SAME_UPPER', 'quint8', [maxPool('pool', ints('kernel_shape', [3, 3]), str('auto_pad', 'SAME_UPPER'))], X_SHAPE, 'pool'],
    ['MaxPool 2x2, auto_pad SAME_LOWER, on negative int8', 'qint8', [maxPool('pool', ints('kernel_shape', [2, 2]), str('auto_pad', 'SAME_LOWER'))], X_SHAPE, 'pool', [-128, -1]],
    ['MaxPool 2x2 stride 2, ceil_mode', 'quint8', [maxPool('pool', ints('kernel_shape', [2, 2]), ints('strides', [2, 2]), int('ceil_mode', 1))], [1, 2, 9, 9], 'pool'],
    ['MaxPool 2x2, asymmetric pads [1, 0, 0, 1], on negative int8', 'qint8', [maxPool('pool', ints('kernel_shape', [2, 2]), ints('pads', [1, 0, 0, 1]))], X_SHAPE, 'pool', [-128, -1]],
    ['Identity, a Cast to its own type, MaxPool 2x2 stride 2', 'quint8', [{ opType: 'Identity' }, { opType: 'Cast', attribute: [int('to', DT.UINT8)] }, maxPool('pool', ints('kernel_shape', [2, 2]), ints('strides', [2, 2]))], [1, 2, 10, 10], 'Identity, Cast, pool'],
  ])('QLinearConv after %s (%s): the outputs are what ORT runs', async (what, dtype, ops, dims, through, range) => {
    const seed = `explain-carried:${what}`;
    const elem = dtype === 'quint8' ? DT.UINT8 : DT.INT8;
    const bytes = opsBefore(qlinearConvCase(dtype, 'explain-int-input-u8').bytes, 'x', ops, dims, elem);
    const { x, path } = integers(dtype, dims, seed, range);
    const layer = `QLinearConv_${ops.length}`;
    const run = explainOn(bytes, path, layer);
    const type = dtype === 'quint8' ? 'uint8' : 'int8';
    expect(run.description).toBe(`${path} [${dims.join(', ')}]: ${type} integers, the graph input x, read as they are by ${layer} after ${through}`);
    expect(run.report.inputOrigin, seed).toBe('chain');
    expect(run.report.geometry.inputShape).toEqual(X_SHAPE);
    const y = await ortRun(bytes, dtype, x, dims);
    expect(run.y, `seed ${seed}: explain's layer output vs onnxruntime-node`).toEqual(Array.from(y));
    expect(new Set(run.y).size, 'the outputs are not all one value').toBeGreaterThan(10);
    expect(explainCommand(file(`${seed}.onnx`, bytes), { seed: '1', input: path })).toBe(0);
    expect(printed.err).toEqual([]);
  }, 60_000);

  it('QDQ: a uint8 graph input through Identity and a Cast to uint8 into DequantizeLinear -> Conv; the outputs are what ORT runs', async () => {
    const parts = qdqParts();
    parts.nodes = parts.nodes.filter((n) => n.opType !== 'QuantizeLinear' || n.input![0] !== 'x');
    parts.nodes[0]!.input![0] = 'xc';
    parts.nodes.unshift({ opType: 'Identity', input: ['x'], output: ['xi'] }, { opType: 'Cast', input: ['xi'], output: ['xc'], attribute: [int('to', DT.UINT8)] });
    parts.inputType = DT.UINT8;
    const bytes = qdqModel(parts);
    const shape = [1, 3, 8, 8];
    const { x, path } = integers('quint8', shape, 'explain-carried-qdq');
    const run = explainOn(bytes, path, 'qconv');
    expect(run.report.inputOrigin).toBe('chain');
    const y = await ortRun(bytes, 'quint8', x, shape);
    // the model's output is the conv's, dequantized: (q - 100) * 0.1 in float32, exactly invertible for |q - zp| <= 255
    const q = Array.from(y, (v) => Math.round(v / Math.fround(0.1)) + 100);
    expect(run.y).toEqual(q);
    expect(new Set(q).size).toBeGreaterThan(10);
  }, 60_000);

  it('QLinearMatMul after MaxPool and Flatten: the rows it reads are the pooled integers, the outputs what ORT runs', async () => {
    const rng = new CaseRandom('explain-carried-matmul');
    const [rows, features, oc] = [2, 12, 5];
    const b = Array.from({ length: features * oc }, () => rng.int(-20, 20)); // [F, OC]; small: no pair saturation on any CPU
    const matmul = oneNodeModel({
      opType: 'QLinearMatMul',
      domain: '',
      opset: 13,
      inputs: [
        ['a', { elem: 'uint8', dims: [rows, features], values: new Array(rows * features).fill(0) }],
        ['a_scale', { elem: 'float32', dims: [], values: [0.02] }],
        ['a_zero_point', { elem: 'uint8', dims: [], values: [128] }],
        ['b', { elem: 'int8', dims: [features, oc], values: b }],
        ['b_scale', { elem: 'float32', dims: [], values: [0.004] }],
        ['b_zero_point', { elem: 'int8', dims: [], values: [0] }],
        ['y_scale', { elem: 'float32', dims: [], values: [0.05] }],
        ['y_zero_point', { elem: 'uint8', dims: [], values: [100] }],
      ],
      graphInputs: ['a'],
      output: { name: 'y', elem: 'uint8' },
    });
    const dims = [rows, 3, 4, 4];
    const bytes = opsBefore(matmul, 'a', [maxPool('pool', ints('kernel_shape', [2, 2]), ints('strides', [2, 2])), { opType: 'Flatten', name: 'flat' }], dims);
    const { x, path } = integers('quint8', dims, 'explain-carried-matmul-x');
    const run = explainOn(bytes, path, 'QLinearMatMul_2');
    expect(run.description).toBe(`${path} [${dims.join(', ')}]: uint8 integers, the graph input a, read as they are by QLinearMatMul_2 after pool, flat`);
    expect(run.report.geometry.inputShape).toEqual([rows, features]);
    const y = await ortRun(bytes, 'quint8', x, dims, 'a');
    expect(run.y).toEqual(Array.from(y));
    expect(new Set(run.y).size).toBeGreaterThan(3);
  }, 60_000);

  it('generated data is integers of the declared shape, carried through the MaxPool into the layer', () => {
    const dims = [1, 2, 9, 9];
    const bytes = opsBefore(qlinearConvCase('quint8', 'explain-int-input-u8').bytes, 'x', [maxPool('pool', ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]))], dims, DT.UINT8);
    const r = explainModel(readOnnxModel('mem.onnx', bytes), generatedInput(dims, '4'), { seed: '4' });
    expect(r.input.description).toMatch(/^GENERATED: seeded uint8 integers, zero point 128 .*, shape \[1, 2, 9, 9\], as x;/);
    expect(r.input.shape).toEqual(dims);
    const layer = r.steps.find((s) => s.kind === 'conv2d') as ConvLayerReport;
    expect(layer.inputOrigin).toBe('chain');
    expect(layer.geometry.inputShape).toEqual(X_SHAPE);
  });
});
