/**
 * `qconform explain` on a model that does not quantize its input (conformance/explain/onnx_input.ts,
 * integer_input.ts, input_reach.ts). A uint8 / int8 graph input that the first layer reads directly (QLinearConv,
 * or DequantizeLinear into a QDQ Conv) takes the user's integers: the layer's outputs are what onnxruntime-node
 * 1.30 runs on the same integers, and generated data is integers fed through the chain, labelled (through carried
 * ops: carried_integer_inputs.test.ts). An input that reaches no modelled layer (a float input going into another
 * op first, a uint8 input going into a Cast to int8 or a MaxPool explain does not model, a quantized input going
 * into an op explain does not model, an input of another type than the layer's x zero point) is refused with one
 * message and exit 2, like --shape there, and so are non-integers, values outside the dtype and integer .npy data
 * for a float input: each was silently left unused (every layer ran on generated data while the summary named the
 * file).
 */
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import type { QuantDtype } from '../../contract/dtypes.js';
import type { IntTensor } from '../../contract/tensor.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { explainCommand } from '../../conformance/explain/explain_command.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { generatedInput, readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { captureConsole } from '../support/console_capture.js';
import { explainError as explainErrorOf, explainFiles } from '../support/explain_files.js';
import { qdqModel, qdqParts } from '../support/explain_qdq_model.js';
import { type NodeBefore, X_SHAPE, int, ints, opsBefore, ortRun, qlinearConvCase } from '../support/explain_integer_model.js';
import { installedOrt } from '../support/installed_ort.js';

const DT = onnxProto.onnx.TensorProto.DataType;
const printed = captureConsole();
const { file, jsonInput, npy } = explainFiles('qconform-int-input-');
const explainError = (model: string, extra: { input?: string; shape?: string }) => explainErrorOf(printed.err, model, extra);

describe('explain: a uint8 / int8 graph input the first layer reads takes the user\'s integers', () => {
  it.each<[QuantDtype, string]>([
    ['quint8', 'explain-int-input-u8'],
    ['qint8', 'explain-int-input-s8'],
  ])('QLinearConv on a %s graph input: the integers of the file are its input, its outputs are what ORT runs (seed %s)', async (dtype, seed) => {
    const { bytes, x } = qlinearConvCase(dtype, seed);
    const model = file(`qlinearconv_${dtype}.onnx`, bytes);
    const input = jsonInput(`x_${dtype}.json`, X_SHAPE, x);
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readOnnxModel(model), readInputTensor(input), { seed: '1', outputs });
    const layer = r.steps[0] as ConvLayerReport;
    expect(layer.inputOrigin, `seed ${seed}`).toBe('chain');
    const type = dtype === 'quint8' ? 'uint8' : 'int8';
    expect(r.input.description).toBe(`${input} [1, 2, 5, 5]: ${type} integers, the graph input x, read as they are by QLinearConv_0`);
    const y = await ortRun(bytes, dtype, x, X_SHAPE);
    expect(Array.from(outputs.get('QLinearConv_0')!.data), `seed ${seed}: explain's layer output vs onnxruntime-node`).toEqual(Array.from(y));
    expect(new Set(Array.from(y)).size, 'the outputs are not all one value').toBeGreaterThan(10);
    expect(explainCommand(model, { seed: '1', input })).toBe(0);
    expect(printed.err).toEqual([]);
    expect(printed.out.join('\n')).toContain(`input ${input} [1, 2, 5, 5]: ${type} integers`);
  }, 60_000);

  it('a uint8 .npy is read as its integers (the same outputs as the JSON file)', () => {
    const { bytes, x } = qlinearConvCase('quint8', 'explain-int-input-u8');
    const model = readOnnxModel('mem.onnx', bytes);
    const run = (path: string) => {
      const outputs = new Map<string, IntTensor>();
      explainModel(model, readInputTensor(path), { seed: '1', outputs });
      return Array.from(outputs.get('QLinearConv_0')!.data);
    };
    expect(run(npy('x_u8.npy', '|u1', X_SHAPE, Uint8Array.from(x)))).toEqual(run(jsonInput('x_u8.json', X_SHAPE, x)));
  });

  it('QDQ: a uint8 graph input into DequantizeLinear -> Conv takes the integers; the outputs are what ORT runs', async () => {
    const parts = qdqParts();
    parts.nodes = parts.nodes.filter((n) => n.opType !== 'QuantizeLinear' || n.input![0] !== 'x');
    parts.nodes[0]!.input![0] = 'x';
    parts.inputType = DT.UINT8;
    const bytes = qdqModel(parts);
    const rng = new CaseRandom('explain-int-input-qdq');
    const shape = [1, 3, 8, 8];
    const x = Array.from({ length: 192 }, () => rng.int(0, 255));
    const outputs = new Map<string, IntTensor>();
    const r = explainModel(readOnnxModel('qdq_u8.onnx', bytes), readInputTensor(jsonInput('qdq_x.json', shape, x)), { seed: '1', outputs });
    expect((r.steps[0] as ConvLayerReport).inputOrigin).toBe('chain');
    const y = await ortRun(bytes, 'quint8', x, shape);
    // the model's output is the conv's, dequantized: (q - 100) * 0.1 in float32, exactly invertible for |q - zp| <= 255
    const q = Array.from(y, (v) => Math.round(v / Math.fround(0.1)) + 100);
    expect(Array.from(outputs.get('qconv')!.data)).toEqual(q);
    expect(new Set(q).size).toBeGreaterThan(10);
  }, 60_000);

  it('generated data is integers of the input shape, fed through the chain and labelled', () => {
    const { bytes } = qlinearConvCase('quint8', 'explain-int-input-u8');
    const r = explainModel(readOnnxModel('mem.onnx', bytes), generatedInput(X_SHAPE, '4'), { seed: '4' });
    expect(r.input.description).toMatch(/^GENERATED: seeded uint8 integers, zero point 128 \+ round\(24 x standard normal\) clamped to \[0, 255\] \(seed 4\), shape \[1, 2, 5, 5\], as x;/);
    expect((r.steps[0] as ConvLayerReport).inputOrigin).toBe('chain');
    expect((r.steps[0] as ConvLayerReport).geometry.inputShape).toEqual(X_SHAPE);
  });

  it.each([
    ['a value that is not an integer as written (100.000001 is 100 in float32)', [100.000001], 'value 100.000001 (element 0) is not an integer: the graph input x is uint8, read as it is by QLinearConv_0, so explain takes its integers as given'],
    ['2.5', [2.5], 'value 2.5 (element 0) is not an integer'],
    ['256', [256], 'value 256 (element 0) is outside uint8 [0, 255]: the graph input x is uint8, read as it is by QLinearConv_0'],
    ['-1', [-1], 'value -1 (element 0) is outside uint8 [0, 255]'],
  ])('%s is refused', (_, head, message) => {
    const model = file('u8.onnx', qlinearConvCase('quint8', 'explain-int-input-u8').bytes);
    const input = jsonInput('bad.json', X_SHAPE, [...head, ...new Array(49).fill(7)]);
    expect(explainError(model, { input })).toContain(`error: ${input}: ${message}`);
  });

  it('an integer input of the wrong shape is refused, naming the shape the layer takes', () => {
    const model = file('u8.onnx', qlinearConvCase('quint8', 'explain-int-input-u8').bytes);
    const input = jsonInput('three.json', [1, 3, 5, 5], new Array(75).fill(7));
    expect(explainError(model, { input })).toBe(`error: ${input}: shape [1, 3, 5, 5] does not fit the first layer QLinearConv_0, which takes [N, 2, H, W] (2 input channels)`);
  });
});

describe('explain: an input that reaches no modelled layer is refused', () => {
  const NOT_TAKEN = 'the model does not take this input';
  const HINT = 'explain runs such a model on generated data only (leave out --input and --shape)';
  const floatInput = () => npy('x.npy', '<f4', [1, 3, 8, 8], new Uint8Array(new Float32Array(192).fill(0.5).buffer));

  /** The base QDQ model with a Sigmoid on the float input before its QuantizeLinear. */
  function sigmoidFirst(): string {
    const parts = qdqParts();
    parts.nodes[0]!.input![0] = 'xs';
    parts.nodes.unshift({ opType: 'Sigmoid', input: ['x'], output: ['xs'] });
    return file('sigmoid_first.onnx', qdqModel(parts));
  }

  it('a float graph input that goes into another op before any QuantizeLinear: --input and --shape', () => {
    const model = sigmoidFirst();
    const why = 'the graph input x (float32) goes into Sigmoid, not into a QuantizeLinear: explain takes a float input the model quantizes, or a uint8 / int8 input its first layer reads';
    const input = floatInput();
    expect(explainError(model, { input })).toBe(`error: ${input}: ${NOT_TAKEN}: ${why}; ${HINT}`);
    printed.err.length = 0;
    expect(explainError(model, { shape: '1,3,8,8' })).toBe(`error: --shape: ${NOT_TAKEN}: ${why}; ${HINT}`);
  });

  it('without --input or --shape the same model still runs on generated data, labelled', () => {
    expect(explainCommand(sigmoidFirst(), { seed: '1' })).toBe(0);
    expect(printed.out.join('\n')).toContain('(GENERATED input: the chain stopped before)');
  });

  const CARRIED = 'not into a layer explain models, directly or through ops it carries exactly on the integers (Identity, a Cast to uint8, MaxPool, Flatten)';

  it.each<[string, QuantDtype, NodeBefore[], number[], string, string]>([
    ['a Cast to int8 (it changes values: uint8 200 is int8 -56)', 'qint8', [{ opType: 'Cast', attribute: [int('to', DT.INT8)] }], X_SHAPE, 'goes into Cast', 'the first step it does not pass is QLinearConv_1, which reads x_0'],
    ['a 1-d MaxPool (not modelled)', 'quint8', [{ opType: 'MaxPool', attribute: [ints('kernel_shape', [2]), ints('strides', [2])] }], [1, 2, 9], 'goes into MaxPool', 'the first step it does not pass is MaxPool_0, MaxPool, not modelled'],
  ])('a uint8 graph input that goes into %s before the first layer', (_, dtype, ops, dims, into, stops) => {
    const model = file(`u8_before_${dtype}.onnx`, opsBefore(qlinearConvCase(dtype, 'explain-int-input-u8').bytes, 'x', ops, dims, DT.UINT8));
    const input = jsonInput('u8.json', dims, new Array(dims.reduce((a, b) => a * b, 1)).fill(3));
    expect(explainError(model, { input })).toBe(`error: ${input}: ${NOT_TAKEN}: the graph input x (uint8) ${into}, ${CARRIED}: ${stops}; ${HINT}`);
  });

  it('a graph input whose type is not that of the first layer\'s x zero point (an int8 x for a uint8 x_zero_point)', async () => {
    const bytes = opsBefore(qlinearConvCase('quint8', 'explain-int-input-u8').bytes, 'x', [], X_SHAPE, DT.INT8);
    // ONNX binds x and x_zero_point to one type T1 (QLinearConv-10): onnxruntime-node 1.30 refuses to load the model
    const ort = await installedOrt();
    await expect(ort.InferenceSession.create(bytes)).rejects.toThrow(/Type parameter \(T1\) of Optype \(QLinearConv\) bound to different types/);
    const input = jsonInput('s8.json', X_SHAPE, new Array(50).fill(3));
    expect(explainError(file('s8_for_u8.onnx', bytes), { input })).toBe(`error: ${input}: ${NOT_TAKEN}: the graph input x (int8) is read by QLinearConv_0 as quint8 (the type of its x zero point); ${HINT}`);
  }, 60_000);

  it('a quantized input that goes into an op explain does not model before any layer', () => {
    const parts = qdqParts();
    parts.nodes[1]!.output = ['xd'];
    parts.nodes.splice(2, 0, { opType: 'Sigmoid', input: ['xd'], output: ['xs'], name: 'act' }, { opType: 'QuantizeLinear', input: ['xs', 'x_scale', 'x_zp'], output: ['xq2'] }, { opType: 'DequantizeLinear', input: ['xq2', 'x_scale', 'x_zp'], output: ['xf'] });
    const input = floatInput();
    expect(explainError(file('sigmoid_after_q.onnx', qdqModel(parts)), { input })).toBe(
      `error: ${input}: ${NOT_TAKEN}: it reaches act, a Sigmoid explain does not model (Sigmoid is not modelled), before any layer it models; ${HINT}`,
    );
  });

  it('uint8 .npy data for a model that quantizes a float input', () => {
    const input = npy('u8.npy', '|u1', [1, 3, 8, 8], new Uint8Array(192).fill(3));
    expect(explainError(file('base.onnx', qdqModel()), { input })).toBe(`error: ${input}: holds uint8 integers, but the model quantizes a float input (scale 0.05000000074505806, zero point 128): pass float32 or float64 data`);
  });
});
