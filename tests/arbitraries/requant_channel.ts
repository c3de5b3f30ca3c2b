/**
 * Adversarial channel parameters for requantization properties: the multiplier s_x s_w / s_y drawn from
 * tiny (2^-40) to >= 1 (up to 2^12), exact powers of two (ties on odd accumulators), float32 and arbitrary
 * double scales, zero points at and inside the dtype ends, biases near the int32 limits, ReLU, both qnnpack paths.
 */
import fc from 'fast-check';
import { REQUANT_SCHEMES, type RequantScheme } from '../../contract/conv.js';
import { SCHEME_RULES } from '../../contract/conv_schemes.js';
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import type { ChannelQuantF } from '../../impl/requant/types.js';

export interface RequantCase {
  readonly scheme: RequantScheme;
  readonly channel: ChannelQuantF;
}

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const multiplierLog2 = fc.oneof(
  { weight: 4, arbitrary: fc.double({ min: -20, max: -2, noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ min: -40, max: -20, noNaN: true }) },
  { weight: 2, arbitrary: fc.double({ min: -2, max: 12, noNaN: true }) },
  { weight: 2, arbitrary: fc.integer({ min: -30, max: 8 }).map((k) => k) }, // exact powers of two: ties
);

function biasFor(kind: 'float32' | 'int32', unit: number): fc.Arbitrary<ChannelQuantF['bias']> {
  const int32 = fc.oneof(fc.integer({ min: -5000, max: 5000 }), fc.constantFrom(INT32_MIN, INT32_MAX, INT32_MIN + 1, INT32_MAX - 1), fc.integer({ min: INT32_MAX - 70000, max: INT32_MAX }), fc.integer({ min: INT32_MIN, max: INT32_MIN + 70000 }));
  if (kind === 'int32') return int32.map((value) => ({ kind, value }));
  return fc.oneof(int32.map((k) => Math.fround(k * unit)), fc.integer({ min: -4000, max: 4000 }).map((k) => Math.fround((k + 0.5) * unit))).map((value) => ({ kind, value }));
}

export const requantCase: fc.Arbitrary<RequantCase> = fc
  .record({
    scheme: fc.constantFrom(...REQUANT_SCHEMES),
    log2: multiplierLog2,
    xScale: fc.double({ min: 1e-4, max: 1, noNaN: true }),
    float32Scales: fc.boolean(),
    perChannel: fc.boolean(),
    relu: fc.boolean(),
    zpPick: fc.oneof(fc.constantFrom('min', 'max', 'mid'), fc.double({ min: 0, max: 1, noNaN: true })),
    withBias: fc.double({ min: 0, max: 1, noNaN: true }),
    biasSeed: fc.integer(),
  })
  .chain((d) => {
    const rules = SCHEME_RULES[d.scheme];
    const dtype: QuantDtype = rules.activations[Math.abs(d.biasSeed) % rules.activations.length] as QuantDtype;
    const { min, max } = DTYPE_RANGE[dtype];
    const zp = d.zpPick === 'min' ? min : d.zpPick === 'max' ? max : d.zpPick === 'mid' ? Math.round((min + max) / 2) : Math.min(max, min + Math.floor(d.zpPick * (max - min + 1)));
    const f = (v: number) => (d.float32Scales ? Math.fround(v) : v);
    const xScale = f(d.xScale);
    const wScale = f(0.01);
    const yScale = f((xScale * wScale) / 2 ** d.log2);
    const biasKind = rules.bias[0] as 'float32' | 'int32';
    const bias = d.withBias < 0.25 ? fc.constant(null) : biasFor(biasKind, xScale * wScale);
    return bias.map((b) => ({
      scheme: d.scheme,
      // bit 1 of biasSeed (bit 0 picks the dtype): both qnnpack bias packers without changing the other draws
      channel: { xScale, wScale, yScale, perChannel: d.perChannel, yZeroPoint: zp, bias: b, relu: d.relu, outMin: d.relu ? Math.max(min, zp) : min, outMax: max, qnnpackPath: (Math.abs(d.biasSeed) >> 1) % 2 === 1 ? 'indirect' : 'gemm' },
    }));
  });

/** int32 accumulators that stress requantization: extremes, powers of two and their neighbours, small values, anything. */
export const adversarialAccumulator: fc.Arbitrary<number> = fc.oneof(
  fc.constantFrom(INT32_MIN, INT32_MAX, INT32_MIN + 1, INT32_MAX - 1, 0, 1, -1),
  fc.tuple(fc.integer({ min: 0, max: 30 }), fc.integer({ min: -2, max: 2 }), fc.boolean()).map(([k, d, neg]) => (neg ? -1 : 1) * (2 ** k + d)),
  fc.integer({ min: -100000, max: 100000 }),
  fc.integer({ min: INT32_MIN, max: INT32_MAX }),
);
