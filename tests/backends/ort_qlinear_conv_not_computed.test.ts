/**
 * The onnxruntime backend's quantized_conv2d@1 is one QLinearConv node (conformance/backends/onnxruntime/qlinear_conv.ts):
 * it computes onnxruntime@1 and no fused ReLU. A request of another scheme, or with relu and y_zero_point above the
 * dtype's minimum, is decided from the request before a session and not run on ORT: the contract's first refusal (the
 * reference's, code and message), else the reference's outputs, marked `not_run` "not run on ORT (a conv QLinearConv
 * does not compute: ...)" (a backend_error stand-in there was judged `fail` by `qconform run`:
 * tests/runner/builtin_not_run_stand_in.test.ts). The adapter used to answer both itself (unknown_scheme, unsupported_by_scheme), unmarked, as if ORT had
 * refused. Relu with y_zero_point at the minimum clamps to the dtype's range, QLinearConv's own clamp: it runs on ORT
 * (live onnxruntime-node 1.30) and agrees with the reference and impl bit for bit.
 */
import { describe, expect, it } from 'vitest';
import { ORT_OPS, type OrtModule } from '../../conformance/backends/onnxruntime/onnxruntime_ops.js';
import { loadOrt } from '../../conformance/backends/onnxruntime/ort_oracle.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { f64ToHex } from '../../contract/wire.js';
import { evalReplay } from '../support/eval_replay.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';

type Answer = { outputs?: unknown; error?: { code: string; message: string }; not_run?: string };

/** A 2x2 conv of x [1, 2, 3, 3] with two output channels, int32 bias, per-tensor weights, scales exact in float32. */
function conv(id: string, dtype: 'quint8' | 'qint8', o: { scheme?: string; relu?: boolean; yZeroPoint?: number; bias?: number[] } = {}): WireRequest {
  const shift = dtype === 'quint8' ? 128 : 0;
  const x = [-100, 5, 20, -3, 7, 9, -50, 0, 127, 64, -128, 33, 12, -7, 90, 1, -1, 45].map((v) => v + shift);
  const bias = o.bias ?? [-900, 1300];
  return {
    id,
    op: 'quantized_conv2d@1',
    attrs: { scheme: o.scheme ?? 'onnxruntime@1', accumulator: 'int32_wrap', stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, relu: o.relu ?? false, x_scale: f64ToHex(0.5), x_zero_point: 3 + shift, y_scale: f64ToHex(4), y_zero_point: o.yZeroPoint ?? 10 + shift, weight_quantization: 'per_tensor' },
    inputs: {
      x: { dtype, shape: [1, 2, 3, 3], values: x },
      weight: { dtype: 'qint8', shape: [2, 2, 2, 2], values: [3, -5, 7, 1, -2, 4, 0, 9, -8, 6, 2, -1, 5, 5, -3, 2] },
      weight_scales: { dtype: 'float64', shape: [1], hex: [f64ToHex(0.25)] },
      weight_zero_points: { dtype: 'int64', shape: [1], values: [0] },
      bias: { dtype: 'int32', shape: [bias.length], values: bias },
    },
  } as WireRequest;
}

/** The real onnxruntime-node module, counting the sessions the adapter creates (every run of ORT creates one). */
async function countingOrt(): Promise<{ ort: OrtModule; sessions: () => number }> {
  const real = (await loadOrt())!;
  let n = 0;
  const InferenceSession = { create: (...args: unknown[]) => (n++, (real.InferenceSession.create as (...a: unknown[]) => unknown)(...args)) };
  return { ort: { ...real, InferenceSession } as unknown as OrtModule, sessions: () => n };
}

const NOT_COMPUTED = /^not run on ORT \(a conv QLinearConv does not compute: quantized_conv2d: .+\)$/;

describe('onnxruntime backend: a quantized_conv2d QLinearConv does not compute is not run on ORT', () => {
  it('another scheme, or relu with y_zero_point above the minimum: the contract\'s first refusal (else its outputs), marked not_run, no session', async () => {
    const { ort, sessions } = await countingOrt();
    const rows: Array<[WireRequest, string, RegExp]> = [
      // the contract takes these: its outputs, not run
      [conv('relu-zp-above-min-qint8', 'qint8', { relu: true, yZeroPoint: -127 }), 'outputs', /relu with y_zero_point -127 above the qint8 minimum -128/],
      [conv('relu-zp-above-min-quint8', 'quint8', { relu: true, yZeroPoint: 200 }), 'outputs', /relu with y_zero_point 200 above the quint8 minimum 0/],
      [conv('scheme-xnnpack-fp32', 'qint8', { scheme: 'xnnpack-fp32@1' }), 'outputs', /scheme xnnpack-fp32@1 \(ORT computes onnxruntime@1 only\)/],
      // the contract refuses these: its refusal, not run
      [conv('relu-bias-shape', 'qint8', { relu: true, bias: [1, 2, 3] }), 'shape_mismatch', /relu with y_zero_point 10 above/],
      [conv('scheme-unknown', 'qint8', { scheme: 'nope@1' }), 'unknown_scheme', /scheme nope@1/],
      [conv('scheme-torch-onednn', 'quint8', { scheme: 'torch-onednn@1' }), 'unsupported_by_scheme', /scheme torch-onednn@1/],
    ];
    for (const [r, code, reason] of rows) {
      const before = sessions();
      const got = (await ORT_OPS[r.op]!(ort, r)) as Answer;
      const replay = `${evalReplay(r, 'onnxruntime')}: ${JSON.stringify(got).slice(0, 400)}`;
      expect(sessions() - before, `${replay}: ORT was run`).toBe(0);
      expect(got.not_run, replay).toMatch(NOT_COMPUTED);
      expect(got.not_run, replay).toMatch(reason);
      expect(got.error?.code ?? 'outputs', replay).toBe(code);
      for (const [name, ops] of IMPLEMENTATIONS) {
        const contract = evaluateRequest(ops, r) as Answer;
        if (code !== 'outputs') {
          expect(got.error?.message, `${replay}: ${name}`).toBe(`${got.not_run}: ${contract.error?.message}`);
          continue;
        }
        expect(contract.outputs, `${evalReplay(r, 'reference')}: ${name} takes it`).toBeDefined();
        expect(got.outputs, `${replay}: ${name}`).toEqual(contract.outputs);
        // a relu above the minimum clamps some output that QLinearConv's dtype-range clamp would not
        const noRelu = { ...r, attrs: { ...(r.attrs as object), relu: false } } as WireRequest;
        if ((r.attrs as { relu: boolean }).relu) expect(contract, `${evalReplay(r, 'reference')}: ${name}`).not.toEqual(evaluateRequest(ops, noRelu));
      }
    }
  });

  it('relu with y_zero_point at the dtype minimum runs on ORT (its clamp is the dtype range) and agrees bit for bit', async () => {
    const { ort, sessions } = await countingOrt();
    for (const [dtype, min] of [['qint8', -128], ['quint8', 0]] as const) {
      const r = conv(`relu-zp-min-${dtype}`, dtype, { relu: true, yZeroPoint: min });
      const before = sessions();
      const got = (await ORT_OPS[r.op]!(ort, r)) as Answer;
      const replay = `${evalReplay(r, 'onnxruntime')}: ${JSON.stringify(got).slice(0, 400)}`;
      expect(sessions() - before, `${replay}: ORT was not run`).toBe(1);
      expect(got.not_run, replay).toBeUndefined();
      expect(got.outputs, replay).toBeDefined();
      for (const [name, ops] of IMPLEMENTATIONS) expect(evaluateRequest(ops, r), `${evalReplay(r, 'reference')}: ${name}`).toEqual(got);
      // a relu at the minimum is no relu: the same conv without it is the same answer
      const plain = (await ORT_OPS[r.op]!(ort, { ...r, attrs: { ...(r.attrs as object), relu: false } } as WireRequest)) as Answer;
      expect(plain, replay).toEqual(got);
    }
  });
});
