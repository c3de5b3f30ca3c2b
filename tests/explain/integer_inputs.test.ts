/**
 * `qconform explain` on a model that does not quantize its input (conformance/explain/onnx_input.ts,
 * integer_input.ts, input_reach.ts). A uint8 / int8 graph input that the first layer reads directly (QLinearConv,
 * or DequantizeLinear into a QDQ Conv) takes the user's integers: the layer's outputs are what onnxruntime-node
 * 1.30 runs on the same integers, and generated data is integers fed through the chain, labelled. An input that
 * reaches no modelled layer (a float input going into another op first, a uint8 input going into a MaxPool, a
 * quantized input going into an op explain does not model) is refused with one message and exit 2, like
 * --shape there, and so are non-integers, values outside the dtype and integer .npy data for a float input: each
 * was silently left unused (every layer ran on generated data while the summary named the file).
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import onnxProto from 'onnx-proto';
import { describe, expect, it } from 'vitest';
import type { QuantDtype } from '../../contract/dtypes.js';
import { type IntTensor, f64Tensor, intTensor } from '../../contract/tensor.js';
import { qlinearConvModel } from '../../conformance/backends/onnxruntime/qlinear_conv_model.js';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { explainCommand } from '../../conformance/explain/explain_command.js';
import { type ConvLayerReport, explainModel } from '../../conformance/explain/explain_run.js';
import { generatedInput, readInputTensor } from '../../conformance/explain/input_tensor.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { captureConsole } from '../support/console_capture.js';
import { convArgs } from '../support/conv_args.js';
import { qdqModel, qdqParts } from '../support/explain_qdq_model.js';

const DT = onnxProto.onnx.TensorProto.DataType;
const printed = captureConsole();
const dir = mkdtempSync(join(tmpdir(), 'qconform-int-input-'));

function file(name: string, bytes: Uint8Array | string): string {
  const path = join(dir, name);
  writeFileSync(path, bytes);
  return path;
}

/** A JSON input file of `shape` holding `data`. */
const jsonInput = (name: string, shape: number[], data: readonly number[]) => file(name, JSON.stringify({ shape, data }));

/** A .npy (format 1) of dtype `descr` ('|u1', '|i1', '<f4') and `shape` holding `data`. */
function npy(name: string, descr: string, shape: number[], data: Uint8Array): string {
  let header = `{'descr': '${descr}', 'fortran_order': False, 'shape': (${shape.join(', ')}), }`;
  header += ' '.repeat(63 - ((10 + header.length) % 64)) + '\n';
  const head = new Uint8Array(10 + header.length);
  head.set([0x93, ...new TextEncoder().encode('NUMPY'), 1, 0, header.length & 255, header.length >> 8]);
  head.set(new TextEncoder().encode(header), 10);
  return file(name, new Uint8Array([...head, ...data]));
}

/** explainCommand's exit 2 and its one error line (a second line, or a stack, fails the test). */
function explainError(model: string, extra: { input?: string; shape?: string }): string {
  let code: number;
  try {
    code = explainCommand(model, { seed: '1', ...extra });
  } catch (e) {
    throw new Error(`explain threw instead of exiting 2: ${(e as Error).stack}`);
  }
  expect(code).toBe(2);
  expect(printed.err).toHaveLength(1);
  expect(printed.err[0]).not.toMatch(/\n\s+at /);
  return printed.err[0]!;
}

const X_SHAPE = [1, 2, 5, 5];

/**
 * A one-QLinearConv model whose graph input x is `dtype` (per-channel weights, bias, pads 1), and seeded integers
 * for x. Weights are small (|w| <= 20): no int16 pair of x*w products saturates on any CPU (ORT's u8s8 kernels).
 */
function qlinearConvCase(dtype: QuantDtype, seed: string): { bytes: Uint8Array; x: number[] } {
  const rng = new CaseRandom(seed);
  const [lo, hi, zp] = dtype === 'quint8' ? [0, 255, 128] : [-128, 127, 0];
  const x = Array.from({ length: 50 }, () => rng.int(lo, hi));
  const bytes = qlinearConvModel(
    convArgs({
      x: intTensor(dtype, X_SHAPE, x),
      weight: intTensor('qint8', [3, 2, 3, 3], Array.from({ length: 54 }, () => rng.int(-20, 20))),
      weightQuantization: 'per_channel',
      weightScales: f64Tensor([3], [0.01, 0.0125, 0.008]),
      weightZeroPoints: intTensor('int32', [3], [0, 0, 0]),
      bias: intTensor('int32', [3], [700, -900, 40]),
      xScale: 0.02,
      xZeroPoint: zp,
      yScale: 0.01,
      yZeroPoint: dtype === 'quint8' ? 100 : -10,
      padding: [1, 1],
    }),
  );
  return { bytes, x };
}

/** The ORT session's output y for integer input x of `dtype`. */
async function ortRun(bytes: Uint8Array, dtype: QuantDtype, x: readonly number[], shape: number[]): Promise<ArrayLike<number>> {
  const ort = await loadOrt();
  expect(ort, 'onnxruntime-node is installed (npm install)').not.toBeNull();
  const session = await ort!.InferenceSession.create(bytes);
  const data = dtype === 'quint8' ? Uint8Array.from(x) : Int8Array.from(x);
  return (await session.run({ x: new ort!.Tensor(dtype === 'quint8' ? 'uint8' : 'int8', data, shape) }))['y']!.data as ArrayLike<number>;
}

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

  it('a uint8 graph input that goes into a MaxPool before the first layer', () => {
    const parts = qdqParts();
    parts.nodes = parts.nodes.filter((n) => n.opType !== 'QuantizeLinear' || n.input![0] !== 'x');
    parts.nodes[0]!.input![0] = 'xp';
    parts.nodes.unshift({ opType: 'MaxPool', input: ['x'], output: ['xp'], attribute: [{ name: 'kernel_shape', type: onnxProto.onnx.AttributeProto.AttributeType.INTS, ints: [2, 2] }] });
    parts.inputType = DT.UINT8;
    const input = jsonInput('u8.json', [1, 3, 8, 8], new Array(192).fill(3));
    expect(explainError(file('maxpool_first.onnx', qdqModel(parts)), { input })).toBe(
      `error: ${input}: ${NOT_TAKEN}: the graph input x (uint8) goes into MaxPool, not straight into a layer explain models (the first step: MaxPool_0, a MaxPool); ${HINT}`,
    );
  });

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
