/**
 * quantized_conv2d@1 on LiteRT.js 2.5.3 with scales whose float32 is not a normal number, and with TFLite shift
 * exponents the tflite schemes refuse (conformance/backends/litert/litert_not_given.ts). Measured with the contract's
 * check bypassed: LiteRT traps compiling the model ("RuntimeError: null function or function signature mismatch") for
 * an x_scale or y_scale whose float32 is subnormal, 0 or +inf, aborts (its wasm instance ends) for a +inf weight scale,
 * and its XNNPACK delegate computes y = the output zero point for a subnormal weight scale, which xnnpack-fp32@1 refuses.
 * The adapter handed LiteRT the tflite schemes' x_scale 2^-133 and y_scale 1e39 (answered backend_error, where the
 * contract computes y = the zero point) and answered the contract's or impl's refusal of the others unmarked, as if
 * LiteRT had refused. Each is now the contract's answer (outputs or refusal) marked not_run; a subnormal weight scale on
 * the builtin kernels still runs and agrees, and LiteRT still runs a plain conv after all of them.
 */
import { describe, expect, it } from 'vitest';
import { litertConv2d } from '../../conformance/backends/litert/litert_conv.js';
import { litertPackageJson, loadLiteRt } from '../../conformance/backends/litert/litert_runtime.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { f64ToHex } from '../../contract/wire.js';
import { evalReplay } from '../support/eval_replay.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';

type Scheme = 'tflite-single-rounding@1' | 'tflite-double-rounding@1' | 'xnnpack-fp32@1';
const SCHEMES: readonly Scheme[] = ['tflite-single-rounding@1', 'tflite-double-rounding@1', 'xnnpack-fp32@1'];
const SUBNORMAL = 2 ** -133;

/** A 1x1 conv of x [1, 2, 2, 2] (qint8; groups 2 for tflite-double-rounding@1's DEPTHWISE_CONV_2D), y_zero_point 3. */
function conv(scheme: Scheme, s: { x?: number; w?: number; y?: number; perChannel?: boolean }): WireRequest {
  const groups = scheme === 'tflite-double-rounding@1' ? 2 : 1;
  const ws = s.perChannel ? [0.25, s.w ?? 0.25] : [s.w ?? 0.25];
  return {
    id: `${scheme}-x${s.x ?? 0.5}-w${s.w ?? 0.25}${s.perChannel ? '-pc' : ''}-y${s.y ?? 1}`,
    op: 'quantized_conv2d@1',
    attrs: { scheme, accumulator: 'int32_wrap', stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups, relu: false, x_scale: f64ToHex(s.x ?? 0.5), x_zero_point: 0, y_scale: f64ToHex(s.y ?? 1), y_zero_point: 3, weight_quantization: s.perChannel ? 'per_channel' : 'per_tensor' },
    inputs: {
      x: { dtype: 'qint8', shape: [1, 2, 2, 2], values: [-100, 5, 20, -3, 7, 9, -50, 0] },
      weight: { dtype: 'qint8', shape: [2, 2 / groups, 1, 1], values: groups === 2 ? [2, -3] : [2, -3, -1, 4] },
      weight_scales: { dtype: 'float64', shape: [ws.length], hex: ws.map(f64ToHex) },
      weight_zero_points: { dtype: 'int64', shape: [ws.length], values: ws.map(() => 0) },
    },
  } as WireRequest;
}

type Answer = { outputs?: { y: unknown }; error?: { code: string; message: string }; not_run?: string };

/** `got` is the contract's answer to `r` (every implementation's), marked not_run with a reason matching `why`. */
function expectContractAnswerNotRun(r: WireRequest, got: Answer, why: RegExp): void {
  const replay = `${evalReplay(r, 'litert')}: ${JSON.stringify(got).slice(0, 400)}`;
  expect(got.not_run, replay).toMatch(/^not run on LiteRT \(/);
  expect(got.not_run, replay).toMatch(why);
  for (const [name, ops] of IMPLEMENTATIONS) {
    const contract = evaluateRequest(ops, r) as Answer;
    if (contract.error) expect(got.error, `${replay}: ${name}`).toEqual({ code: contract.error.code, message: `${got.not_run}: ${contract.error.message}` });
    else expect(got.outputs, `${replay}: ${name}`).toEqual(contract.outputs);
  }
}

const TRAPS = /is not a normal float32: LiteRT\.js traps/;

describe.skipIf(!litertPackageJson())('LiteRT.js and float32 scales that are not normal, and shifts of undefined C++', () => {
  it('x_scale / y_scale subnormal, 0 or +inf in float32, every scheme: the contract\'s answer (y = the zero point on the tflite schemes), not run', async () => {
    const rt = await loadLiteRt();
    let computed = 0;
    for (const scheme of SCHEMES)
      for (const s of [{ x: SUBNORMAL }, { x: 1e-50 }, { x: 1e39 }, { y: SUBNORMAL }, { y: 1e-50 }, { y: 1e39 }]) {
        const r = conv(scheme, s);
        const got = (await litertConv2d(rt, r)) as Answer;
        expectContractAnswerNotRun(r, got, TRAPS);
        if (got.outputs) computed++;
      }
    // non-vacuity: the tflite schemes compute x_scale 2^-133 or 1e-50 (float32 0) and y_scale 1e39 (the old adapter's backend_error)
    expect(computed).toBe(6);
  });

  it('a +inf weight scale (per-tensor or one channel), every scheme, and a subnormal one on the XNNPACK path: refused by the contract, not run', async () => {
    const rt = await loadLiteRt();
    for (const scheme of SCHEMES)
      for (const perChannel of [false, true]) {
        const r = conv(scheme, { w: 1e39, perChannel });
        expectContractAnswerNotRun(r, (await litertConv2d(rt, r)) as Answer, /is \+inf in float32: LiteRT\.js aborts/);
        const tiny = conv(scheme, { w: SUBNORMAL, perChannel });
        const got = (await litertConv2d(rt, tiny)) as Answer;
        if (scheme === 'xnnpack-fp32@1') {
          expectContractAnswerNotRun(tiny, got, /which XNNPACK refuses: LiteRT\.js's XNNPACK delegate computes/);
          expect(got.error?.code, evalReplay(tiny, 'litert')).toBe('unsupported_by_scheme');
          continue;
        }
        // the builtin kernels compute it as the tflite schemes do: run, and the same bytes
        expect(got.not_run, `${evalReplay(tiny, 'litert')}: ${JSON.stringify(got).slice(0, 300)}`).toBeUndefined();
        for (const [name, ops] of IMPLEMENTATIONS) expect(evaluateRequest(ops, tiny), `${evalReplay(tiny, 'reference')}: ${name}`).toEqual(got);
      }
  });

  it('a QuantizeMultiplier exponent the tflite schemes refuse (LiteRT: wasm shift counts): the refusal, not run; LiteRT still runs a plain conv', async () => {
    const rt = await loadLiteRt();
    for (const scheme of ['tflite-single-rounding@1', 'tflite-double-rounding@1'] as const)
      for (const e of [32, 40]) {
        const r = conv(scheme, { x: 1, w: 0.75 * 2 ** e, y: 1 });
        const got = (await litertConv2d(rt, r)) as Answer;
        expectContractAnswerNotRun(r, got, /shift by a QuantizeMultiplier exponent in undefined C\+\+/);
        expect(got.error?.code, evalReplay(r, 'litert')).toBe('unsupported_by_scheme');
      }
    for (const scheme of SCHEMES) {
      const plain = conv(scheme, {});
      const got = await litertConv2d(rt, plain);
      expect(got, evalReplay(plain, 'litert')).not.toHaveProperty('not_run');
      for (const [name, ops] of IMPLEMENTATIONS) expect(evaluateRequest(ops, plain), `${evalReplay(plain, 'reference')}: ${name}`).toEqual(got);
    }
  });
});
