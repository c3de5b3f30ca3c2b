/**
 * ONNX Runtime's conv output size and empty batches, live on onnxruntime-node 1.30: QLinearConv (quantized_conv2d@1,
 * scheme onnxruntime@1, through the ORT adapter), ConvInteger (conv_integer@1) and com.microsoft QLinearConv with
 * channels_last (qlinear_conv_nhwc@1, 1-D to 3-D). ORT sizes each axis as (int64)((double)numerator / stride + 1)
 * (providers/common.h ComputeOutputShape; contract/conv.ts onnxConvOutputSize) and refuses a size <= 0, i.e. every
 * negative numerator, "Invalid input shape" (or onnxruntime-node's "Invalid dimension: -k" at session creation, when
 * ONNX shape inference gives y a dim <= -2), on an empty batch too; an empty batch (N = 0) with sizes >= 1 gives the
 * empty y. qconform refused every empty batch of these ops (empty_output; NHWC shape_mismatch), and the QLinearConv
 * adapter called "Invalid dimension" backend_error. Every request: reference and impl give ORT's y exactly or its code.
 */
import { describe, expect, it } from 'vitest';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { onnxQOpOnOrt } from '../../conformance/backends/onnxruntime/onnx_qops_ort.js';
import { qlinearConv2d } from '../../conformance/backends/onnxruntime/qlinear_conv.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay } from '../support/eval_replay.js';

type Op = 'qlinearconv' | 'convinteger' | 'nhwc';
type Pair = [number, number];
const fill = (n: number, seed: number) => Array.from({ length: n }, (_, i) => (i * 7 + seed * 3) % 11);

/** One request: x [N, C, H, W] (NHWC: [N, H, W, C]), w [2 groups, C / groups, KH, KW], symmetric pads. */
function request(id: string, op: Op, o: { n: number; c?: number; groups?: number; hw: Pair; k: Pair; pad: Pair; stride: Pair; dilation: Pair; dtype?: 'quint8' | 'qint8'; accumulator?: string }): WireRequest {
  const { n, hw: [h, w], k: [kh, kw], pad, stride, dilation } = o;
  const c = o.c ?? 1, groups = o.groups ?? 1, dtype = o.dtype ?? 'quint8', accumulator = o.accumulator ?? 'int32_wrap';
  const wshape = [2 * groups, c / groups, kh, kw];
  const x = fill(n * c * h * w, 1);
  const wv = fill(wshape.reduce((a, b) => a * b, 1), 2).map((v) => v - 5);
  if (op === 'qlinearconv') {
    return { id, op: 'quantized_conv2d@1',
      attrs: { scheme: 'onnxruntime@1', accumulator, stride, padding: pad, dilation, groups, relu: false, x_scale: '3fe0000000000000', x_zero_point: 3, y_scale: '3ff0000000000000', y_zero_point: 5, weight_quantization: 'per_tensor' },
      inputs: { x: { dtype, shape: [n, c, h, w], values: x }, weight: { dtype: 'qint8', shape: wshape, values: wv }, weight_scales: { dtype: 'float64', shape: [1], hex: ['3ff0000000000000'] }, weight_zero_points: { dtype: 'int64', shape: [1], values: [0] }, bias: { dtype: 'int32', shape: [2 * groups], values: Array.from({ length: 2 * groups }, (_, i) => i * 3 - 2) } } };
  }
  const pads = [pad[0], pad[1], pad[0], pad[1]];
  if (op === 'convinteger') {
    return { id, op: 'conv_integer@1', attrs: { strides: stride, pads, dilations: dilation, group: groups, accumulator },
      inputs: { x: { dtype, shape: [n, c, h, w], values: x }, w: { dtype: 'qint8', shape: wshape, values: wv }, x_zero_point: { dtype, shape: [], values: [3] } } };
  }
  return { id, op: 'qlinear_conv_nhwc@1', attrs: { strides: stride, pads, dilations: dilation, group: groups, accumulator },
    inputs: { x: { dtype, shape: [n, h, w, c], values: x }, x_scale: { dtype: 'float32', shape: [], hex: ['3f000000'] }, x_zero_point: { dtype, shape: [], values: [3] }, w: { dtype: 'qint8', shape: wshape, values: wv }, w_scale: { dtype: 'float32', shape: [], hex: ['3f800000'] }, w_zero_point: { dtype: 'qint8', shape: [], values: [0] }, y_scale: { dtype: 'float32', shape: [], hex: ['3f800000'] }, y_zero_point: { dtype, shape: [], values: [5] } } };
}

/** The grid: N = 0, 1, 2; one axis with numerators from -9 to 6 (strides 1-3, dilations 1, 2, 4, pads 0, 1); channels and groups. */
function grid(): { op: Op; r: WireRequest; numerator: number; stride: number }[] {
  const out: { op: Op; r: WireRequest; numerator: number; stride: number }[] = [];
  for (const op of ['qlinearconv', 'convinteger', 'nhwc'] as const) for (const n of [0, 1, 2]) for (const [c, groups] of [[1, 1], [2, 2], [4, 1]] as const) for (const axis of [0, 1]) for (const len of [1, 2, 3]) for (const k of [1, 2, 3]) for (const p of [0, 1]) for (const s of [1, 2, 3]) for (const d of [1, 2, 4]) {
    if (c !== 1 && (d === 4 || s === 3 || n === 2)) continue;
    const along = (v: number, other: number): Pair => (axis === 0 ? [v, other] : [other, v]);
    const id = `${op}-n${n}-c${c}g${groups}-${axis ? 'w' : 'h'}${len}-k${k}-p${p}-s${s}-d${d}`;
    out.push({ op, r: request(id, op, { n, c, groups, hw: along(len, 3), k: along(k, 2), pad: along(p, 0), stride: along(s, 1), dilation: along(d, 1) }), numerator: len + 2 * p - d * (k - 1) - 1, stride: s });
  }
  return out;
}

type Ort = NonNullable<Awaited<ReturnType<typeof loadOrt>>>;
const runOnOrt = (ort: Ort, r: WireRequest): Promise<WireResponse> => (r.op === 'quantized_conv2d@1' ? qlinearConv2d(ort, r) : onnxQOpOnOrt(ort, r));

/** reference and impl give ORT's answer: its y exactly, or its error code. */
function expectOrtAnswer(r: WireRequest, got: WireResponse): void {
  const want = 'error' in got && got.error ? { code: got.error.code } : { y: (got as unknown as { outputs: { y: unknown } }).outputs.y };
  for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
    const mine = evaluateRequest(ops, r) as WireResponse;
    const answer = 'error' in mine && mine.error ? { code: mine.error.code } : { y: (mine as unknown as { outputs: { y: unknown } }).outputs.y };
    expect(answer, `${name}: ${evalReplay(r, 'onnxruntime')}`).toEqual(want);
  }
}

describe('ORT conv output size and empty batches (onnxruntime-node 1.30)', async () => {
  const ort = await loadOrt().catch(() => undefined);

  it.skipIf(!ort)('a grid of N = 0, 1, 2 with numerators from -9 to 6: ORT refuses every negative numerator (empty_output), else y has the floor size', async () => {
    const cases = grid();
    let empty = 0;
    for (const { op, r, numerator, stride } of cases) {
      const got = await runOnOrt(ort!, r);
      const y = 'outputs' in got ? (got.outputs as unknown as { y: { shape: number[] } }).y : null;
      if (numerator < 0) expect('error' in got && got.error?.code, `${op}: ${evalReplay(r, 'onnxruntime')}`).toBe('empty_output');
      else {
        expect(y, `${op}: ${JSON.stringify(got).slice(0, 300)}: ${evalReplay(r, 'onnxruntime')}`).not.toBeNull();
        expect(y!.shape, evalReplay(r, 'onnxruntime')).toContain(Math.floor(numerator / stride) + 1);
        if (y!.shape[0] === 0) empty++;
      }
      expectOrtAnswer(r, got);
    }
    expect(cases.length).toBe(3 * (3 * 2 * 3 * 3 * 2 * 3 * 3 + 2 * 2 * 2 * 3 * 3 * 2 * 2 * 2));
    expect(empty).toBeGreaterThan(300);
  }, 120_000);

  it.skipIf(!ort)('empty batches beside qint8, sat16_pairs_im2col, 1-D and 3-D NHWC, and the prober\'s files', async () => {
    const g = { n: 0, hw: [3, 3] as Pair, k: [2, 2] as Pair, pad: [1, 0] as Pair, stride: [2, 1] as Pair, dilation: [1, 2] as Pair };
    const requests: WireRequest[] = [
      request('qlinearconv-n0-qint8', 'qlinearconv', { ...g, c: 2, dtype: 'qint8' }),
      request('qlinearconv-n0-sat16', 'qlinearconv', { ...g, c: 4, accumulator: 'sat16_pairs_im2col' }),
      request('convinteger-n0-qint8', 'convinteger', { ...g, c: 2, dtype: 'qint8' }),
      request('nhwc-n0-qint8', 'nhwc', { ...g, c: 2, groups: 2, dtype: 'qint8' }),
      // the probed files (p4_min): QLinearConv, ConvInteger and NHWC on x [0, 1, 2, 2] with a 1x1 kernel; x [1, 1, 1, 2], w
      // [1, 1, 1, 2], dilation [1, 4] (OW numerator -3: "Invalid dimension: -2")
      request('qlinearconv-n0-1x1', 'qlinearconv', { n: 0, hw: [2, 2], k: [1, 1], pad: [0, 0], stride: [1, 1], dilation: [1, 1] }),
      request('convinteger-n0-1x1', 'convinteger', { n: 0, hw: [2, 2], k: [1, 1], pad: [0, 0], stride: [1, 1], dilation: [1, 1] }),
      request('nhwc-n0-1x1', 'nhwc', { n: 0, hw: [2, 2], k: [1, 1], pad: [0, 0], stride: [1, 1], dilation: [1, 1] }),
      request('qlinearconv-negative-ow', 'qlinearconv', { n: 1, hw: [1, 2], k: [1, 2], pad: [0, 0], stride: [1, 1], dilation: [1, 4] }),
      request('qlinearconv-n0-negative-ow', 'qlinearconv', { n: 0, hw: [1, 2], k: [1, 2], pad: [0, 0], stride: [1, 1], dilation: [1, 4] }),
    ];
    const nhwc = requests[3]!;
    const xs = (nhwc.inputs!.x as { shape: number[] }).shape;
    const w = nhwc.inputs!.w as { shape: number[]; values: number[] };
    const ws = w.shape;
    // 1-D (x [0, W, C], w [M, C / group, KW]) and 3-D (x [0, D, H, W, C], w [M, C / group, KD, KH, KW]), and a 3-D size of 0 on N = 0
    const oneD = structuredClone(nhwc);
    Object.assign(oneD, { id: 'nhwc-n0-1d', attrs: { strides: [2], pads: [1, 0], dilations: [1], group: 2 } });
    (oneD.inputs!.x as { shape: number[] }).shape = [0, xs[2]!, xs[3]!];
    Object.assign(oneD.inputs!.w as object, { shape: [ws[0]!, ws[1]!, 2], values: w.values.slice(0, ws[0]! * ws[1]! * 2) });
    const threeD = structuredClone(nhwc);
    Object.assign(threeD, { id: 'nhwc-n0-3d', attrs: { strides: [1, 2, 1], pads: [0, 1, 0, 1, 0, 0], dilations: [1, 1, 2], group: 2 } });
    (threeD.inputs!.x as { shape: number[] }).shape = [0, 2, 3, 3, 2];
    Object.assign(threeD.inputs!.w as object, { shape: [4, 1, 2, 2, 2], values: fill(32, 4).map((v) => v - 5) });
    const threeDEmptyOut = structuredClone(threeD);
    Object.assign(threeDEmptyOut, { id: 'nhwc-n0-3d-od0', attrs: { strides: [1, 2, 1], pads: [0, 1, 0, 0, 1, 0], dilations: [3, 1, 2], group: 2 } });
    requests.push(oneD, threeD, threeDEmptyOut);
    const want: Record<string, string | number[]> = {
      // OH = floor((3 + 2 - 1 - 1) / 2) + 1 = 2, OW = (3 - 2 - 1) / 1 + 1 = 1
      'qlinearconv-n0-qint8': [0, 2, 2, 1], 'qlinearconv-n0-sat16': [0, 2, 2, 1], 'convinteger-n0-qint8': [0, 2, 2, 1], 'nhwc-n0-qint8': [0, 2, 1, 4],
      'qlinearconv-n0-1x1': [0, 2, 2, 2], 'convinteger-n0-1x1': [0, 2, 2, 2], 'nhwc-n0-1x1': [0, 2, 2, 2],
      'qlinearconv-negative-ow': 'empty_output', 'qlinearconv-n0-negative-ow': 'empty_output',
      'nhwc-n0-1d': [0, 2, 4], 'nhwc-n0-3d': [0, 2, 2, 1, 4], 'nhwc-n0-3d-od0': 'empty_output',
    };
    for (const r of requests) {
      const got = await runOnOrt(ort!, r);
      const answer = 'error' in got && got.error ? got.error.code : (got as unknown as { outputs: { y: { shape: number[] } } }).outputs.y.shape;
      expect(answer, `${JSON.stringify(got).slice(0, 300)}: ${evalReplay(r, 'onnxruntime')}`).toEqual(want[r.id]);
      expectOrtAnswer(r, got);
    }
  }, 60_000);
});
