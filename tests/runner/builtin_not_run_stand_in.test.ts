/**
 * A built-in backend's stand-in for a request it does not give its library is the contract's answer marked not_run
 * (conformance/backends/contract_answer_not_run.ts), judged by `qconform run`'s runner as the case `not-run`, never
 * fail or pass. The onnxruntime backend's one-node QLinearConv computes no fused ReLU: a quantized_conv2d@1 of
 * onnxruntime@1 with relu and y_zero_point above the dtype's minimum, which the contract computes, is not run on ORT.
 * Its stand-in was backend_error ("the contract takes this request, ..."), which the runner judged `fail` against the
 * expected outputs, as a vector case and as a fuzz case; it is now the reference's outputs. Live onnxruntime-node.
 */
import { describe, expect, it } from 'vitest';
import { onnxruntimeBackend } from '../../conformance/backends/onnxruntime/onnxruntime_builtin.js';
import type { CaseFactory } from '../../conformance/cases/builders.js';
import { ortConvCase } from '../../conformance/cases/conv_cases.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { fuzzBackend } from '../../conformance/runner/fuzz/fuzz_run.js';
import { runSuite } from '../../conformance/runner/run_suite.js';
import type { SelectedCase } from '../../conformance/runner/vector_selection.js';
import { f64ToHex } from '../../contract/wire.js';
import { reference } from '../../reference/index.js';

/** A 1x1 conv of x [1, 2, 2, 2] (qint8), int32 bias, relu with y_zero_point `yZeroPoint`; `id` is a vector id. */
function reluConv(id: string, relu: boolean, yZeroPoint: number): WireRequest {
  return {
    id,
    op: 'quantized_conv2d@1',
    attrs: { scheme: 'onnxruntime@1', accumulator: 'int32_wrap', stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, relu, x_scale: f64ToHex(0.5), x_zero_point: 3, y_scale: f64ToHex(1), y_zero_point: yZeroPoint, weight_quantization: 'per_tensor' },
    inputs: {
      x: { dtype: 'qint8', shape: [1, 2, 2, 2], values: [-100, 5, 20, -3, 7, 9, -50, 0] },
      weight: { dtype: 'qint8', shape: [2, 2, 1, 1], values: [2, -3, -1, 4] },
      weight_scales: { dtype: 'float64', shape: [1], hex: [f64ToHex(0.25)] },
      weight_zero_points: { dtype: 'int64', shape: [1], values: [0] },
      bias: { dtype: 'int32', shape: [2], values: [-10, 30] },
    },
  } as WireRequest;
}

/** `r` as a golden vector case expecting the reference's answer. */
function vectorCase(r: WireRequest, line: number): SelectedCase {
  const answer = evaluateRequest(reference, r);
  if (!('outputs' in answer)) throw new Error(`${r.id}: the reference refuses it: ${JSON.stringify(answer)}`);
  return { case: { id: r.id, op: r.op, attrs: r.attrs as object, inputs: r.inputs as object, expect: { outputs: answer.outputs } }, scheme: 'onnxruntime@1', file: 'builtin_not_run_stand_in', line } as SelectedCase;
}

const replay = 'replay: npx vitest run tests/runner/builtin_not_run_stand_in.test.ts (fixed cases; fuzz seed 5)';

describe.skipIf(!onnxruntimeBackend.availability().available)('a built-in\'s stand-in for a request its library is not given, through the runner', () => {
  it('vector case: relu above the minimum on the onnxruntime backend is not-run with the reason; the same conv without relu passes', async () => {
    const backend = await onnxruntimeBackend.create();
    try {
      const cases = [vectorCase(reluConv('relu_above_min-00000', true, 5), 1), vectorCase(reluConv('no_relu-00001', false, 5), 2)];
      // non-vacuity: the relu clamps (its expected outputs differ from the conv's without relu)
      expect(cases[0]!.case.expect, replay).not.toEqual(cases[1]!.case.expect);
      const results = await runSuite(backend, cases, { timeoutMs: 30_000 });
      expect(results.map((r) => [r.verdict, r.detail]), replay).toEqual([
        ['not-run', expect.stringMatching(/^not run on ORT \(a conv QLinearConv does not compute: quantized_conv2d: relu with y_zero_point 5 above the qint8 minimum -128/)],
        ['pass', undefined],
      ]);
    } finally {
      await backend.close?.();
    }
  });

  it('fuzz case: every draw with relu above the minimum is not-run (skipped with the reason), none fails', async () => {
    const backend = await onnxruntimeBackend.create();
    try {
      const reluAbove: CaseFactory = (r, i) => {
        const c = ortConvCase(r, i);
        const min = (c.inputs as { x: { dtype: string } }).x.dtype === 'quint8' ? 0 : -128;
        return { ...c, attrs: { ...c.attrs, relu: true, y_zero_point: Math.max((c.attrs as { y_zero_point: number }).y_zero_point, min + 1) } };
      };
      const lines: string[] = [];
      const { results } = await fuzzBackend(backend, { runs: 3, seed: 5, timeoutMs: 30_000, backendSpec: 'onnxruntime', catalog: [{ op: 'quantized_conv2d@1', factory: reluAbove }] }, (s) => lines.push(s));
      expect(results.length, `${replay}: ${lines.join('\n')}`).toBeGreaterThan(0);
      expect(results.map((r) => r.verdict), `${replay}: ${lines.join('\n')}`).toEqual(results.map(() => 'not-run'));
    } finally {
      await backend.close?.();
    }
  });
});
