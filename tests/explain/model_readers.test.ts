/**
 * The model and input readers of `qconform explain`: the example's ONNX (QDQ, as torch 1.13 exports it), a
 * QOperator QLinearConv model built by the ORT backend's model writer, the TorchScript model through torch, and
 * malformed files, each of which must be a typed ModelReadError (never a crash).
 */
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { qlinearConvModel } from '../../conformance/backends/onnxruntime/qlinear_conv_model.js';
import { parseJsonTensor, parseNpy, readInputTensor } from '../../conformance/explain/input_tensor.js';
import { type ConvLayer, ModelReadError } from '../../conformance/explain/model_types.js';
import { readOnnxModel } from '../../conformance/explain/onnx_model.js';
import { TORCH_PYTHON, readTorchModel } from '../../conformance/explain/torch_model.js';
import { convArgs } from '../support/conv_args.js';

const ONNX = 'examples/quantized_cnn/model.onnx';
const PT = 'examples/quantized_cnn/model.pt';

describe('ONNX reader', () => {
  it('reads the QDQ export of torch 1.13: three convs, two max pools, a flatten, the Gemm as a linear layer', () => {
    const m = readOnnxModel(ONNX);
    expect(m.format).toBe('onnx-qdq');
    expect(m.inputShape).toEqual([1, 3, 16, 16]);
    expect(m.steps.map((s) => s.kind)).toEqual(['conv2d', 'maxpool2d', 'conv2d', 'maxpool2d', 'conv2d', 'flatten', 'conv2d']);
    const convs = m.steps.filter((s): s is ConvLayer => s.kind === 'conv2d' && !s.linear);
    expect(convs.map((c) => c.relu)).toEqual([true, true, false]);
    expect(convs[2]!.groups).toBe(16);
    expect(convs.every((c) => c.bias?.kind === 'int32')).toBe(true);
    // each conv's input qparams are the previous conv's output qparams (max pooling keeps them)
    expect(convs[1]!.x).toEqual(convs[0]!.y);
    expect(m.input).toEqual(convs[0]!.x);
  });

  it('reads a QOperator QLinearConv model back to the same arguments', () => {
    const a = convArgs({
      x: intTensor('quint8', [1, 2, 4, 4], new Array(32).fill(3)),
      weight: intTensor('qint8', [3, 2, 3, 3], Array.from({ length: 54 }, (_, i) => (i % 11) - 5)),
      weightQuantization: 'per_channel',
      weightScales: f64Tensor([3], [0.5, 0.25, 0.125]),
      weightZeroPoints: intTensor('int32', [3], [0, 0, 0]),
      bias: intTensor('int32', [3], [7, -8, 9]),
      xScale: 0.5,
      xZeroPoint: 128,
      yScale: 0.75,
      yZeroPoint: 100,
      padding: [1, 1],
      stride: [2, 1],
    });
    const m = readOnnxModel('mem.onnx', qlinearConvModel(a));
    expect(m.format).toBe('onnx-qoperator');
    const c = m.steps[0]!;
    if (c.kind !== 'conv2d') throw new Error(`not a conv: ${c.kind}`);
    expect(c).toMatchObject({ source: 'QLinearConv', weightQuantization: 'per_channel', weightScales: [0.5, 0.25, 0.125], stride: [2, 1], padding: [1, 1], groups: 1, relu: false });
    expect(c.x).toEqual({ scale: 0.5, zeroPoint: 128, dtype: 'quint8' });
    expect(c.y).toEqual({ scale: 0.75, zeroPoint: 100, dtype: 'quint8' });
    expect(c.bias).toEqual({ kind: 'int32', values: [7, -8, 9] });
    expect(Array.from(c.weight)).toEqual(Array.from(a.weight.data));
  });

  it.each([
    ['garbage bytes', new Uint8Array([0xff, 0xff, 0xff, 0x0f, 0x01])],
    ['an empty file', new Uint8Array(0)],
    ['a truncated model', readFileSync(ONNX).subarray(0, 600)],
  ])('%s is a ModelReadError', (_, bytes) => {
    expect(() => readOnnxModel('bad.onnx', bytes)).toThrow(ModelReadError);
  });
});

describe('input readers', () => {
  it('reads the example .npy (float32, [1, 3, 16, 16])', () => {
    const t = readInputTensor('examples/quantized_cnn/input.npy').tensor;
    expect(t.shape).toEqual([1, 3, 16, 16]);
    expect(t.data.some((v) => v !== 0)).toBe(true);
  });

  it('reads JSON tensors, flat with a shape or nested', () => {
    expect(parseJsonTensor('a.json', '{"shape":[1,2],"data":[1.5,-2]}').data).toEqual(Float32Array.from([1.5, -2]));
    expect(parseJsonTensor('a.json', '[[[[1,2],[3,4]]]]').shape).toEqual([1, 1, 2, 2]);
  });

  it.each([
    ['not npy', () => parseNpy('x.npy', new TextEncoder().encode('hello world'))],
    ['int64 npy', () => parseNpy('x.npy', new Uint8Array([...new TextEncoder().encode("\x93NUMPY"), 1, 0, 40, 0, ...new TextEncoder().encode("{'descr': '<i8', 'fortran_order': False, 'shape': (1,), }   ")]))],
    ['short data', () => parseNpy('x.npy', readFileSync('examples/quantized_cnn/input.npy').subarray(0, 300))],
    ['bad JSON', () => parseJsonTensor('a.json', '{"shape":[2],"data":[1]}')],
    ['not JSON', () => parseJsonTensor('a.json', '{')],
  ])('%s is a ModelReadError', (_, read) => {
    expect(read).toThrow(ModelReadError);
  });
});

describe('TorchScript reader (through torch 1.13)', () => {
  it('reads the converted model: packed params unpacked by torch, observers attached', () => {
    const m = readTorchModel(PT, 'examples/quantized_cnn/observers.pt');
    const layers = m.steps.filter((s) => s.kind === 'conv2d');
    expect(layers.map((c) => c.name)).toEqual(['conv1', 'conv2', 'conv3', 'fc']);
    expect(layers.every((c) => c.bias?.kind === 'float32' && c.activationObserver?.observer === 'HistogramObserver')).toBe(true);
    expect(layers[0]!.activationObserver).toMatchObject({ quantMin: 0, quantMax: 127, reduceRange: true });
    expect(layers[0]!.activationObserver!.histogram!.length).toBe(2048);
    // fc: a linear layer fed by the forward's torch.flatten(x, 1)
    expect(m.steps.at(-2)).toEqual({ kind: 'flatten', name: 'flatten (before fc)' });
    expect(m.steps.at(-1)).toMatchObject({ kind: 'conv2d', linear: true, source: 'torch QuantizedLinear', weightShape: [10, 256, 1, 1] });
    // the same stored weights and qparams as the ONNX export of the same converted model (fc's Gemm has transB)
    const onnx = readOnnxModel(ONNX).steps.filter((s) => s.kind === 'conv2d');
    expect(onnx.length).toBe(4);
    layers.forEach((c, k) => {
      expect(Array.from(c.weight)).toEqual(Array.from(onnx[k]!.weight));
      expect(c.y.zeroPoint).toBe(onnx[k]!.y.zeroPoint);
      expect(Math.fround(c.y.scale)).toBe(onnx[k]!.y.scale);
    });
  }, 60_000);

  it('a file that is not TorchScript, and a missing file, are ModelReadErrors', () => {
    expect(existsSync(ONNX)).toBe(true);
    expect(() => readTorchModel(ONNX)).toThrow(ModelReadError);
    expect(() => readTorchModel('no/such/model.pt')).toThrow(/no such file/);
  }, 60_000);

  it('a torch.save file (a pickled module, a state_dict) is refused with how to save TorchScript instead', () => {
    const dir = mkdtempSync(join(tmpdir(), 'qconform-torch-save-'));
    const saved = spawnSync(TORCH_PYTHON, ['-c', `import torch, torch.nn as nn
m = nn.Sequential(nn.Conv2d(3, 4, 3))
torch.save(m, '${dir}/module.pt'); torch.save(m.state_dict(), '${dir}/state_dict.pt')`], { encoding: 'utf8' });
    expect(saved.status, saved.stderr).toBe(0);
    for (const file of ['module.pt', 'state_dict.pt']) {
      expect(() => readTorchModel(join(dir, file))).toThrow(/the file was written by torch\.save \(a pickled module or state_dict\), not torch\.jit\.save: .*torch\.jit\.save\(torch\.jit\.script\(model\), path\)/);
    }
  }, 60_000);
});
