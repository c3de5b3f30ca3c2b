import type { RequantScheme, WeightQuantization } from '../../contract/conv.js';
import { SCHEME_RULES } from '../../contract/conv_schemes.js';
import type { CaseRandom } from './random.js';
import type { DrawnGeometry } from './conv_geometry.js';

/** The values and quantization parameters of one generated conv (plain numbers; conv_cases.ts puts them on the wire). */
export interface DrawnConvValues {
  x: number[];
  xScale: number;
  xZeroPoint: number;
  weight: number[];
  weightScales: number[];
  weightZeroPoints: number[];
  /** real-valued bias per output channel (the caller makes it float32 or int32) */
  biasReal: number[] | null;
  yScale: number;
  yZeroPoint: number;
  relu: boolean;
}

/** How a case stresses the arithmetic: most are typical, the rest aim at one edge. */
export type Stress = 'typical' | 'ties' | 'huge_multiplier' | 'tiny_multiplier' | 'bias_near_int32' | 'double_scales' | 'extremes';
const STRESSES: readonly Stress[] = ['typical', 'typical', 'typical', 'typical', 'ties', 'ties', 'huge_multiplier', 'tiny_multiplier', 'bias_near_int32', 'double_scales', 'extremes'];

export function drawStress(r: CaseRandom): Stress {
  return r.pick(STRESSES);
}

/** A float32-valued scale (observer-made scales are float32), log-uniform; a double with `doubles`. */
function drawScale(r: CaseRandom, lo: number, hi: number, doubles: boolean): number {
  const s = Math.exp(Math.log(lo) + r.next() * (Math.log(hi) - Math.log(lo)));
  return doubles ? s : Math.fround(s);
}

function drawInts(r: CaseRandom, count: number, lo: number, hi: number, extremes: boolean): number[] {
  return Array.from({ length: count }, () => (extremes && r.bool(0.6) ? r.pick([lo, hi]) : r.int(lo, hi)));
}

export interface ValueRules {
  /** activation range, e.g. [0, 255] for quint8 */
  readonly xRange: readonly [number, number];
  readonly weightZeroPoints: 'any' | 'zero' | 'uniform';
  readonly perChannel: boolean;
}

/**
 * The value rules of a torch case on `scheme` (torch-qnnpack@1, torch-onednn@1): quint8 x, as torch's engines take, and
 * the weight zero points its SCHEME_RULES allow (symmetric on onednn).
 */
export function torchValueRules(scheme: RequantScheme, weightQuantization: WeightQuantization): ValueRules {
  return { xRange: [0, 255], weightZeroPoints: SCHEME_RULES[scheme].weightZeroPoints, perChannel: weightQuantization === 'per_channel' };
}

/**
 * Values and qparams. The output scale is derived from the accumulator's spread so most outputs are not
 * saturated; stresses then move it: `ties` makes the multiplier a power of two (exact .5 ties),
 * `huge_multiplier`/`tiny_multiplier` saturate or flatten, `bias_near_int32` puts the bias within reach of
 * int32 in accumulator units.
 */
export function drawConvValues(r: CaseRandom, g: DrawnGeometry, rules: ValueRules, stress: Stress): DrawnConvValues {
  const [xlo, xhi] = rules.xRange;
  const doubles = stress === 'double_scales';
  const extremes = stress === 'extremes';
  const x = drawInts(r, g.n * g.c * g.h * g.w, xlo, xhi, extremes);
  const weight = drawInts(r, g.oc * Math.floor(g.c / g.groups) * g.kh * g.kw, -128, 127, extremes);
  const xScale = drawScale(r, 1e-3, 0.5, doubles);
  const xZeroPoint = r.bool(0.3) ? r.pick([xlo, xhi, Math.round((xlo + xhi) / 2)]) : r.int(xlo, xhi);
  const k = rules.perChannel ? g.oc : 1;
  const weightScales = Array.from({ length: k }, () => drawScale(r, 1e-3, 0.2, doubles));
  const zp0 = r.int(-20, 20);
  const weightZeroPoints = Array.from({ length: k }, () => (rules.weightZeroPoints === 'zero' ? 0 : rules.weightZeroPoints === 'uniform' ? zp0 : r.bool(0.5) ? 0 : r.int(-128, 127)));
  const taps = Math.max(1, Math.floor(g.c / g.groups)) * g.kh * g.kw;
  const accSpread = Math.sqrt(taps) * 75 * 70 * xScale * (weightScales[0] as number);
  let yScale = drawScale(r, accSpread / 400, accSpread / 20, doubles);
  if (stress === 'ties') yScale = xScale * (weightScales[0] as number) * 2 ** r.int(-1, 7); // M = 2^-k
  if (stress === 'huge_multiplier') yScale = (xScale * (weightScales[0] as number)) / 2 ** r.int(10, 24);
  if (stress === 'tiny_multiplier') yScale = accSpread * 2 ** r.int(2, 12);
  const biasReal = r.bool(0.3) ? null : Array.from({ length: g.oc }, (_, c) => {
    const unit = xScale * (weightScales[rules.perChannel ? c : 0] as number);
    if (stress === 'bias_near_int32') return unit * (r.bool(0.5) ? 1 : -1) * (2 ** 31 - r.int(0, 40000));
    if (stress === 'ties') return unit * (r.int(-2000, 2000) + 0.5);
    return r.normal() * accSpread;
  });
  return { x, xScale, xZeroPoint, weight, weightScales, weightZeroPoints, biasReal, yScale, yZeroPoint: r.int(xlo, xhi), relu: r.bool(0.3) };
}
