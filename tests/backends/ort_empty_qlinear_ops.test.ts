/**
 * Empty tensors of the com.microsoft QLinear activations, pools, concat and where, NhwcMaxPool and GatherBlockQuantized
 * (empty data), as ONNX Runtime 1.30 (onnxruntime-node, this host's CPU) computes them. Each request runs twice through
 * ORT; an output that changed between the runs would be unwritten memory (none did).
 *   - ORT's empty outputs: QLinearSigmoid / QLinearLeakyRelu of an empty x, QLinearWhere of an empty broadcast,
 *     QLinearGlobalAveragePool with N = 0 or C = 0, QLinearAveragePool and NhwcMaxPool with N = 0 (any C and spatial
 *     dims), NhwcMaxPool and QLinearAveragePool (channels_last 0) with a pooled size of 0 (the sweep of such kernels is
 *     tests/backends/ort_average_pool_overhang.test.ts), GatherBlockQuantized with empty data; QLinearConcat skips empty inputs,
 *     so its y is the other inputs requantized (not empty): reference and impl give ORT's dtype, shape and values.
 *   - ORT's errors, refused with a message that says so: an empty x with N > 0 for the pools ("Only N can be zero"), an
 *     image of 0 positions and an out-of-range scale on an empty input for the global pool, a negative pooled size,
 *     an index into an empty gather axis.
 *   - ORT's crashes, refused: QLinearSoftmax of an empty x (SIGSEGV: its kernel creates no output) and a channels_last
 *     QLinearAveragePool whose pooled size is 0 (SIGFPE, 1 to 3 spatial dims, N = 0 too), and (the one bypass,
 *     RUN_KNOWN_CRASHES_ENV, covers every op) an empty blocked QuantizeLinear (SIGFPE), run in ORT's own process
 *     (ort_server.ts) to see them die.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runThroughOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { hex64, wireF32, wireInt } from '../../conformance/cases/builders.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { runVectorLines } from '../support/cli_process.js';
import { expectNotRunReported } from '../support/not_run_report.js';
import { evalReplay } from '../support/eval_replay.js';
import { inOrtProcess as inOrtProcessOf } from '../support/ort_crash_process.js';
import { installedOrt } from '../support/installed_ort.js';

const runDir = mkdtempSync(join(tmpdir(), 'qconform-ort-crashes-'));
afterAll(() => rmSync(runDir, { recursive: true, force: true }));

type Q8 = 'quint8' | 'qint8';
const DTYPES: readonly Q8[] = ['quint8', 'qint8'];
const n = (s: readonly number[]) => s.reduce((x, y) => x * y, 1);
/** Values that differ per element (so a skipped or misplaced input would show). */
const q = (dtype: Q8, s: number[], v = 7) => wireInt(dtype, s, Array.from({ length: n(s) }, (_, i) => (v + i * 37) % 100));
const f32 = (v: number) => wireF32([], [v]);
const zp = (dtype: Q8, v: number) => wireInt(dtype, [], [v]);
const scales = (dtype: Q8, yScale = 0.2) => ({ x_scale: f32(0.1), x_zero_point: zp(dtype, 5), y_scale: f32(yScale), y_zero_point: zp(dtype, 9) });

let serial = 0;
const req = (op: string, attrs: Record<string, unknown>, inputs: Record<string, unknown>, tag: string): WireRequest => ({ id: `${op.split('@')[0]}-${serial++}-${tag}`, op, attrs, inputs } as WireRequest);

function lookups(dtype: Q8): WireRequest[] {
  return [[0], [2, 0], [1, 0, 5]].flatMap((s) => [
    req('qlinear_sigmoid@1', {}, { x: q(dtype, s), ...scales(dtype, 0.01) }, `${dtype}${JSON.stringify(s)}`),
    req('qlinear_leaky_relu@1', { alpha: hex64(0.1) }, { x: q(dtype, s), ...scales(dtype, 0.01) }, `${dtype}${JSON.stringify(s)}`),
  ]);
}

function wheres(dtype: Q8): WireRequest[] {
  const forms: [number[], number[], number[]][] = [[[0], [1], [1]], [[1], [2, 0], []], [[3, 1], [0], [1]], [[], [], [0]], [[2, 1], [1, 0], [2, 1]], [[0], [0], [0]]];
  return forms.map(([c, x, y]) =>
    req('qlinear_where@1', {}, { condition: wireInt('uint8', c, Array(n(c)).fill(1)), x: q(dtype, x), x_scale: f32(0.1), x_zero_point: zp(dtype, 5), y: q(dtype, y, 3), y_scale: f32(0.2), y_zero_point: zp(dtype, 6), z_scale: f32(0.3), z_zero_point: zp(dtype, 9) }, `${dtype}c${JSON.stringify(c)}x${JSON.stringify(x)}y${JSON.stringify(y)}`),
  );
}

function concat(dtype: Q8, shapes: number[][], axis: number): WireRequest {
  const inputs: Record<string, unknown> = { y_scale: f32(0.25), y_zero_point: zp(dtype, 9) };
  shapes.forEach((s, i) => Object.assign(inputs, { [`x${i}`]: q(dtype, s, 11 * i + 3), [`x${i}_scale`]: f32(0.1 * (i + 1)), [`x${i}_zero_point`]: zp(dtype, 2 + i) }));
  return req('qlinear_concat@1', { axis }, inputs, `${dtype}${JSON.stringify(shapes)}ax${axis}`);
}

const concats = (dtype: Q8) => ([[[[2, 0], [2, 3]], 1], [[[2, 3], [2, 0], [2, 2]], 1], [[[0, 3], [0, 2]], 1], [[[0, 3], [2, 3]], 0], [[[2, 0], [2, 0]], 1], [[[0]], 0], [[[3], [0]], 0]] as [number[][], number][]).map(([s, axis]) => concat(dtype, s, axis));

const avgPool = (dtype: Q8, s: number[], channelsLast: boolean, kernel: number[], pads: number[], yScale = 0.2, strides = kernel.map(() => 1), ceil = false) =>
  req('qlinear_average_pool@1', { kernel_shape: kernel, pads, strides, ceil_mode: ceil, count_include_pad: ceil, channels_last: channelsLast }, { x: q(dtype, s), ...scales(dtype, yScale) }, `${dtype}${JSON.stringify(s)}cl${channelsLast}k${kernel}p${pads}s${strides}c${+ceil}`);
const globalPool = (dtype: Q8, s: number[], channelsLast: boolean, yScale = 0.2) =>
  req('qlinear_global_average_pool@1', { channels_last: channelsLast }, { x: q(dtype, s), ...scales(dtype, yScale) }, `${dtype}${JSON.stringify(s)}cl${channelsLast}y${yScale}`);
const maxPool = (dtype: Q8, s: number[], kernel: number[], pads: number[], dilations = kernel.map(() => 1)) =>
  req('nhwc_max_pool@1', { kernel_shape: kernel, pads, strides: kernel.map(() => 1), dilations, ceil_mode: false }, { x: q(dtype, s) }, `${dtype}${JSON.stringify(s)}k${kernel}p${pads}d${dilations}`);

function pools(dtype: Q8): WireRequest[] {
  const p0 = [0, 0, 0, 0];
  const p1 = [1, 1, 1, 1];
  return [
    ...[[0, 2, 4, 4], [2, 0, 4, 4], [0, 2, 5], [2, 0, 5]].map((s) => globalPool(dtype, s, false)),
    ...[[0, 4, 4, 2], [2, 4, 4, 0]].map((s) => globalPool(dtype, s, true)),
    avgPool(dtype, [0, 2, 4, 4], false, [2, 2], p0),
    avgPool(dtype, [0, 2, 4, 4], false, [2, 2], p1),
    avgPool(dtype, [0, 2, 4, 4], false, [4, 4], p0), // ORT's global shortcut (MLAS), scale in range
    avgPool(dtype, [0, 4, 4, 2], true, [2, 2], p0),
    avgPool(dtype, [0, 4, 4, 2], true, [5, 5], p1),
    avgPool(dtype, [0, 2, 5], false, [2], [1, 1]),
    avgPool(dtype, [0, 0, 4, 4], false, [5, 5], p1),
    avgPool(dtype, [0, 2, 0, 4], false, [2, 2], p1),
    avgPool(dtype, [0, 0, 4, 3], true, [2, 2], p1),
    avgPool(dtype, [2, 2, 4, 4], false, [5, 5], p0), // pooled 0 (channels_last 0)
    avgPool(dtype, [2, 2, 4, 4], false, [5, 2], p0, 0.2, [1, 1], true), // pooled 0 along dim 0, ceil_mode, count_include_pad
    avgPool(dtype, [2, 2, 3], false, [5], [1, 0]), // 1-D, pooled 0 with a head pad
    avgPool(dtype, [0, 2, 3, 3, 3], false, [2, 2, 5], [0, 0, 0, 0, 0, 1]), // 3-D, N = 0, pooled 0 along dim 2
    maxPool(dtype, [0, 4, 4, 2], [2, 2], p0),
    maxPool(dtype, [0, 4, 4, 2], [2, 2], p1),
    maxPool(dtype, [0, 4, 4, 2], [5, 5], p0), // pooled 0
    maxPool(dtype, [2, 4, 4, 2], [5, 5], p0), // pooled 0 with N > 0
    maxPool(dtype, [2, 4, 4, 2], [2, 2], p0, [4, 4]), // pooled 0 by dilation
    maxPool(dtype, [0, 0, 4, 3], [1, 1], p0),
    maxPool(dtype, [0, 0, 4, 3], [2, 2], p1),
    maxPool(dtype, [0, 5, 1], [3], [1, 1]),
  ];
}

/** GatherBlockQuantized with empty data (float16 scales of 1.0), its indices empty or not. */
function gathers(): WireRequest[] {
  const g = (dtype: string, data: number[], indices: number[], idxShape: number[], scaleShape: number[], attrs: Record<string, unknown>, tag: string) =>
    req('gather_block_quantized@1', attrs, { data: wireInt(dtype as 'uint8', data, []), indices: wireInt('int64', idxShape, indices), scales: { dtype: 'float16', shape: scaleShape, hex: Array(n(scaleShape)).fill('3c00') } }, tag);
  return [
    g('int4', [0, 32], [], [0], [0, 1], { gather_axis: 0, quantize_axis: 1, block_size: 32 }, 'int4[0,32]g0'),
    g('int4', [0, 32], [0, 0], [2], [0, 1], { gather_axis: 1, quantize_axis: 1, block_size: 32 }, 'int4[0,32]g1'),
    g('int4', [4, 0], [1], [1], [4, 0], { gather_axis: 0, quantize_axis: 1, block_size: 32 }, 'int4[4,0]q1'),
    g('int4', [4, 0], [1, 2], [2], [1, 0], { gather_axis: 0, quantize_axis: 0, block_size: 32 }, 'int4[4,0]q0'),
    g('uint4', [3, 0, 32], [2], [1], [3, 0, 1], { gather_axis: 0, quantize_axis: 2, block_size: 32 }, 'uint4[3,0,32]'),
    g('uint8', [0, 16], [], [0], [0, 1], { gather_axis: 0, quantize_axis: 1, block_size: 32, bits: 4 }, 'uint8[0,16]b4'),
    g('uint8', [3, 0], [1], [1], [3, 0], { gather_axis: 0, quantize_axis: 1, block_size: 32, bits: 4 }, 'uint8[3,0]b4'),
    g('uint8', [3, 0], [1], [1], [3, 0], { gather_axis: 0, quantize_axis: 1, block_size: 32, bits: 8 }, 'uint8[3,0]b8'),
    g('int4', [0, 32], [0], [1], [0, 1], { gather_axis: 0, quantize_axis: 1, block_size: 32 }, 'int4[0,32]-index-0-of-0'),
  ];
}

type Tensor = { dtype: string; shape: number[]; values?: number[]; hex?: string[] };
type Answer = { outputs?: { y: Tensor }; error?: { code: string; message: string } };
const replay = evalReplay;

/** Refusals: what ORT 1.30 says (a substring of its error) and the code and message parts qconform answers with. */
interface Refusal {
  readonly request: WireRequest;
  readonly ort: string;
  readonly code: string;
  readonly message: readonly string[];
}

function refusals(): Refusal[] {
  const onlyN = ['x', 'Only N can be zero'];
  return DTYPES.flatMap((dtype): Refusal[] => [
    { request: globalPool(dtype, [2, 3, 0, 4], false), ort: 'parameter out of computation range', code: 'unsupported_by_scheme', message: ['0 positions', 'parameter out of computation range'] },
    { request: globalPool(dtype, [0, 2, 4, 4], false, 1e-6), ort: 'parameter out of computation range', code: 'unsupported_by_scheme', message: ['computation range'] },
    { request: globalPool(dtype, [2, 4, 4, 0], true, 1e-6), ort: 'parameter out of computation range', code: 'unsupported_by_scheme', message: ['computation range'] },
    { request: avgPool(dtype, [2, 0, 4, 4], false, [2, 2], [0, 0, 0, 0]), ort: 'Only N can be zero', code: 'shape_mismatch', message: onlyN },
    { request: avgPool(dtype, [2, 4, 4, 0], true, [1, 1], [0, 0, 0, 0]), ort: 'Only N can be zero', code: 'shape_mismatch', message: onlyN },
    { request: avgPool(dtype, [2, 3, 0], false, [1], [0, 0]), ort: 'Only N can be zero', code: 'shape_mismatch', message: onlyN },
    { request: maxPool(dtype, [2, 4, 4, 0], [2, 2], [0, 0, 0, 0]), ort: 'Only N can be zero', code: 'shape_mismatch', message: onlyN },
    { request: maxPool(dtype, [2, 0, 4, 3], [1, 1], [0, 0, 0, 0]), ort: 'Only N can be zero', code: 'shape_mismatch', message: onlyN },
    { request: maxPool(dtype, [0, 4, 4, 2], [6, 6], [0, 0, 0, 0]), ort: 'Calculated output dimension is negative', code: 'empty_output', message: ['negative', 'Calculated output dimension is negative'] },
    { request: avgPool(dtype, [2, 2, 4, 4], false, [6, 2], [0, 0, 0, 0]), ort: 'Calculated output dimension is negative', code: 'empty_output', message: ['negative', 'Calculated output dimension is negative'] },
    { request: avgPool(dtype, [2, 4, 4, 2], true, [7, 2], [0, 0, 0, 0]), ort: 'Invalid dimension', code: 'empty_output', message: ['negative', 'Invalid dimension'] },
  ]).concat([{ request: gathers().at(-1)!, ort: 'indices', code: 'invalid_integer', message: ['indices[0]', '[-0, 0)'] }]);
}

const inOrtProcess = (request: WireRequest) => inOrtProcessOf<Answer>(request);

describe('empty tensors of the QLinear activations, pools, concat, where, NhwcMaxPool and GatherBlockQuantized, as ONNX Runtime 1.30 computes them', () => {
  it("ORT's outputs, the same on two runs: reference and impl give its dtype, shape and values", { timeout: 120_000 }, async () => {
    const ort = await installedOrt();
    const requests = [...DTYPES.flatMap((d) => [...lookups(d), ...wheres(d), ...concats(d), ...pools(d)]), ...gathers().slice(0, -1)];
    const [first, second] = [await runThroughOrt(ort, requests), await runThroughOrt(ort, requests)];
    let nonEmpty = 0;
    for (const [i, request] of requests.entries()) {
      const want = (first[i] as Answer).outputs?.y;
      expect(want, `${request.id}: ORT answers ${JSON.stringify(first[i]).slice(0, 300)}`).toBeDefined();
      expect(second[i], `${request.id}: the same output on a second run`).toEqual(first[i]);
      if (n(want!.shape) > 0) {
        nonEmpty++;
        expect(request.op, `${request.id}: only QLinearConcat gives a non-empty y here`).toBe('qlinear_concat@1');
      }
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        expect((evaluateRequest(ops, request) as Answer).outputs?.y ?? evaluateRequest(ops, request), replay(request, name)).toEqual(want);
      }
    }
    expect(new Set(requests.map((r) => r.op)).size).toBe(8);
    // QLinearConcat's partly empty inputs: ORT requantizes the others (values compared above, bit for bit)
    expect(nonEmpty).toBe(8);
  });

  it('ORT errors: reference and impl refuse with a message that says what ORT does', { timeout: 120_000 }, async () => {
    const ort = await installedOrt();
    const cases = refusals();
    const answers = await runThroughOrt(ort, cases.map((c) => c.request));
    for (const [i, c] of cases.entries()) {
      const ortError = (answers[i] as Answer).error;
      expect(ortError?.message, `${c.request.id}: ORT refuses (${JSON.stringify(answers[i]).slice(0, 300)})`).toContain(c.ort);
      expect(ortError?.message, `${c.request.id}: ORT itself answered`).not.toMatch(/^not run on ORT/);
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        const error = (evaluateRequest(ops, c.request) as Answer).error;
        expect(error?.code, replay(c.request, name)).toBe(c.code);
        for (const part of c.message) expect(error?.message, replay(c.request, name)).toContain(part);
      }
    }
  });

  it('ORT crashes: QLinearSoftmax of an empty x (SIGSEGV), a channels_last average pool of pooled size 0 and an empty blocked QuantizeLinear (SIGFPE) kill its process; qconform refuses them', { timeout: 120_000 }, async () => {
    const softmax = (dtype: Q8, s: number[], opset: number, axis: number) =>
      req('qlinear_softmax@1', { opset, axis }, { x: q(dtype, s), x_scale: f32(0.125), x_zero_point: zp(dtype, 5), y_scale: f32(1 / 256), y_zero_point: zp(dtype, dtype === 'quint8' ? 0 : -128) }, `${dtype}${JSON.stringify(s)}op${opset}ax${axis}`);
    const crashes: [WireRequest, NodeJS.Signals, string, readonly string[]][] = [
      [softmax('quint8', [2, 0], 13, -1), 'SIGSEGV', 'shape_mismatch', ['returns before creating its output', 'SIGSEGV']],
      [softmax('qint8', [0, 4], 1, 1), 'SIGSEGV', 'shape_mismatch', ['returns before creating its output', 'SIGSEGV']],
      [avgPool('quint8', [2, 4, 4, 2], true, [5, 5], [0, 0, 0, 0]), 'SIGFPE', 'empty_output', ['larger than the padded input', 'SIGFPE']],
      [avgPool('qint8', [0, 4, 4, 2], true, [5, 2], [0, 0, 0, 0]), 'SIGFPE', 'empty_output', ['larger than the padded input', 'SIGFPE']],
      [avgPool('quint8', [2, 3, 2], true, [5], [1, 0], 0.2, [1], true), 'SIGFPE', 'empty_output', ['larger than the padded input', 'SIGFPE']],
      [avgPool('quint8', [2, 3, 3, 3, 2], true, [2, 6, 2], [0, 0, 0, 0, 0, 0], 0.2, [1, 2, 1]), 'SIGFPE', 'empty_output', ['larger than the padded input', 'SIGFPE']],
      // the one bypass covers the QuantizeLinear adapter too: an empty blocked QuantizeLinear of axis size 0 (contract/qdq_ort_crash.ts)
      [req('quantize_linear@1', { dtype: 'int8', axis: 1, block_size: 1 }, { x: wireF32([2, 0], []), y_scale: wireF32([2, 0], []), y_zero_point: wireInt('int8', [2, 0], []) }, 'blocked-k0'), 'SIGFPE', 'empty_output', ['ORT 1.30 dies', 'SIGFPE']],
    ];
    for (const [request, signal, code, message] of crashes) {
      const died = await inOrtProcess(request);
      expect(died, `${request.id}: ORT's process dies of ${signal}`).toEqual({ answer: null, signal });
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) {
        const error = (evaluateRequest(ops, request) as Answer).error;
        expect(error?.code, replay(request, name)).toBe(code);
        for (const part of message) expect(error?.message, replay(request, name)).toContain(part);
      }
    }
    // `qconform run --backend onnxruntime` (ORT in the runner's own process on this host) does not die of them: the
    // backend answers the contract's refusal without running ORT, marked not_run, every case gets its verdict (not-run)
    // and the reports are written
    // a crash behind another refusal: explicit pads beside auto_pad VALID (the contract refuses the pair; ORT lets
    // auto_pad win, so its pooled size is 0 and it dies of SIGFPE)
    const behind = avgPool('quint8', [1, 2, 2, 1], true, [3, 3], [1, 1, 1, 1]);
    behind.attrs = { ...behind.attrs, auto_pad: 'VALID' };
    for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) expect((evaluateRequest(ops, behind) as Answer).error?.code, replay(behind, name)).toBe('invalid_geometry');
    expect(await inOrtProcess(behind), `${behind.id}: ORT's process dies of SIGFPE`).toEqual({ answer: null, signal: 'SIGFPE' });
    crashes.push([behind, 'SIGFPE', 'invalid_geometry', []]);
    const asVectors = crashes.map(([request, , code], i) => ({ ...request, id: `${request.op.replace(/@\d+$/, '')}-9000${i}`, expect: { error: { code } } })); // vector ids: op-NNNNN
    // not vacuous: the same process answers a non-empty softmax, and the NCHW twin of the pool (an empty y there)
    const aliveRequest = softmax('quint8', [1, 4], 13, -1);
    const alive = await inOrtProcess(aliveRequest);
    expect(alive.signal).toBeNull();
    expect(alive.answer?.outputs?.y.shape).toEqual([1, 4]);
    // each reported as not run on ORT (its own verdict, a JUnit <skipped>), not as ORT's pass; with a case ORT answers
    // beside them (a run of not-run cases only judged nothing and fails), the run passes (exit 0)
    const ran = { ...aliveRequest, id: 'qlinear_softmax-90100', expect: { outputs: alive.answer!.outputs } };
    expectNotRunReported(await runVectorLines(runDir, 'onnxruntime', [...asVectors, ran]), asVectors.map((v) => v.id), [ran.id], /^not run on ORT \(its process dies of this request's shape: /);
    const nchw = await inOrtProcess(avgPool('quint8', [2, 2, 4, 4], false, [5, 5], [0, 0, 0, 0]));
    expect(nchw.answer?.outputs?.y.shape).toEqual([2, 2, 0, 0]);
    // and a channels_last kernel larger than the padded input whose stride 2 makes its pooled size 1: values, as qconform's
    const overhang = avgPool('quint8', [2, 4, 4, 2], true, [5, 5], [0, 0, 0, 0], 0.2, [2, 2], true);
    const answered = await inOrtProcess(overhang);
    expect(answered.answer?.outputs?.y.shape).toEqual([2, 1, 1, 2]);
    for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) expect((evaluateRequest(ops, overhang) as Answer).outputs?.y, replay(overhang, name)).toEqual(answered.answer?.outputs?.y);
  });
});
