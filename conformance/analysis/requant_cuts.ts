/**
 * Where a scheme's requantization, as a function of the int32 accumulator, may stop being monotone
 * (the "known wrap points" of the 2^32 proof): int32 wrap of accumulator + bias, qnnpack's cvtps2dq
 * overflow to INT32_MIN, PT2E's truncating cast and zero-point wrap, TFLite's wrapping left shift, single-rounding int32 cast and
 * zero-point add (contract/tflite_output_stage.ts), TOSA's REQUIRE
 * range. Between consecutive cut points every scheme is a composition of monotone non-decreasing steps
 * (its multiplier is positive). Cut points are derived from the impl's prepared parameters.
 */
import type { RequantScheme } from '../../contract/conv.js';
import type { ChannelQuantF } from '../../impl/requant/types.js';
import { tfliteInt8KernelShift } from '../../contract/tflite_output_stage.js';
import { mulShiftHalfUp } from '../../impl/requant/fixed_point.js';
import type { QnnpackParamsF } from '../../impl/requant/torch_qnnpack.js';
import { type TfliteParamsF, mbqmDoubleRounding } from '../../impl/requant/tflite_double_rounding.js';
import { mbqmSingleRounding } from '../../impl/requant/tflite_single_rounding.js';
import type { TosaParamsF } from '../../impl/requant/tosa_rescale.js';
import type { Pt2eReferenceParamsF } from '../../impl/requant/pt2e_reference_representation.js';
import { f32Mul, trunc32 } from '../../impl/float32.js';

export const INT32_MIN = -(2 ** 31);
export const INT32_MAX = 2 ** 31 - 1;

const wrap = (v: number) => Number(BigInt.asIntN(32, BigInt(v)));

/** First x in [lo, hi] with pred(x) (pred monotone false -> true), or null. */
export function firstTrue(lo: number, hi: number, pred: (x: number) => boolean): number | null {
  if (!pred(hi)) return null;
  while (lo < hi) {
    const mid = Math.floor((lo + hi) / 2);
    if (pred(mid)) hi = mid;
    else lo = mid + 1;
  }
  return lo;
}

/** Cut points in x = wrap32(acc + bias) mapped back to accumulators, plus the wrap point of acc + bias itself. */
function inAccumulatorDomain(xCuts: readonly number[], bias: number): number[] {
  const cuts = xCuts.map((x) => wrap(x - bias));
  if (bias > 0) cuts.push(INT32_MAX - bias + 1);
  if (bias < 0) cuts.push(INT32_MIN - bias);
  return cuts;
}

function tfliteShiftWraps(p: TfliteParamsF): number[] {
  const cuts: number[] = [];
  if (p.left === 0) return cuts;
  const step = 2 ** (31 - p.left);
  for (let x = -(2 ** 31) + step; x <= INT32_MAX; x += 2 * step) cuts.push(x); // x * 2^left crosses 2^31 (2j + 1)
  return cuts;
}

function singleRoundingWraps(p: TfliteParamsF): number[] {
  const r = (x: number) => mulShiftHalfUp(x, p.m, p.totalShift);
  const cuts: number[] = [];
  const [lo, hi] = [r(INT32_MIN), r(INT32_MAX)];
  for (let t = 2 ** 31 * (2 * Math.ceil((lo / 2 ** 31 - 1) / 2) + 1); t <= hi; t += 2 ** 32) {
    const x = firstTrue(INT32_MIN, INT32_MAX, (v) => r(v) >= t);
    if (x !== null) cuts.push(x);
  }
  return cuts;
}

/**
 * Where TFLite's `acc += output_offset` wraps (contract/tflite_output_stage.ts): in each run of x between the cut points
 * `xCuts` (where MBQM, `mbqm`, is monotone), the first x whose r = mbqm(x) leaves the wrap: r + zp' > INT32_MAX for
 * zp' > 0, r + zp' >= INT32_MIN for zp' < 0, zp' the zero point of the output dtype's int8 kernel.
 */
function tfliteZeroPointWraps(p: TfliteParamsF, xCuts: readonly number[], mbqm: (x: number) => number): number[] {
  const zp = p.c.yZeroPoint - tfliteInt8KernelShift(p.c.outMax);
  if (zp === 0) return [];
  const starts = [...new Set([INT32_MIN, ...xCuts.filter((x) => x > INT32_MIN && x <= INT32_MAX)])].sort((a, b) => a - b);
  const cuts: number[] = [];
  starts.forEach((lo, i) => {
    const hi = i + 1 < starts.length ? (starts[i + 1] as number) - 1 : INT32_MAX;
    const x = firstTrue(lo, hi, zp > 0 ? (v) => mbqm(v) + zp > INT32_MAX : (v) => mbqm(v) + zp >= INT32_MIN);
    if (x !== null && x > lo) cuts.push(x);
  });
  return cuts;
}

/** The accumulator cut points of (scheme, channel) with the impl's parameters `params`. */
export function requantCuts(scheme: RequantScheme, c: ChannelQuantF, params: unknown): number[] {
  const intBias = c.bias?.kind === 'int32' ? c.bias.value : 0;
  switch (scheme) {
    case 'torch-qnnpack@1': {
      const p = params as QnnpackParamsF;
      const overflow = firstTrue(INT32_MIN, INT32_MAX, (a) => Math.fround(Math.fround(a) * p.multiplier) >= 2 ** 31);
      return inAccumulatorDomain(overflow === null ? [] : [overflow], p.biasQ);
    }
    case 'tflite-double-rounding@1': {
      const p = params as TfliteParamsF;
      const xCuts = tfliteShiftWraps(p);
      return inAccumulatorDomain([...xCuts, ...tfliteZeroPointWraps(p, xCuts, (x) => mbqmDoubleRounding(x, p.m, p.left, p.right))], intBias);
    }
    case 'cmsis-nn@1':
      return inAccumulatorDomain(tfliteShiftWraps(params as TfliteParamsF), intBias);
    case 'tflite-single-rounding@1': {
      const p = params as TfliteParamsF;
      const xCuts = singleRoundingWraps(p);
      return inAccumulatorDomain([...xCuts, ...tfliteZeroPointWraps(p, xCuts, (x) => mbqmSingleRounding(x, p.m, p.totalShift))], intBias);
    }
    case 'tosa-single-round@1':
    case 'tosa-double-round@1': {
      const half = 2 ** ((params as TosaParamsF).shift - 1);
      return inAccumulatorDomain([-half, half].filter((x) => x > INT32_MIN && x <= INT32_MAX), intBias);
    }
    case 'pt2e-reference-representation@1': {
      // x = wrap32(acc + truncated bias); trunc32(f32(f32(x) * M)) jumps to INT32_MIN past 2^31, and + z_y wraps
      const p = params as Pt2eReferenceParamsF;
      const scaled = (x: number) => trunc32(f32Mul(Math.fround(x), p.multiplier));
      const overflow = firstTrue(INT32_MIN, INT32_MAX, (x) => f32Mul(Math.fround(x), p.multiplier) >= 2 ** 31);
      const zpWrap = p.zeroPoint > 0 ? firstTrue(INT32_MIN, overflow === null ? INT32_MAX : overflow - 1, (x) => scaled(x) + p.zeroPoint > INT32_MAX) : firstTrue(INT32_MIN, INT32_MAX, (x) => scaled(x) + p.zeroPoint >= INT32_MIN);
      return inAccumulatorDomain([overflow, zpWrap].filter((x): x is number => x !== null && x > INT32_MIN), p.biasI32);
    }
    default:
      return inAccumulatorDomain([], intBias);
  }
}
