/**
 * quantized_conv2d@1 requests aimed at the `sat16_pairs_im2col` accumulator: quint8 activations, geometries
 * where its pairing differs from a per-tap pairing (odd channels per group, so pairs straddle taps; odd K),
 * padding with a non-zero input zero point (padded taps take part in the pairs as z_x), groups (grouped and
 * depthwise), stride, dilation, batch, per-channel weights; values biased towards saturating pairs (large
 * activations times large same-sign weights). The geometry and qparams shrink through fast-check; values
 * come from a seeded CaseRandom (replayable through the property's seed and path).
 */
import fc from 'fast-check';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { convRequest } from '../../conformance/cases/conv_cases.js';
import type { DrawnGeometry } from '../../conformance/cases/conv_geometry.js';
import { drawConvValues } from '../../conformance/cases/conv_quant.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { REQUANT_SCHEMES, type RequantScheme } from '../../contract/conv.js';
import { SCHEME_RULES } from '../../contract/conv_schemes.js';

/** Schemes that take quint8 activations (onnxruntime@1, the one ORT runs, twice as often). */
const QUINT8_SCHEMES = REQUANT_SCHEMES.filter((s) => SCHEME_RULES[s].activations.includes('quint8'));

export type ValueStyle = 'saturating' | 'extremes' | 'uniform';

export interface Im2colConvCase {
  readonly geometry: DrawnGeometry;
  readonly style: ValueStyle;
  readonly request: WireRequest;
}

const geometry: fc.Arbitrary<DrawnGeometry> = fc
  .record({
    n: fc.integer({ min: 1, max: 2 }),
    icg: fc.constantFrom(1, 1, 2, 3, 3, 4, 5, 7, 8),
    groups: fc.constantFrom(1, 1, 2, 3),
    ocg: fc.constantFrom(1, 1, 2, 3),
    kh: fc.integer({ min: 1, max: 3 }),
    kw: fc.integer({ min: 1, max: 3 }),
    stride: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    dilation: fc.tuple(fc.integer({ min: 1, max: 2 }), fc.integer({ min: 1, max: 2 })),
    padding: fc.oneof(fc.constant<[number, number]>([0, 0]), fc.tuple(fc.integer({ min: 0, max: 2 }), fc.integer({ min: 0, max: 2 }))),
    extra: fc.tuple(fc.integer({ min: 0, max: 3 }), fc.integer({ min: 0, max: 3 })),
  })
  .map(({ n, icg, groups, ocg, kh, kw, stride, dilation, padding, extra }) => {
    const reach = (k: number, d: number) => d * (k - 1) + 1;
    const h = Math.max(1, reach(kh, dilation[0]) - 2 * padding[0]) + extra[0];
    const w = Math.max(1, reach(kw, dilation[1]) - 2 * padding[1]) + extra[1];
    const kind: DrawnGeometry['kind'] = groups > 1 ? (icg === 1 && ocg === 1 ? 'depthwise' : 'grouped') : kh * kw === 1 ? 'pointwise' : 'dense';
    return { n, c: icg * groups, h, w, oc: ocg * groups, kh, kw, stride, padding, dilation, groups, kind };
  });

/** Activations: mostly large (saturating), 0 / 255 (extremes) or uniform. */
function activations(r: CaseRandom, count: number, style: ValueStyle): number[] {
  return Array.from({ length: count }, () => (style === 'saturating' ? (r.bool(0.85) ? r.int(170, 255) : r.int(0, 255)) : style === 'extremes' ? r.pick([0, 255, 255, r.int(0, 255)]) : r.int(0, 255)));
}

/** Weights [OC][rest]: with `saturating`, each output channel leans to one sign with large magnitudes. */
function weights(r: CaseRandom, oc: number, per: number, style: ValueStyle): number[] {
  return Array.from({ length: oc }, () => {
    const sign = r.bool(0.5) ? 1 : -1;
    return Array.from({ length: per }, () => {
      if (style === 'uniform') return r.int(-128, 127);
      if (style === 'extremes') return r.pick([-128, 127, r.int(-128, 127)]);
      return r.bool(0.85) ? (sign > 0 ? r.int(80, 127) : r.int(-128, -80)) : r.int(-128, 127);
    });
  }).flat();
}

export const im2colConvCase: fc.Arbitrary<Im2colConvCase> = fc
  .record({
    geometry,
    seed: fc.integer(),
    scheme: fc.constantFrom<RequantScheme>('onnxruntime@1', ...QUINT8_SCHEMES),
    style: fc.constantFrom<ValueStyle>('saturating', 'saturating', 'extremes', 'uniform'),
    perChannel: fc.boolean(),
    xZeroPoint: fc.oneof(fc.constantFrom(0, 128, 255), fc.integer({ min: 0, max: 255 })),
  })
  .map(({ geometry: g, seed, scheme, style, perChannel, xZeroPoint }) => {
    const r = new CaseRandom(`im2col-property-${seed}`);
    const rules = SCHEME_RULES[scheme];
    const v = drawConvValues(r, g, { xRange: [0, 255], weightZeroPoints: rules.weightZeroPoints, perChannel }, 'typical');
    v.x = activations(r, g.n * g.c * g.h * g.w, style);
    v.weight = weights(r, g.oc, (g.c / g.groups) * g.kh * g.kw, style);
    v.xZeroPoint = xZeroPoint;
    const biasDtype = r.pick(rules.bias);
    const request = { id: `im2col-prop-${seed}`, ...convRequest(g, v, { scheme, accumulator: 'sat16_pairs_im2col', dtype: 'quint8', biasDtype, weightQuantization: perChannel ? 'per_channel' : 'per_tensor' }) };
    return { geometry: g, style, request };
  });
