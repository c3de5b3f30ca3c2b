/**
 * A NaN inside a float requantization: an output scale that overflows to inf times an accumulator of 0, or a bias
 * scaled by inf, or inf times an output scale that underflowed to 0. The float clamp is MAXPS then MINPS in
 * MLAS MlasRequantizeOutput and in oneDNN's saturation, and MAXPS returns its second operand (the low bound) when the
 * first is NaN: the output is the dtype's minimum, never a value outside the dtype (reference/requant/float_clamp.ts).
 * Before that was modelled, reference and impl returned INT32_MIN (cvtps2dq of NaN) or the magic-number rounding's
 * -1266679680 in a quint8 tensor, and impl's oneDNN requantization took a bias that scaled to NaN for no bias.
 *
 * ONNX Runtime cases run live through onnxruntime-node (a devDependency: in-process, this host's CPU); the torch
 * 1.13 onednn cases carry the outputs real torch 1.13.1 (Debian python3-torch, AVX-512 VNNI host) returned through
 * conformance/backends/torch/python/qconform_torch.py on 2026-12-06. Each case is checked on the reference, impl, and
 * impl's JavaScript and WebAssembly conv paths, bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { f32ToHex, f64ToHex } from '../../contract/wire.js';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { impl, implOnConvPath } from '../../impl/index.js';
import type { WasmConvCounter } from '../../impl/conv/conv2d.js';
import { reference } from '../../reference/index.js';
import { installedOrt } from '../support/installed_ort.js';

const ints = (dtype: string, shape: number[], values: number[]) => ({ dtype, shape, values });
const f32s = (shape: number[], values: number[]) => ({ dtype: 'float32', shape, hex: values.map(f32ToHex) });
const HUGE = 3e38; // two of them multiply to inf in float32

/** x whose every element is its zero point but the first `live` ones: most accumulators are exactly 0. */
function mostlyZeroPoint(n: number, zeroPoint: number, live: number): number[] {
  return Array.from({ length: n }, (_, i) => (i < live ? zeroPoint + 1 + (i % 3) : zeroPoint));
}

function ortRequests(): WireRequest[] {
  const requests: WireRequest[] = [];
  for (const [dtype, yZeroPoint] of [
    ['quint8', 128],
    ['qint8', 0],
  ] as const) {
    const gemmInputs = (aScale: number, bScale: number) => ({
      a: ints(dtype, [2, 1], [0, 1]),
      a_scale: f32s([], [aScale]),
      a_zero_point: ints(dtype, [], [0]),
      b: ints(dtype, [1, 3], [1, 1, 1]),
      b_scale: f32s([], [bScale]),
      b_zero_point: ints(dtype, [], [0]),
      y_scale: f32s([], [1]),
      y_zero_point: ints(dtype, [], [yZeroPoint]),
    });
    if (dtype === 'quint8') requests.push({ id: `qlinear_matmul-${dtype}`, op: 'qlinear_matmul@1', attrs: { accumulator: 'int32_wrap' }, inputs: gemmInputs(HUGE, HUGE) });
    requests.push({ id: `qgemm-scales-${dtype}`, op: 'qgemm@1', attrs: { trans_a: false, trans_b: false, alpha: f64ToHex(1), accumulator: 'int32_wrap' }, inputs: gemmInputs(HUGE, HUGE) });
    requests.push({ id: `qgemm-alpha-${dtype}`, op: 'qgemm@1', attrs: { trans_a: false, trans_b: false, alpha: f64ToHex(HUGE), accumulator: 'int32_wrap' }, inputs: gemmInputs(100, 1) });
    const convAttrs = { scheme: 'onnxruntime@1', accumulator: 'int32_wrap', weight_quantization: 'per_tensor', dilation: [1, 1], relu: false, x_scale: f64ToHex(HUGE), x_zero_point: 3, y_scale: f64ToHex(1), y_zero_point: yZeroPoint };
    const weightQuant = { weight_scales: { dtype: 'float64', shape: [1], hex: [f64ToHex(HUGE)] }, weight_zero_points: { dtype: 'int64', shape: [1], values: [0] } };
    // dense 3x3 (impl's WebAssembly conv kernel) and depthwise 3x3 (its depthwise kernel), padded
    requests.push({
      id: `conv-dense-${dtype}`,
      op: 'quantized_conv2d@1',
      attrs: { ...convAttrs, stride: [1, 1], padding: [1, 1], groups: 1 },
      inputs: { x: ints(dtype, [1, 8, 6, 10], mostlyZeroPoint(480, 3, 7)), weight: ints('qint8', [16, 8, 3, 3], Array.from({ length: 1152 }, (_, i) => (i % 7) - 3)), ...weightQuant },
    });
    requests.push({
      id: `conv-depthwise-${dtype}`,
      op: 'quantized_conv2d@1',
      attrs: { ...convAttrs, stride: [1, 1], padding: [1, 1], groups: 16 },
      inputs: { x: ints(dtype, [1, 16, 12, 20], mostlyZeroPoint(3840, 3, 9)), weight: ints('qint8', [16, 1, 3, 3], Array.from({ length: 144 }, (_, i) => (i % 5) - 2)), ...weightQuant },
    });
    requests.push({
      id: `qlinear_conv_nhwc-${dtype}`,
      op: 'qlinear_conv_nhwc@1',
      attrs: { strides: [1, 1], pads: [0, 0, 0, 0], dilations: [1, 1], group: 1, accumulator: 'int32_wrap' },
      inputs: { x: ints(dtype, [1, 1, 2, 1], [0, 1]), x_scale: f32s([], [HUGE]), x_zero_point: ints(dtype, [], [0]), w: ints('qint8', [3, 1, 1, 1], [1, 1, 1]), w_scale: f32s([1], [HUGE]), w_zero_point: ints('qint8', [], [0]), y_scale: f32s([], [1]), y_zero_point: ints(dtype, [], [yZeroPoint]) },
    });
  }
  return requests;
}

/** torch 1.13.1 onednn (quantized::conv2d, quantized::linear), outputs as it returned them. */
function torchOnednnCases(): Array<{ request: WireRequest; torch: number[] }> {
  const cases: Array<{ request: WireRequest; torch: number[] }> = [];
  const rows = [
    // f32(1 / 1e-40) = inf: the bias scale is inf, the output scale 0; bias 0 or -0 scales to NaN, +-1 to +-inf
    { xScale: 1e-40, yScale: 1, bias: [0, -0, 1, -1], relu: false, yZeroPoint: 100, torch: [0, 0, 0, 0] },
    { xScale: 1e-40, yScale: 1, bias: [0, -0, 1, -1], relu: true, yZeroPoint: 100, torch: [100, 100, 100, 100] },
    { xScale: 1e-40, yScale: 1, bias: [0, -0, 1, -1], relu: false, yZeroPoint: 0, torch: [0, 0, 0, 0] },
    // the output scale underflows to 0; a bias of +-3e38 scales to +-inf, and inf * 0 is NaN
    { xScale: 1e-30, yScale: 1e30, bias: [3e38, -3e38, 0, 1], relu: false, yZeroPoint: 100, torch: [0, 0, 100, 100] },
    { xScale: 1e-40, yScale: 1, bias: null, relu: false, yZeroPoint: 100, torch: [100, 100, 100, 100] },
  ];
  for (const [i, r] of rows.entries()) {
    const attrs = { scheme: 'torch-onednn@1', accumulator: 'int32_wrap', weight_quantization: 'per_tensor', relu: r.relu, x_scale: f64ToHex(r.xScale), x_zero_point: 3, y_scale: f64ToHex(r.yScale), y_zero_point: r.yZeroPoint };
    const quant = { weight_scales: { dtype: 'float64', shape: [1], hex: [f64ToHex(0.05)] }, weight_zero_points: { dtype: 'int64', shape: [1], values: [0] }, ...(r.bias ? { bias: f32s([4], r.bias) } : {}) };
    const conv = { stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 };
    cases.push({ request: { id: `onednn-conv-${i}`, op: 'quantized_conv2d@1', attrs: { ...attrs, ...conv }, inputs: { x: ints('quint8', [1, 1, 1, 1], [10]), weight: ints('qint8', [4, 1, 1, 1], [5, 5, 5, 5]), ...quant } }, torch: r.torch });
    cases.push({ request: { id: `onednn-linear-${i}`, op: 'quantized_linear@1', attrs, inputs: { x: ints('quint8', [1, 1], [10]), weight: ints('qint8', [4, 1], [5, 5, 5, 5]), ...quant } }, torch: r.torch });
  }
  return cases;
}

/** A failing case's replay: the request through `qconform eval` on the implementation that differs. */
const replay = (request: WireRequest, evalCommand: string) => `replay: echo '${JSON.stringify(request)}' | ${evalCommand}`;

const wasmCounter: WasmConvCounter = { wasm: 0 };
const IMPLEMENTATIONS = [
  ['reference', reference, 'npx qconform eval --backend reference'],
  ['impl', impl, 'npx qconform eval --backend impl'],
  ['impl, JavaScript path', implOnConvPath('js'), 'QCONFORM_IMPL=js npx qconform eval --backend impl'],
  ['impl, WebAssembly path', implOnConvPath('wasm', wasmCounter), 'QCONFORM_IMPL=wasm npx qconform eval --backend impl'],
] as const;

/**
 * torch-fbgemm@1 (from source; no FBGEMM build here) and torch-onednn@2 (torch 2.6, in a chroot CI does not run here):
 * no recorded outputs, so the reference and impl's paths must agree bit for bit and stay in the dtype. An activation
 * and weight scale of 1e-30 make f32(x_scale * w_scale) 0: FBGEMM's bias in accumulator units is then f32(0 / 0), NaN,
 * or +-inf, and its multiplier 0.
 */
function fromSourceCases(): WireRequest[] {
  const cases: WireRequest[] = [];
  for (const scheme of ['torch-fbgemm@1', 'torch-onednn@2']) {
    for (const [i, [xScale, wScale, yZeroPoint]] of [[1e-30, 1e-30, 100], [1e-40, 0.05, 100], [1e-30, 1e-30, 0]].entries()) {
      const attrs = { scheme, accumulator: 'int32_wrap', weight_quantization: 'per_tensor', relu: false, x_scale: f64ToHex(xScale!), x_zero_point: 3, y_scale: f64ToHex(1), y_zero_point: yZeroPoint };
      const inputs = { x: ints('quint8', [1, 1, 1, 1], [10]), weight: ints('qint8', [3, 1, 1, 1], [5, 5, 5]), weight_scales: { dtype: 'float64', shape: [1], hex: [f64ToHex(wScale!)] }, weight_zero_points: { dtype: 'int64', shape: [1], values: [0] }, bias: f32s([3], [0, 1, -1]) };
      cases.push({ id: `${scheme}-conv-${i}`, op: 'quantized_conv2d@1', attrs: { ...attrs, stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 }, inputs });
    }
  }
  return cases;
}

function valuesOf(r: WireResponse, id: string): { dtype: QuantDtype; values: number[] } {
  expect('outputs' in r, `${id}: ${JSON.stringify(r).slice(0, 300)}`).toBe(true);
  const y = (r as { outputs: Record<string, { dtype: QuantDtype; values: number[] }> }).outputs.y!;
  return { dtype: y.dtype, values: y.values };
}

describe('a NaN inside the float requantization gives the dtype minimum (MAXPS keeps the low bound)', () => {
  it('ONNX Runtime 1.30 (QLinearMatMul, QGemm, QLinearConv dense and depthwise, NHWC QLinearConv): every implementation bit for bit', { timeout: 120_000 }, async () => {
    const ort = await installedOrt();
    const requests = ortRequests();
    const answers = await runThroughOrt(ort, requests);
    let atMinimum = 0;
    for (const [i, request] of requests.entries()) {
      const want = valuesOf(answers[i]!, request.id);
      const { min, max } = DTYPE_RANGE[want.dtype];
      expect(want.values.every((v) => v >= min && v <= max), `${request.id}: ORT stays in ${want.dtype}`).toBe(true);
      atMinimum += want.values.filter((v) => v === min).length;
      for (const [name, ops, evalCommand] of IMPLEMENTATIONS) expect(valuesOf(evaluateRequest(ops, request), request.id).values, `${request.id} on ${name}; ${replay(request, evalCommand)}`).toEqual(want.values);
    }
    // not vacuous: ORT put outputs at the minimum (the NaN lanes), and the WebAssembly path computed the four convs
    expect(atMinimum).toBeGreaterThan(1000);
    expect(wasmCounter.wasm).toBeGreaterThanOrEqual(4);
  });

  it('torch-fbgemm@1 and torch-onednn@2 (no recorded outputs): impl agrees with the reference bit for bit, in the dtype', () => {
    let atZeroPoint = 0;
    for (const request of fromSourceCases()) {
      const want = valuesOf(evaluateRequest(reference, request), request.id).values;
      expect(want.every((v) => v >= 0 && v <= 255), `${request.id}: ${want} in quint8`).toBe(true);
      atZeroPoint += want.filter((v) => v === (request.attrs as { y_zero_point: number }).y_zero_point).length;
      for (const [name, ops, evalCommand] of IMPLEMENTATIONS.slice(1)) expect(valuesOf(evaluateRequest(ops, request), request.id).values, `${request.id} on ${name}; ${replay(request, evalCommand)}`).toEqual(want);
    }
    expect(atZeroPoint, 'not only the zero point: the NaN and inf lanes are in the cases').toBeLessThan(fromSourceCases().length * 3);
  });

  it('torch 1.13 onednn (quantized conv2d and linear): the recorded outputs on every implementation', () => {
    for (const { request, torch } of torchOnednnCases()) {
      for (const [name, ops, evalCommand] of IMPLEMENTATIONS) expect(valuesOf(evaluateRequest(ops, request), request.id).values, `${request.id} on ${name}; ${replay(request, evalCommand)}`).toEqual(torch);
    }
  });
});
