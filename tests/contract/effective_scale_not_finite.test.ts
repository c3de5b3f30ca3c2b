/**
 * The tflite schemes, cmsis-nn@1 and the tosa schemes derive an integer multiplier from the double effective scale
 * (double)f32(x_scale) * f32(w_scale) / f32(y_scale), +inf or NaN when a scale's float32 is +inf (x_scale 1e39) or 0
 * (y_scale 1e-50; both 0/0 or inf/inf: NaN). Neither TFLite's QuantizeMultiplier nor MLIR's
 * computeMultiplierAndShiftTosaScale32 defines a multiplier for it (contract/effective_scale_finite.ts): refused,
 * unsupported_by_scheme, by the reference and impl alike. The reference answered internal_error ("exactValue: inf has no
 * rational value"); impl refused the tflite ones naming an exponent of Infinity / NaN and computed the tosa NaN ones as
 * zeros. A zero effective scale is defined by both libraries (QuantizeMultiplier: multiplier 0; TOSA: multiplier 0,
 * shift 31): y is the output zero point (clamped). The tosa reference answered internal_error there
 * ("floorLog2Quotient"), impl gave 0 for every output; MLIR 19's lowering gives the zero point (measured through the
 * tosa-mlir backend). Deterministic grid.
 */
import { describe, expect, it } from 'vitest';
import type { Conv2dArgs, ConvOps, RequantScheme } from '../../contract/conv.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { IMPLEMENTATIONS, replayBackend } from '../support/implementations.js';

/** reference, impl (WebAssembly) and impl-js; each implements ConvOps too */
const CONV_IMPLS = IMPLEMENTATIONS.map(([name, ops]) => [name, ops as typeof ops & ConvOps] as const);

const SCHEMES: readonly RequantScheme[] = ['tflite-double-rounding@1', 'tflite-single-rounding@1', 'cmsis-nn@1', 'tosa-single-round@1', 'tosa-double-round@1'];

/** [x_scale, the first channel's w_scale, y_scale] whose effective scale is +inf, NaN or 0. */
const NOT_FINITE: Record<string, readonly [number, number, number]> = {
  'x_scale f32 +inf': [1e39, 0.5, 1],
  'y_scale f32 0': [1, 0.5, 1e-50],
  'w_scale f32 +inf, y_scale f32 +inf (NaN)': [1, 1e39, 1e39],
  'x_scale f32 0, y_scale f32 0 (NaN)': [1e-50, 0.5, 1e-50],
};
const ZERO: Record<string, readonly [number, number, number]> = {
  'x_scale f32 0': [1e-50, 0.5, 1],
  'w_scale f32 0': [1, 1e-46, 1],
};

/** A 1x1 conv of x [1, 2, 2, 2] into 2 channels (channel 1's w_scale 0.25), int32 bias, y_zero_point 3, under `scheme`. */
function conv(scheme: RequantScheme, dtype: 'qint8' | 'quint8', perChannel: boolean, [xs, ws, ys]: readonly [number, number, number]): Conv2dArgs {
  const off = dtype === 'quint8' ? 128 : 0;
  return {
    x: intTensor(dtype, [1, 2, 2, 2], [1, -2, 3, 4, 5, -6, 7, 8].map((v) => v + off)),
    xScale: xs,
    xZeroPoint: 1 + off,
    weight: intTensor('qint8', [2, 2, 1, 1], [3, -1, 2, 5]),
    weightQuantization: perChannel ? 'per_channel' : 'per_tensor',
    weightScales: f64Tensor([perChannel ? 2 : 1], perChannel ? [ws, 0.25] : [ws]),
    weightZeroPoints: intTensor('int64', [perChannel ? 2 : 1], perChannel ? [0, 0] : [0]),
    bias: intTensor('int32', [2], [7, -9]),
    stride: [1, 1],
    padding: [0, 0],
    dilation: [1, 1],
    groups: 1,
    relu: false,
    yScale: ys,
    yZeroPoint: 3 + off,
    scheme,
    accumulator: 'int32_wrap',
  };
}

function outcome(run: () => { data: ArrayLike<number> }): { y: number[] } | { code: string; message: string } {
  try {
    return { y: Array.from(run().data) };
  } catch (e) {
    const q = e as { code?: string; message?: string };
    return { code: q.code ?? 'internal_error', message: String(q.message ?? e) };
  }
}

const replay = (name: string, what: string) => `${what} on ${name} (replay: npx vitest run tests/contract/effective_scale_not_finite.test.ts; ${replayBackend(name)})`;

describe('tflite, cmsis-nn and tosa schemes: a non-finite effective scale is refused, a zero one computed', () => {
  it('refuses +inf and NaN with unsupported_by_scheme naming the library whose multiplier it would reach', () => {
    let refused = 0;
    for (const scheme of SCHEMES) {
      const field = scheme.startsWith('tosa') ? 'TOSA effective scale' : 'TFLite effective scale';
      for (const dtype of scheme === 'cmsis-nn@1' ? (['qint8'] as const) : (['qint8', 'quint8'] as const)) {
        for (const perChannel of [false, true]) {
          for (const [name, scales] of Object.entries(NOT_FINITE)) {
            for (const [impl, ops] of CONV_IMPLS) {
              const got = outcome(() => ops.quantizedConv2d(conv(scheme, dtype, perChannel, scales)));
              const what = replay(impl, `${scheme} ${dtype} ${perChannel ? 'per_channel' : 'per_tensor'} ${name}`);
              expect('code' in got && got.code, what).toBe('unsupported_by_scheme');
              expect('code' in got && got.message, what).toMatch(new RegExp(`^quantized_conv2d: ${field}: .*must be finite`));
              refused++;
            }
          }
        }
      }
    }
    expect(refused).toBe((4 * 4 + 1 * 2) * 4 * CONV_IMPLS.length);
  });

  it('computes a zero effective scale as both libraries define it: y is the output zero point on that channel', () => {
    let computed = 0;
    for (const scheme of SCHEMES) {
      for (const dtype of scheme === 'cmsis-nn@1' ? (['qint8'] as const) : (['qint8', 'quint8'] as const)) {
        for (const perChannel of [false, true]) {
          for (const [name, scales] of Object.entries(ZERO)) {
            const a = conv(scheme, dtype, perChannel, scales);
            const want = outcome(() => CONV_IMPLS[0]![1].quantizedConv2d(a));
            const zp = a.yZeroPoint;
            // channel 0 has the zero effective scale (per_tensor: both channels)
            if (!('y' in want)) throw new Error(replay('reference', `${scheme} ${name}: ${want.message}`));
            expect(want.y.slice(0, 4), replay('reference', `${scheme} ${dtype} ${name}`)).toEqual([zp, zp, zp, zp]);
            if (!perChannel) expect(want.y.slice(4), replay('reference', `${scheme} ${dtype} ${name}`)).toEqual([zp, zp, zp, zp]);
            for (const [impl, ops] of CONV_IMPLS.slice(1)) expect(outcome(() => ops.quantizedConv2d(a)), replay(impl, `${scheme} ${dtype} ${perChannel ? 'per_channel' : 'per_tensor'} ${name}`)).toEqual(want);
            computed++;
          }
        }
      }
    }
    expect(computed).toBe((4 * 4 + 1 * 2) * 2);
  });
});
