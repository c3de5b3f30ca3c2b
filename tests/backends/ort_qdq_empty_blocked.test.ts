/**
 * Empty blocked QuantizeLinear on ONNX Runtime 1.30 (onnxruntime-node 1.30.0, live): some shapes kill ORT's process
 * (SIGFPE / SIGSEGV, contract/qdq_ort_crash.ts), so each model runs in a child node process that loads
 * onnxruntime-node and runs the one-node models of conformance/backends/onnxruntime/qdq_model.ts one after another; a
 * death is recorded and the next child starts after the model that killed it. Checked over a grid of M (dims before the
 * axis: none, 0, 2), K (axis size 0-3) and N (dims after it: none, 0, 1, 2, [2, 0]), block_size 1 and 2, for int8,
 * uint16, int4 and uint4:
 *   - ORT dies exactly where ortBlockedQuantizeDies says;
 *   - there, reference and impl refuse (empty_output, a message saying ORT dies) and so does the ORT built-in (ORT_OPS,
 *     its known-crash guard ort_known_crashes.ts: ORT runs in this process, so had it sent the request on, this test
 *     process would have died), its message saying ORT was not run;
 *   - elsewhere, reference, impl and ORT_OPS all give the child's ORT output shape, and ORT_OPS's output is reference's.
 * Blocked DequantizeLinear on the same shapes never dies and equals reference.
 */
import { spawnSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { wireF32, wireInt } from '../../conformance/cases/builders.js';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { ORT_OPS } from '../../conformance/backends/onnxruntime/onnxruntime_ops.js';
import { installedOrt } from '../support/installed_ort.js';

/** The ORT backend's own entry point for these ops (ORT_OPS: the adapter, qdq.ts, behind the known-crash guard). */
const ortQdq: NonNullable<(typeof ORT_OPS)[string]> = (ort, r) => ORT_OPS[r.op]!(ort, r);
import { dequantizeLinearModel, quantizeLinearModel } from '../../conformance/backends/onnxruntime/qdq_model.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import type { OnnxIntDtype } from '../../contract/onnx_dtypes.js';
import { ortBlockedQuantizeDies } from '../../contract/qdq_ort_crash.js';
import { f32Tensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { evalReplay } from '../support/eval_replay.js';

const n = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const DTYPES: readonly OnnxIntDtype[] = ['int8', 'uint16', 'int4', 'uint4'];
const CARRIED: Partial<Record<OnnxIntDtype, string>> = { int4: 'int8', uint4: 'uint8' };

interface Case {
  readonly request: WireRequest;
  readonly model: Uint8Array;
  readonly feed: { type: string; shape: number[] };
  readonly layout: { outer: number; axisSize: number; inner: number };
  readonly dtype: OnnxIntDtype;
}

function cases(op: 'q' | 'dq'): Case[] {
  const out: Case[] = [];
  for (const dtype of DTYPES)
    for (const pre of [[], [0], [2]])
      for (const k of [0, 1, 3])
        for (const post of [[], [0], [1], [2], [2, 0]])
          for (const blockSize of [1, 2]) {
            const shape = [...pre, k, ...post];
            if (n(shape) !== 0) continue;
            const axis = pre.length;
            const sShape = shape.map((d, i) => (i === axis ? Math.ceil(d / blockSize) : d));
            const scale = f32Tensor(sShape, new Array(n(sShape)).fill(0.5));
            const zp = intTensor(dtype, sShape, new Array(n(sShape)).fill(1));
            const layout = { outer: n(pre), axisSize: k, inner: n(post) };
            const id = `${op} ${dtype} x${JSON.stringify(shape)} axis ${axis} block_size ${blockSize}`;
            const attrs = { axis, block_size: blockSize };
            if (op === 'q') {
              const request = { id, op: 'quantize_linear@1', attrs: { ...attrs, dtype }, inputs: { x: wireF32(shape, []), y_scale: wireF32(sShape, scale.data as unknown as number[]), y_zero_point: wireInt(dtype, sShape, [...zp.data]) } } as WireRequest;
              const model = quantizeLinearModel({ x: f32Tensor(shape, []), yScale: scale, yZeroPoint: zp, dtype, axis, blockSize, saturate: 1 }, dtype, dtype);
              out.push({ request, model, feed: { type: 'float32', shape }, layout, dtype });
            } else {
              const request = { id, op: 'dequantize_linear@1', attrs, inputs: { x: wireInt(dtype, shape, []), x_scale: wireF32(sShape, scale.data as unknown as number[]), x_zero_point: wireInt(dtype, sShape, [...zp.data]) } } as WireRequest;
              const model = dequantizeLinearModel({ x: intTensor(dtype, shape, []), xScale: scale, xZeroPoint: zp, axis, blockSize }, dtype, dtype);
              out.push({ request, model, feed: { type: CARRIED[dtype] ?? dtype, shape }, layout, dtype });
            }
          }
  return out;
}

/** The child: one JSON line per model ({model: base64, feed}); prints "ok <dims>" or "err <message>" per model. */
const CHILD = `
const ort = require('onnxruntime-node');
const A = { float32: Float32Array, int8: Int8Array, uint8: Uint8Array, int16: Int16Array, uint16: Uint16Array };
(async () => {
  for (const line of require('fs').readFileSync(0, 'utf8').split('\\n').filter(Boolean)) {
    const r = JSON.parse(line);
    try {
      const s = await ort.InferenceSession.create(Buffer.from(r.model, 'base64'), { intraOpNumThreads: 1, interOpNumThreads: 1, executionMode: 'sequential', graphOptimizationLevel: 'disabled', logSeverityLevel: 4 });
      const out = await s.run({ x: new ort.Tensor(r.feed.type, new A[r.feed.type](0), r.feed.shape) });
      process.stdout.write('ok ' + JSON.stringify(out.y.dims) + '\\n');
      await s.release();
    } catch (e) { process.stdout.write('err ' + String(e.message).split('\\n')[0] + '\\n'); }
  }
})();`;

/** Each case's ORT answer in child processes: "ok <dims>", "err ...", or "died <signal>". */
function inChildren(cs: readonly Case[]): string[] {
  const results: string[] = [];
  while (results.length < cs.length) {
    const rest = cs.slice(results.length);
    const input = rest.map((c) => JSON.stringify({ model: Buffer.from(c.model).toString('base64'), feed: c.feed })).join('\n') + '\n';
    const r = spawnSync(process.execPath, ['-e', CHILD], { input, encoding: 'utf8', cwd: process.cwd() });
    const lines = r.stdout.split('\n').filter(Boolean);
    results.push(...lines);
    if (r.signal === null && r.status === 0) expect(lines.length, `child stderr: ${r.stderr.slice(0, 300)}`).toBe(rest.length);
    else if (results.length < cs.length) results.push(`died ${r.signal ?? r.status}`);
  }
  return results;
}

type Answer = { outputs?: Record<string, { shape: number[] }>; error?: { code: string; message: string } };
const replay = evalReplay;

describe('empty blocked QuantizeLinear: ORT 1.30 dies on some shapes, qconform refuses exactly those', () => {
  it('the crash rule, live in child processes; refusals from reference, impl and the ORT adapter; ORT outputs elsewhere', { timeout: 300_000 }, async () => {
    const ort = await installedOrt();
    const cs = cases('q');
    const answers = inChildren(cs);
    let died = 0;
    for (const [i, c] of cs.entries()) {
      const dies = ortBlockedQuantizeDies(c.dtype, { kind: 'blocked', blockSize: 1, ...c.layout });
      expect(answers[i]!.startsWith('died'), `${c.request.id}: ORT answers "${answers[i]}"; qconform's rule says it ${dies ? 'dies' : 'answers'}`).toBe(dies);
      const adapter = (await ortQdq(ort!, c.request)) as Answer;
      if (dies) {
        died++;
        expect(answers[i]).toMatch(/^died SIG(FPE|SEGV)$/);
        for (const [name, answer] of [['reference', evaluateRequest(reference, c.request)], ['impl', evaluateRequest(impl, c.request)], ['onnxruntime', adapter]] as const) {
          expect((answer as Answer).error?.code, replay(c.request, name)).toBe('empty_output');
          expect((answer as Answer).error?.message, replay(c.request, name)).toContain('ORT 1.30 dies');
        }
        expect(adapter.error?.message, `${c.request.id}: the one not-run message of the ORT backend`).toMatch(/^not run on ORT \(its process dies of this request's shape: ORT 1\.30 dies on this empty blocked QuantizeLinear/);
      } else {
        expect(answers[i], c.request.id).toBe(`ok ${JSON.stringify(c.feed.shape)}`);
        expect(adapter.outputs?.y?.shape, `${c.request.id}: ${JSON.stringify(adapter)}`).toEqual(c.feed.shape);
        for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) expect(evaluateRequest(ops, c.request), replay(c.request, name)).toEqual(adapter);
      }
    }
    // not vacuous: both kinds occur, for 8/16-bit and 4-bit types
    expect(died).toBeGreaterThan(20);
    expect(died).toBeLessThan(cs.length - 20);
  });

  it('blocked DequantizeLinear of the same empty shapes never dies and equals reference and impl', { timeout: 300_000 }, async () => {
    const ort = await loadOrt();
    const cs = cases('dq');
    const answers = inChildren(cs);
    for (const [i, c] of cs.entries()) {
      expect(answers[i], c.request.id).toBe(`ok ${JSON.stringify(c.feed.shape)}`);
      const adapter = await ortQdq(ort!, c.request);
      for (const [name, ops] of [['reference', reference], ['impl', impl]] as const) expect(evaluateRequest(ops, c.request), replay(c.request, name)).toEqual(adapter);
    }
  });
});
