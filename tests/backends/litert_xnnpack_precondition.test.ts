/**
 * xnnpack-fp32@1 refuses a per-tensor requantization scale below 2^-32 (contract/xnnpack_scale.ts: XNNPACK's
 * params-init.c asserts scale >= 0x1.0p-32f; Debian's libxnnpack and torch 1.13's XNNPACK abort). LiteRT.js 2.5.3's
 * XNNPACK delegate is a release build and computes it (y = the output zero point, measured by a verifier on fuzz seed
 * 43: five cases). The litert backend answered those outputs, which the runner judged against the scheme's refusal.
 * It now does not run them on LiteRT and answers the scheme's refusal marked not_run; a scale of exactly 2^-32 runs.
 */
import { describe, expect, it } from 'vitest';
import { litertConv2d } from '../../conformance/backends/litert/litert_conv.js';
import { litertPackageJson, loadLiteRt } from '../../conformance/backends/litert/litert_runtime.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { f64ToHex } from '../../contract/wire.js';
import { evalReplay } from '../support/eval_replay.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';

/** The verifier's case litert-xnn-43-246: scale f32(f32(x * w) / y) about 9.09e-13 (below 2^-32, 2.3e-10). */
const TINY: WireRequest = {
  id: 'litert-xnn-43-246',
  op: 'quantized_conv2d@1',
  attrs: { scheme: 'xnnpack-fp32@1', accumulator: 'int32_wrap', stride: [1, 7], padding: [0, 0], dilation: [1, 1], groups: 1, relu: false, x_scale: '3f50e75d20000000', x_zero_point: -128, y_scale: '41874e6ca0000000', y_zero_point: 0, weight_quantization: 'per_tensor' },
  inputs: {
    x: { dtype: 'qint8', shape: [1, 1, 7, 1], values: [16, -81, 60, 47, -24, -7, 74] },
    weight: { dtype: 'qint8', shape: [1, 1, 2, 1], values: [-50, -30] },
    weight_scales: { dtype: 'float64', shape: [1], hex: ['3fa60f6d80000000'] },
    weight_zero_points: { dtype: 'int64', shape: [1], values: [0] },
  },
} as WireRequest;

/** The same conv with x_scale 2^-32 and w, y scales 1: the scale is exactly 2^-32, which XNNPACK takes. */
const AT_LIMIT: WireRequest = { ...TINY, id: 'xnnpack-scale-2^-32', attrs: { ...(TINY.attrs as Record<string, unknown>), x_scale: f64ToHex(2 ** -32), y_scale: f64ToHex(1) }, inputs: { ...(TINY.inputs as Record<string, unknown>), weight_scales: { dtype: 'float64', shape: [1], hex: [f64ToHex(1)] } } } as WireRequest;

describe.skipIf(!litertPackageJson())('xnnpack-fp32@1 on LiteRT.js: a requantization scale below 2^-32', () => {
  it('is refused by reference and impl and not run on LiteRT (the refusal, marked not_run); 2^-32 itself runs and agrees', async () => {
    const rt = await loadLiteRt();
    const lib = await litertConv2d(rt, TINY);
    expect(lib, evalReplay(TINY, 'litert')).toMatchObject({ error: { code: 'unsupported_by_scheme' }, not_run: expect.stringMatching(/^not run on LiteRT \(/) });
    for (const [name, ops] of IMPLEMENTATIONS) {
      const got = evaluateRequest(ops, TINY);
      expect('error' in got ? got.error.code : 'outputs', `${evalReplay(TINY, 'reference')}: ${name}`).toBe('unsupported_by_scheme');
    }
    const atLimit = await litertConv2d(rt, AT_LIMIT);
    expect('outputs' in atLimit, `${evalReplay(AT_LIMIT, 'litert')}: ${JSON.stringify(atLimit).slice(0, 300)}`).toBe(true);
    expect(atLimit).not.toHaveProperty('not_run');
    for (const [name, ops] of IMPLEMENTATIONS) expect(evaluateRequest(ops, AT_LIMIT), `${evalReplay(AT_LIMIT, 'reference')}: ${name}`).toEqual(atLimit);
  });
});
