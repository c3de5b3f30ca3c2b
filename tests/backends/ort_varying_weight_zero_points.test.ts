/**
 * Per-channel weight zero points that differ between output channels, on ONNX Runtime 1.30's QLinearConv (ONNX, NCHW:
 * quantized_conv2d@1 with scheme onnxruntime@1) and com.microsoft QLinearConv with channels_last (qlinear_conv_nhwc@1).
 * qconform refused them as unsupported_by_scheme, quoting an ORT message ("zero point of per-channel filter must be
 * same") that 1.30 no longer raises: it computes them, one zero point per output channel, reproducibly (a probe ran 60
 * such convs twice each). Here real onnxruntime-node runs seeded convs of every shape family (dense, pointwise,
 * depthwise with a channel multiplier, grouped; uint8 and int8 activations; int8 and uint8 weights), each case with the
 * accumulator ORT uses on this CPU (ort_cpu_attrs.ts), and every implementation must give ORT's outputs bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { f32ToHex, f64ToHex } from '../../contract/wire.js';
import { HOST_CPU } from '../../conformance/backends/cpu/cpu_models.js';
import { cpuFlagsOn } from '../../conformance/backends/cpu/cpu_flags_on.js';
import { ortCpuAttrs } from '../../conformance/backends/onnxruntime/ort_cpu_attrs.js';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { impl, implOnConvPath } from '../../impl/index.js';
import type { WasmConvCounter } from '../../impl/conv/conv2d.js';
import { reference } from '../../reference/index.js';
import { installedOrt } from '../support/installed_ort.js';

const SEED = 'ort-varying-weight-zero-points';
const CASES = 40;
const RANGE = { quint8: [0, 255], qint8: [-128, 127] } as const;

/** One seeded conv: a qlinear_conv_nhwc@1 request and, for int8 weights, the same conv as quantized_conv2d@1 (NCHW). */
function drawConv(r: CaseRandom, i: number): WireRequest[] {
  const xDtype = r.pick(['quint8', 'qint8'] as const);
  const wDtype = xDtype === 'quint8' && r.bool(0.3) ? 'quint8' : 'qint8';
  const [xLo, xHi] = RANGE[xDtype];
  const [wLo, wHi] = RANGE[wDtype];
  const kind = r.pick(['dense', 'pointwise', 'depthwise', 'grouped'] as const);
  const groups = kind === 'depthwise' ? r.int(2, 12) : kind === 'grouped' ? r.int(2, 4) : 1;
  const cg = kind === 'depthwise' ? 1 : r.int(1, 8);
  const mg = kind === 'depthwise' ? r.pick([1, 2]) : r.int(1, 6);
  const [c, m] = [cg * groups, mg * groups];
  const k = kind === 'pointwise' ? 1 : r.pick([2, 3, 5]);
  const [h, w] = [r.int(k, k + 5), r.int(k, k + 5)];
  const pad = kind === 'pointwise' ? 0 : r.int(0, k - 1);
  const stride = r.pick([1, 2]);
  const x = Array.from({ length: h * w * c }, () => r.int(xLo, xHi));
  const weight = Array.from({ length: m * cg * k * k }, () => r.int(wLo, wHi));
  const zeroPoints = Array.from({ length: m }, () => r.int(wLo, wHi));
  if (m > 1) zeroPoints[1] = zeroPoints[0]! === wHi ? wLo : zeroPoints[0]! + 1; // they differ, whatever the draw
  const scales = Array.from({ length: m }, () => Math.fround(0.001 + r.int(1, 100) / 10000));
  const bias = r.bool(0.5) ? Array.from({ length: m }, () => r.int(-50000, 50000)) : null;
  const [xScale, yScale] = [Math.fround(0.02), Math.fround(r.pick([0.05, 0.5, 3]))];
  const [xZeroPoint, yZeroPoint] = [r.int(xLo, xHi), r.int(xLo, xHi)];
  const nhwc: WireRequest = {
    id: `nhwc-${i}-${kind}`,
    op: 'qlinear_conv_nhwc@1',
    attrs: { strides: [stride, stride], pads: [pad, pad, pad, pad], dilations: [1, 1], group: groups, accumulator: 'int32_wrap' },
    inputs: {
      x: { dtype: xDtype, shape: [1, h, w, c], values: x },
      x_scale: { dtype: 'float32', shape: [], hex: [f32ToHex(xScale)] },
      x_zero_point: { dtype: xDtype, shape: [], values: [xZeroPoint] },
      w: { dtype: wDtype, shape: [m, cg, k, k], values: weight },
      w_scale: { dtype: 'float32', shape: [m], hex: scales.map(f32ToHex) },
      w_zero_point: { dtype: wDtype, shape: [m], values: zeroPoints },
      y_scale: { dtype: 'float32', shape: [], hex: [f32ToHex(yScale)] },
      y_zero_point: { dtype: xDtype, shape: [], values: [yZeroPoint] },
      ...(bias ? { bias: { dtype: 'int32', shape: [m], values: bias } } : {}),
    },
  };
  if (wDtype !== 'qint8') return [nhwc];
  const nchwX = Array.from({ length: c * h * w }, (_, j) => x[(j % (h * w)) * c + Math.floor(j / (h * w))]!);
  const nchw: WireRequest = {
    id: `nchw-${i}-${kind}`,
    op: 'quantized_conv2d@1',
    attrs: { scheme: 'onnxruntime@1', accumulator: 'int32_wrap', weight_quantization: 'per_channel', stride: [stride, stride], padding: [pad, pad], dilation: [1, 1], groups, relu: false, x_scale: f64ToHex(xScale), x_zero_point: xZeroPoint, y_scale: f64ToHex(yScale), y_zero_point: yZeroPoint },
    inputs: {
      x: { dtype: xDtype, shape: [1, c, h, w], values: nchwX },
      weight: { dtype: 'qint8', shape: [m, cg, k, k], values: weight },
      weight_scales: { dtype: 'float64', shape: [m], hex: scales.map(f64ToHex) },
      weight_zero_points: { dtype: 'int64', shape: [m], values: zeroPoints },
      ...(bias ? { bias: { dtype: 'int32', shape: [m], values: bias } } : {}),
    },
  };
  return [nhwc, nchw];
}

const outputValues = (r: WireResponse, id: string): number[] => {
  expect('outputs' in r, `${id}: ${JSON.stringify(r).slice(0, 300)}`).toBe(true);
  return (r as unknown as { outputs: { y: { values: number[] } } }).outputs.y.values;
};

describe('weight zero points that differ per output channel, as ONNX Runtime 1.30 computes them', () => {
  it(`${CASES} seeded convs (NHWC and NCHW): reference, impl and impl's two conv paths give ORT's outputs bit for bit`, { timeout: 120_000 }, async () => {
    const ort = await installedOrt();
    const flags = cpuFlagsOn(HOST_CPU);
    const r = new CaseRandom(SEED);
    const requests = Array.from({ length: CASES }, (_, i) => drawConv(r, i))
      .flat()
      .map((q) => ortCpuAttrs(q, flags, { unmodelled: 'throw' }));
    const answers = await runThroughOrt(ort, requests);
    const wasm: WasmConvCounter = { wasm: 0 };
    const implementations = [
      ['reference', reference],
      ['impl', impl],
      ['impl, JavaScript path', implOnConvPath('js')],
      ['impl, WebAssembly path', implOnConvPath('wasm', wasm)],
    ] as const;
    for (const [i, request] of requests.entries()) {
      const want = outputValues(answers[i]!, request.id);
      for (const [name, ops] of implementations) {
        expect(outputValues(evaluateRequest(ops, request), request.id), `${request.id} on ${name} (seed ${SEED}; replay: echo '${JSON.stringify(request)}' | npx qconform eval --backend reference)`).toEqual(want);
      }
    }
    // not vacuous: both ops ran, WebAssembly computed convs, and the outputs are not all one value
    expect(requests.filter((q) => q.op === 'quantized_conv2d@1').length).toBeGreaterThan(5);
    expect(wasm.wasm).toBeGreaterThan(5);
    expect(new Set(answers.flatMap((a, i) => outputValues(a, requests[i]!.id))).size).toBeGreaterThan(50);
  });
});
