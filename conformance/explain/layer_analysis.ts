/**
 * One conv layer on one input, under every (scheme, accumulator) the contract has: the fast impl computes each
 * whole output; every output that differs from the model's own backend (the baseline) is counted by its
 * difference k (other - baseline) and by the step that explains it; the first difference is recomputed element
 * by element by the exact reference (reference/conv/conv2d.ts quantizedConv2dElement), and both values must
 * match the impl's.
 *
 * Which step (`cause`), for an output whose schemes differ on the same accumulator:
 *   - `bias rounding`: the layer has a bias that one of the two schemes takes as float32 and the other as an
 *     int32; with the int32 bias folded into the accumulator for both (requant_pair.ts, bias removed) they agree;
 *   - `clamp range`: one side is at the output clamp and the value before rounding is beyond it;
 *   - `double rounding`: the other scheme rounds twice (TFLite's default, TOSA double_round, CMSIS-NN) and its
 *     single-rounding twin (same multiplier and shift, one rounding) gives the baseline's value;
 *   - `rounding at a tie`: the exact value before rounding is within 2^-18 (relative) of k + 1/2, where the
 *     schemes' rounding directions (half even, half up, half away, double rounding) part;
 *   - `multiplier precision`: otherwise, the schemes' multipliers (float32, Q31 fixed point) differ enough;
 * and for the same scheme on another accumulator: `pair saturation` (sat16 models) or `int32 wrap`.
 */
import { ACCUMULATORS, type Accumulator, type Conv2dArgs, REQUANT_SCHEMES, type RequantScheme } from '../../contract/conv.js';
import { SCHEME_RULES } from '../../contract/conv_schemes.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import { isQconformError } from '../../contract/errors.js';
import type { IntTensor } from '../../contract/tensor.js';
import { channelQuant } from '../../impl/conv/channel_quant.js';
import { impl } from '../../impl/index.js';
import { quantizedConv2dElement } from '../../reference/conv/conv2d.js';
import { requantPair } from '../analysis/requant_pair.js';
import { convArgsFor } from './conv_args.js';
import { type ConvLayer, ModelReadError } from './model_types.js';

export const CAUSES = ['rounding at a tie', 'double rounding', 'multiplier precision', 'bias rounding', 'clamp range', 'pair saturation', 'int32 wrap'] as const;
export type Cause = (typeof CAUSES)[number];

/** Differing elements classified per pair at most (the rest are counted, not classified). */
export const MAX_CLASSIFIED = 4000;

export interface Position {
  readonly n: number;
  readonly oc: number;
  readonly oh: number;
  readonly ow: number;
}

export interface FirstDifference {
  readonly index: number;
  readonly position: Position;
  /** the baseline's held accumulator and the other's (they differ for accumulator variants) */
  readonly baselineAccumulator: string;
  readonly otherAccumulator: string;
  readonly baseline: number;
  readonly other: number;
  readonly cause: Cause;
  /** the exact reference gave the same two values */
  readonly referenceAgrees: boolean;
}

export interface Combination {
  readonly scheme: RequantScheme;
  readonly accumulator: Accumulator;
  /** the contract refuses this layer under it (the message), else null */
  readonly refused: string | null;
  readonly differing: number;
  readonly total: number;
  /** difference k = other - baseline -> count */
  readonly histogram: Readonly<Record<string, number>>;
  readonly causes: Partial<Record<Cause, number>>;
  readonly unclassified: number;
  readonly first: FirstDifference | null;
}

export interface LayerRun {
  readonly baseline: { readonly scheme: RequantScheme; readonly accumulator: Accumulator };
  readonly output: IntTensor;
  readonly combinations: readonly Combination[];
}

/** The baseline's accumulator unless the layer's kernel forms its sums otherwise (torch_engine.ts torchBaselineAccumulator). */
export const BASELINE_ACCUMULATOR: Accumulator = 'int32_wrap';

function positionOf(index: number, shape: readonly number[]): Position {
  const [, oc, oh, ow] = shape as [number, number, number, number];
  return { n: Math.floor(index / (oc * oh * ow)), oc: Math.floor(index / (oh * ow)) % oc, oh: Math.floor(index / ow) % oh, ow: index % ow };
}

function tryConv(a: Conv2dArgs): IntTensor | string {
  try {
    return impl.quantizedConv2d(a);
  } catch (e) {
    if (isQconformError(e)) return e.message;
    throw e;
  }
}

/** The exact value before rounding, y = z_y + (acc s_x s_w + b) / s_y, in float64 (a hint for tie detection only). */
function realValue(a: Conv2dArgs, oc: number, acc: number): number {
  const sw = a.weightScales.data[a.weightQuantization === 'per_channel' ? oc : 0]!;
  const b = a.bias === null ? 0 : a.bias.dtype === 'float32' ? a.bias.data[oc]! : a.bias.data[oc]! * a.xScale * sw;
  return a.yZeroPoint + (acc * a.xScale * sw + b) / a.yScale;
}

/** Each double-rounding scheme's single-rounding twin: the same integer multiplier and shift, rounded once. */
const SINGLE_ROUNDING_TWIN: Partial<Record<RequantScheme, RequantScheme>> = {
  'tflite-double-rounding@1': 'tflite-single-rounding@1',
  'cmsis-nn@1': 'tflite-single-rounding@1',
  'tosa-double-round@1': 'tosa-single-round@1',
};

function classifySchemes(layer: ConvLayer, base: Conv2dArgs, other: Conv2dArgs, p: Position, exactAcc: number, yBase: number, yOther: number): Cause {
  const g = checkConv2d(base);
  if (layer.bias && SCHEME_RULES[base.scheme].bias.includes('float32') !== SCHEME_RULES[other.scheme].bias.includes('float32')) {
    const intArgs = base.bias?.dtype === 'int32' ? base : other;
    const bq = intArgs.bias!.data[p.oc]!;
    const folded = [base, other].map((a) => requantPair(a.scheme, { ...channelQuant(a, g, p.oc), bias: null }, 'wrap').impl(exactAcc + bq));
    if (folded[0] === folded[1]) return 'bias rounding';
  }
  const r = realValue(base, p.oc, exactAcc);
  const lo = g.outMin;
  const hi = g.outMax;
  if ((r < lo - 0.5 || r > hi + 0.5) && [yBase, yOther].some((y) => y === lo || y === hi)) return 'clamp range';
  const twin = SINGLE_ROUNDING_TWIN[other.scheme];
  if (twin) {
    const twinArgs = { ...other, scheme: twin };
    if (requantPair(twin, channelQuant(twinArgs, g, p.oc), 'wrap').impl(exactAcc) === yBase) return 'double rounding';
  }
  const frac = r - Math.floor(r);
  if (Math.abs(frac - 0.5) <= 2 ** -18 * Math.max(1, Math.abs(r - base.yZeroPoint))) return 'rounding at a tie';
  return 'multiplier precision';
}

function compare(layer: ConvLayer, base: Conv2dArgs, baseOut: IntTensor, other: Conv2dArgs, out: IntTensor, sameSchemeWrap: IntTensor | null): Omit<Combination, 'scheme' | 'accumulator' | 'refused'> {
  const histogram: Record<string, number> = {};
  const causes: Partial<Record<Cause, number>> = {};
  let differing = 0;
  let unclassified = 0;
  let first: FirstDifference | null = null;
  const exactArgs = { ...base, accumulator: 'exact' as const, scheme: 'exact@1' as const, bias: null };
  for (let i = 0; i < out.data.length; i++) {
    const yb = baseOut.data[i]!;
    const yo = out.data[i]!;
    if (yb === yo) continue;
    differing++;
    const k = String(yo - yb);
    histogram[k] = (histogram[k] ?? 0) + 1;
    if (differing > MAX_CLASSIFIED && first) {
      unclassified++;
      continue;
    }
    const p = positionOf(i, out.shape);
    let cause: Cause;
    const exactAcc = Number(quantizedConv2dElement(exactArgs, p.n, p.oc, p.oh, p.ow).acc);
    // another accumulator: its own step only where the same scheme on the baseline accumulator gives another value
    const accumulatorStep = other.accumulator !== base.accumulator && (sameSchemeWrap === null || sameSchemeWrap.data[i] !== yo);
    if (accumulatorStep) cause = [other.accumulator, base.accumulator].some((a) => a.startsWith('sat16')) ? 'pair saturation' : 'int32 wrap';
    else cause = classifySchemes(layer, base, { ...other, accumulator: base.accumulator }, p, exactAcc, yb, yo);
    causes[cause] = (causes[cause] ?? 0) + 1;
    if (!first) {
      const rb = quantizedConv2dElement(base, p.n, p.oc, p.oh, p.ow);
      const ro = quantizedConv2dElement(other, p.n, p.oc, p.oh, p.ow);
      first = {
        index: i,
        position: p,
        baselineAccumulator: rb.acc.toString(),
        otherAccumulator: ro.acc.toString(),
        baseline: yb,
        other: yo,
        cause,
        referenceAgrees: Number(rb.y) === yb && Number(ro.y) === yo,
      };
    }
  }
  return { differing, total: out.data.length, histogram, causes, unclassified, first };
}

/**
 * Runs `layer` on `x` under the baseline (the model's scheme on `baselineAccumulator`, the sums its kernel forms) and
 * every other (scheme, accumulator), and compares.
 */
export function analyseLayer(layer: ConvLayer, x: IntTensor, baselineScheme: RequantScheme, baselineAccumulator: Accumulator = BASELINE_ACCUMULATOR): LayerRun {
  const base = convArgsFor(layer, x, baselineScheme, baselineAccumulator);
  const baseOut = tryConv(base);
  if (typeof baseOut === 'string') throw new ModelReadError(layer.name, `the model's own scheme ${baselineScheme}${baselineAccumulator === BASELINE_ACCUMULATOR ? '' : ` on ${baselineAccumulator}`} refuses this layer: ${baseOut}`);
  const combinations: Combination[] = [];
  for (const scheme of REQUANT_SCHEMES) {
    // the scheme on the baseline's accumulator: where another accumulator gives the same as it, the difference is the scheme's
    const sameAccumulator = scheme === baselineScheme ? baseOut : tryConv(convArgsFor(layer, x, scheme, baselineAccumulator));
    for (const accumulator of ACCUMULATORS) {
      if (scheme === baselineScheme && accumulator === baselineAccumulator) continue;
      if (accumulator === 'exact') continue; // int32_wrap without an overflow; an overflow is shown as int32 wrap
      const args = convArgsFor(layer, x, scheme, accumulator);
      const out = accumulator === baselineAccumulator ? sameAccumulator : tryConv(args);
      if (typeof out === 'string') {
        combinations.push({ scheme, accumulator, refused: out, differing: 0, total: 0, histogram: {}, causes: {}, unclassified: 0, first: null });
        continue;
      }
      combinations.push({ scheme, accumulator, refused: null, ...compare(layer, base, baseOut, args, out, typeof sameAccumulator === 'string' ? null : sameAccumulator) });
    }
  }
  return { baseline: { scheme: baselineScheme, accumulator: baselineAccumulator }, output: baseOut, combinations };
}
