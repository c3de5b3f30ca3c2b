/**
 * `qconform explain` on an ONNX MaxPool with both auto_pad and explicit pads: onnxruntime-node 1.30 checks the pads
 * against the kernel ("Pad should be smaller than kernel"), then lets auto_pad replace them
 * (conformance/explain/max_pool.ts runPads). explain used to refuse every such MaxPool ("pads and auto_pad are
 * exclusive"); now it runs them as ORT does, checked live here on both of ORT's kernels: the ONNX MaxPool on NCHW
 * (a uint8 / int8 graph input pooled before a QLinearConv) and com.microsoft NhwcMaxPool (a MaxPool after a QDQ
 * conv, which ORT's NHWC transformer rewrites at optimization level all; the test reads the optimized graph).
 */
import { readFileSync } from 'node:fs';
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
import { explainError, explainFiles } from '../support/explain_files.js';
import { qdqModel, qdqParts } from '../support/explain_qdq_model.js';
import { int, ints, opsBefore, ortRun, qlinearConvCase } from '../support/explain_integer_model.js';

const { onnx } = onnxProto;
const DT = onnx.TensorProto.DataType;
const printed = captureConsole();
const { file, jsonInput } = explainFiles('qconform-max-pool-auto-pad-');
const str = (name: string, value: string): onnxProto.onnx.IAttributeProto => ({ name, type: onnx.AttributeProto.AttributeType.STRING, s: new TextEncoder().encode(value) });

/** Seeded integers of `dtype` in [lo, hi] (the dtype's range by default) for `shape`. */
function integers(dtype: QuantDtype, shape: readonly number[], seed: string, range?: readonly [number, number]): number[] {
  const rng = new CaseRandom(seed);
  const [lo, hi] = range ?? (dtype === 'quint8' ? [0, 255] : [-128, 127]);
  return Array.from({ length: numel(shape) }, () => rng.int(lo, hi));
}

/** explain's output of `name` (a layer or a max pool) for the input file `path`. */
function explainOutput(bytes: Uint8Array, path: string, name: string): IntTensor {
  const outputs = new Map<string, IntTensor>();
  explainModel(readOnnxModel('mem.onnx', bytes), readInputTensor(path), { seed: '1', outputs });
  const out = outputs.get(name);
  expect(out, `${name} ran on the chain`).toBeDefined();
  return out!;
}

describe('explain runs a MaxPool with auto_pad and explicit pads as ORT 1.30 does: the pads ignored', () => {
  it.each<[string, QuantDtype, onnxProto.onnx.IAttributeProto[], number[], [number, number]?]>([
    ['SAME_UPPER, 3x3 stride 2, pads [1, 1, 1, 1]', 'quint8', [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), str('auto_pad', 'SAME_UPPER')], [1, 2, 10, 9]],
    // all negative: a pad of the attribute taken as a padded position would change the border windows' sizes
    ['SAME_LOWER, 2x2, pads [1, 0, 0, 1], on negative int8', 'qint8', [ints('kernel_shape', [2, 2]), ints('pads', [1, 0, 0, 1]), str('auto_pad', 'SAME_LOWER')], [1, 2, 5, 5], [-128, -1]],
    ['VALID, 3x3 stride 2, ceil_mode, pads [2, 2, 2, 2]', 'qint8', [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [2, 2, 2, 2]), str('auto_pad', 'VALID'), int('ceil_mode', 1)], [1, 2, 11, 12]],
  ])('NCHW MaxPool, %s (%s), before a QLinearConv: its outputs are what ORT runs', async (what, dtype, attribute, dims, range) => {
    const seed = `explain-auto-pad:${what}`;
    const bytes = opsBefore(qlinearConvCase(dtype, 'explain-int-input-u8').bytes, 'x', [{ opType: 'MaxPool', name: 'pool', attribute }], dims, dtype === 'quint8' ? DT.UINT8 : DT.INT8);
    const x = integers(dtype, dims, seed, range);
    const path = jsonInput(`${seed}.json`, dims, x);
    const y = explainOutput(bytes, path, 'QLinearConv_1');
    const ortY = await ortRun(bytes, dtype, x, dims);
    expect(Array.from(y.data), `seed ${seed}: explain's QLinearConv output vs onnxruntime-node`).toEqual(Array.from(ortY));
    expect(new Set(y.data).size, 'the outputs are not all one value').toBeGreaterThan(10);
    expect(explainCommand(file(`${seed}.onnx`, bytes), { seed: '1', input: path })).toBe(0);
    expect(printed.err).toEqual([]);
  }, 60_000);

  it('NhwcMaxPool (a MaxPool after a QDQ conv, SAME_LOWER with pads [1, 1, 1, 1]): its outputs are what ORT runs', async () => {
    const parts = qdqParts();
    const attribute = [ints('kernel_shape', [3, 3]), ints('strides', [2, 2]), ints('pads', [1, 1, 1, 1]), str('auto_pad', 'SAME_LOWER')];
    // Conv -> QuantizeLinear (yq) -> MaxPool on the integers -> DequantizeLinear -> y
    parts.nodes.splice(5, 1, { opType: 'MaxPool', input: ['yq'], output: ['mp'], name: 'mp', attribute }, { opType: 'DequantizeLinear', input: ['mp', 'y_scale', 'y_zp'], output: ['y'] });
    parts.inputDims = [1, 3, 9, 9];
    const bytes = qdqModel(parts);
    const rng = new CaseRandom('explain-auto-pad-nhwc');
    const x = Array.from({ length: numel(parts.inputDims) }, () => rng.normal() * 4);
    const path = jsonInput('nhwc.json', parts.inputDims, x);
    const pooled = explainOutput(bytes, path, 'mp');
    expect(pooled.shape, 'SAME_LOWER, stride 2 on 9x9: 5x5 (the pads would give 4x4)').toEqual([1, 4, 5, 5]);
    const ort = (await loadOrt())!;
    const optimized = file('nhwc.optimized.onnx', '');
    const session = await ort.InferenceSession.create(bytes, { graphOptimizationLevel: 'all', optimizedModelFilePath: optimized });
    const ops = onnx.ModelProto.decode(readFileSync(optimized)).graph!.node!.map((n) => n.opType);
    expect(ops, 'ORT runs the pool as com.microsoft NhwcMaxPool').toContain('NhwcMaxPool');
    const y = (await session.run({ x: new ort.Tensor('float32', Float32Array.from(x), parts.inputDims) })).y!.data as Float32Array;
    // y = (q - 100) * 0.1 in float32: exactly invertible for |q - zp| <= 255
    const q = Array.from(y, (v) => Math.round(v / Math.fround(0.1)) + 100);
    expect(Array.from(pooled.data), 'explain\'s pooled integers vs onnxruntime-node (seed explain-auto-pad-nhwc)').toEqual(q);
    expect(new Set(q).size).toBeGreaterThan(10);
  }, 60_000);

  it('a pad of the kernel size beside auto_pad is refused, as ORT refuses it ("Pad should be smaller than kernel")', async () => {
    const dims = [1, 2, 6, 6];
    const bytes = opsBefore(qlinearConvCase('quint8', 'explain-int-input-u8').bytes, 'x', [{ opType: 'MaxPool', name: 'pool', attribute: [ints('kernel_shape', [2, 2]), ints('pads', [2, 0, 0, 0]), str('auto_pad', 'SAME_UPPER')] }], dims, DT.UINT8);
    const ort = (await loadOrt())!;
    await expect(ort.InferenceSession.create(bytes)).rejects.toThrow(/Pad should be smaller than kernel/);
    const model = file('big-pad.onnx', bytes);
    const message = explainError(printed.err, model, { input: jsonInput('big-pad.json', dims, integers('quint8', dims, 'big-pad')) });
    expect(message).toBe(`error: ${model}: MaxPool pool: pads [2,0,0,0]: each pad is smaller than its kernel size ("Pad should be smaller than kernel") [invalid_geometry]`);
  }, 60_000);
});
