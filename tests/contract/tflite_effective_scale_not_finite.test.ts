/**
 * TFLite's effective scale f32(x_scale) f32(w_scale) / f32(y_scale) is not finite when an x_scale or weight scale
 * overflows float32 to +inf (1e39) or y_scale's float32 is 0 (1e-50): QuantizeMultiplier's std::frexp has no specified
 * exponent for it. The schemes built on QuantizeMultiplier refuse it (contract/tflite_shift.ts
 * assertTfliteEffectiveScaleFinite). The reference crashed on it (internal_error "RangeError: exactValue: inf has no
 * rational value") where impl refused it as an exponent "Infinity >= 31"; both now give the same refusal.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { f64ToHex } from '../../contract/wire.js';
import { evalReplay } from '../support/eval_replay.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';

const conv = (scheme: string, x: number, w: number, y: number, perChannel: boolean): WireRequest =>
  ({
    id: `${scheme}-${x}-${w}-${y}-${perChannel ? 'pc' : 'pt'}`,
    op: 'quantized_conv2d@1',
    attrs: { scheme, accumulator: 'int32_wrap', stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, relu: false, x_scale: f64ToHex(x), x_zero_point: 0, y_scale: f64ToHex(y), y_zero_point: 0, weight_quantization: perChannel ? 'per_channel' : 'per_tensor' },
    inputs: {
      x: { dtype: 'qint8', shape: [1, 1, 1, 2], values: [3, -7] },
      weight: { dtype: 'qint8', shape: [2, 1, 1, 1], values: [2, -5] },
      weight_scales: { dtype: 'float64', shape: [perChannel ? 2 : 1], hex: (perChannel ? [0.5, w] : [w]).map(f64ToHex) },
      weight_zero_points: { dtype: 'int64', shape: [perChannel ? 2 : 1], values: perChannel ? [0, 0] : [0] },
    },
  }) as WireRequest;

describe('TFLite effective scales that are not finite', () => {
  it('x_scale or a weight scale +inf in float32, y_scale 0 in float32 (and inf / inf): every implementation refuses alike', () => {
    let n = 0;
    for (const scheme of ['tflite-single-rounding@1', 'tflite-double-rounding@1', 'cmsis-nn@1'])
      for (const [x, w, y] of [[1e39, 0.25, 1], [0.5, 1e39, 1], [0.5, 0.25, 1e-50], [1e39, 0.25, 1e39]] as const)
        for (const perChannel of [false, true]) {
          const r = conv(scheme, x, w, y, perChannel);
          for (const [name, ops] of IMPLEMENTATIONS) {
            const got = evaluateRequest(ops, r);
            expect(got, `${evalReplay(r, name)}: ${JSON.stringify(got).slice(0, 300)}`).toMatchObject({ error: { code: 'unsupported_by_scheme', message: expect.stringContaining('quantized_conv2d: TFLite effective scale') } });
            expect(got, evalReplay(r, name)).toMatchObject({ error: { message: expect.stringContaining('is not finite') } });
            n++;
          }
        }
    expect(n).toBe(3 * 4 * 2 * IMPLEMENTATIONS.length);
    // control: finite scales are computed
    expect(evaluateRequest(IMPLEMENTATIONS[0]![1], conv('tflite-single-rounding@1', 0.5, 0.25, 1, false))).toHaveProperty('outputs');
  });
});
