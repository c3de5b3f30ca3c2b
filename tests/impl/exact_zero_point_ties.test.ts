/**
 * exact@1 is round_half_even(z_y + (acc s_x s_w + b) / s_y) on exact rationals (reference/requant/exact.ts,
 * conformance/explain/requant_summary.ts): the output zero point is added before the rounding. impl's twin
 * (impl/requant/exact.ts) added it after, so with an odd zero point every tie went the other way: an int32 bias 7 at
 * s_x s_w / s_y = 1/2 and z_y = 3 gave round(3.5) + 3 = 7 where the reference gives round(6.5) = 6. Ties need exact
 * halves, which the property generators' random scales almost never make. Every zero point from -5 to 6 (odd and even),
 * ties and non-ties, both signs, on impl's JavaScript and WebAssembly paths, qint8 and quint8; and a static linear.
 */
import { describe, expect, it } from 'vitest';
import type { Conv2dArgs } from '../../contract/conv.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { impl, implOnConvPath } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { convArgs } from '../support/conv_args.js';
import { outcome } from '../support/conv_draw.js';

const PATHS = { js: implOnConvPath('js'), wasm: implOnConvPath('wasm') };

/** A 1x1 conv of x [1, 2, 1, 3] (acc = 2 x0 - x1 per position: 2, -1, -7) under exact@1, scales giving s_x s_w / s_y = 1/2, int32 bias `bias`. */
function tieConv(dtype: 'qint8' | 'quint8', yZeroPoint: number, bias: number[]): Conv2dArgs {
  const shift = dtype === 'quint8' ? 128 : 0;
  return convArgs({
    x: intTensor(dtype, [1, 2, 1, 3], [1, 2, -3, 0, 5, 1].map((v) => v + shift)),
    weight: intTensor('qint8', [bias.length, 2, 1, 1], bias.flatMap(() => [2, -1])),
    xZeroPoint: shift,
    xScale: 0.25,
    weightScales: f64Tensor([1], [4]),
    yScale: 2,
    yZeroPoint: yZeroPoint + shift,
    bias: intTensor('int32', [bias.length], bias),
    scheme: 'exact@1',
    accumulator: 'int32_wrap',
  });
}

describe('impl exact@1: the zero point is added before the rounding, as the reference does', () => {
  it('agrees with the reference on ties and non-ties for odd and even zero points, on both paths and a static linear', () => {
    let ties = 0;
    for (const dtype of ['qint8', 'quint8'] as const) {
      for (let z = -5; z <= 6; z++) {
        const a = tieConv(dtype, z, [7, -3, 4, 0, -9]);
        const want = outcome(() => reference.quantizedConv2d(a));
        for (const [path, ops] of Object.entries(PATHS)) expect(outcome(() => ops.quantizedConv2d(a)), `${dtype} y_zero_point ${z} on impl's ${path} path (replay: npx vitest run tests/impl/exact_zero_point_ties.test.ts)`).toBe(want);
        // the accumulators + biases are odd at half of the outputs: ties (y - z_y ends in .5)
        const unrounded = [7, -3, 4, 0, -9].flatMap((b) => [2, -1, -7].map((acc) => (acc + b) / 2));
        ties += unrounded.filter((v) => !Number.isInteger(v)).length;
        const linear = { x: intTensor(dtype, [3, 2], [1, 2, -3, 0, 5, 1].map((v) => v + (dtype === 'quint8' ? 128 : 0))), weight: intTensor('qint8', [5, 2], Array(5).fill([2, -1]).flat()), ...pick(a) };
        expect(outcome(() => impl.quantizedLinear(linear)), `${dtype} y_zero_point ${z}: quantized_linear`).toBe(outcome(() => reference.quantizedLinear(linear)));
      }
    }
    expect(ties, 'ties are compared').toBeGreaterThan(100);
  });
});

/** The conv's quantization parameters, as a static linear takes them. */
function pick(a: Conv2dArgs) {
  return { xScale: a.xScale, xZeroPoint: a.xZeroPoint, weightQuantization: a.weightQuantization, weightScales: a.weightScales, weightZeroPoints: a.weightZeroPoints, bias: a.bias, yScale: a.yScale, yZeroPoint: a.yZeroPoint, relu: false, scheme: a.scheme, accumulator: a.accumulator };
}
