import { expect, it } from 'vitest';
import { evaluateRequest } from '../conformance/protocol/dispatch.js';
import { impl } from '../impl/index.js';
import { reference } from '../reference/index.js';
import { f64ToHex } from '../contract/wire.js';

/** The README's conv example: the bytes torch qnnpack, torch onednn and ONNX Runtime returned for one 1x1 conv. */
const request = (scheme: string) => ({
  id: scheme,
  op: 'quantized_conv2d@1',
  attrs: {
    scheme,
    accumulator: 'int32_wrap',
    stride: [1, 1],
    padding: [0, 0],
    dilation: [1, 1],
    groups: 1,
    relu: false,
    x_scale: f64ToHex(0.026015732437372208),
    x_zero_point: 128,
    y_scale: f64ToHex(0.03100978583097458),
    y_zero_point: 39,
    weight_quantization: 'per_tensor',
  },
  inputs: {
    x: { dtype: 'quint8', shape: [1, 1, 1, 2], values: [44, 100] },
    weight: { dtype: 'qint8', shape: [1, 1, 1, 1], values: [101] },
    weight_scales: { dtype: 'float64', shape: [1], hex: [f64ToHex(0.005268576089292765)] },
    weight_zero_points: { dtype: 'int64', shape: [1], values: [0] },
  },
});

it.each([
  ['torch-qnnpack@1', [1, 27]],
  ['torch-onednn@1', [2, 26]],
  ['onnxruntime@1', [2, 27]],
  ['exact@1', [2, 27]],
])('README conv example: %s gives %j', (scheme, values) => {
  for (const ops of [reference, impl]) {
    const r = evaluateRequest(ops, request(scheme));
    expect('outputs' in r && r.outputs.y).toEqual({ dtype: 'quint8', shape: [1, 1, 1, 2], values });
  }
});
