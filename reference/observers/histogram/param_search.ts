import { f32Add, f32Div, f32Mul, f32Sub, f64Add, f64Mul, f64Sub, intToF32, toF32 } from '../../exact/float_arith.js';
import { fromFloat64 } from '../../exact/ieee_bits.js';
import { ieeeLess } from '../../exact/ieee_compare.js';
import { type IeeeValue, POS_INF, exactValue, finite } from '../../exact/ieee_value.js';
import { Rational, floorLog2 } from '../../exact/rational.js';
import { roundRational } from '../../exact/rounding.js';
import { ONE_F32, ZERO_F32 } from '../../constants.js';
import { cumsumF32 } from './cumsum.js';
import { type ErrorModel, quantizationError } from './quantization_error.js';
import { torchSumF32 } from './torch_sum.js';

/** stepsize = 1e-5, a Python float (the binary64 nearest to 1e-5). */
const STEP = fromFloat64(1e-5);

export interface SearchResult {
  /** new_min / new_max: 0-dim float32 tensors handed to _calculate_qparams. */
  readonly newMin: IeeeValue;
  readonly newMax: IeeeValue;
  /** The bins the search kept (start_bin, end_bin), for tests and explanations. */
  readonly startBin: number;
  readonly endBin: number;
}

/**
 * HistogramObserver._non_linear_param_search (observer.py l.1014; unchanged in 2.x): shrink [start_bin,
 * end_bin] from the side whose quantile moves more bins, while the quantization error does not grow.
 * Domains:
 *   bin_width = f32(f32(max - min) / f32(bins))               0-dim float32 tensor
 *   total = (double) torch.sum(histogram)                     float32 cascade sum (torchSumF32)
 *   cSum = torch.cumsum(histogram)                            float32 out of a float64 accumulator
 *   alpha, beta, next_alpha = f64(alpha + 1e-5), next_beta = f64(beta - 1e-5): Python doubles
 *   cSum[l] < next_alpha * total: the double product f64(next_alpha * total) is cast to float32, compared in float32
 *   norm > norm_min: doubles (a NaN norm never breaks)
 *   new_min = f32(min + f32(bin_width * f32(start_bin))), new_max = f32(min + f32(bin_width * f32(end_bin + 1)))
 */
export function nonLinearParamSearch(model: ErrorModel): SearchResult {
  const bins = model.histogram.length;
  const binWidth = f32Div(f32Sub(model.maxVal, model.minVal), intToF32(BigInt(bins)));
  const total = torchSumF32(model.histogram, model.lanes);
  const cSum = cumsumF32(model.histogram);
  let alpha: IeeeValue = ZERO_F32;
  let beta: IeeeValue = ONE_F32;
  let startBin = 0;
  let endBin = bins - 1;
  let normMin: IeeeValue = POS_INF;
  // the lower quantile changes only with alpha: keep it between alpha's moves (the same values, computed once)
  let alphaThreshold: { alpha: IeeeValue; next: IeeeValue; threshold: IeeeValue } | null = null;
  while (ieeeLess(alpha, beta)) {
    if (alphaThreshold === null || alphaThreshold.alpha !== alpha) {
      const next = f64Add(alpha, STEP);
      alphaThreshold = { alpha, next, threshold: toF32(f64Mul(next, total)) };
    }
    if (startBin === endBin || !ieeeLess(cSum[startBin]!, alphaThreshold.threshold)) {
      // l stays at start_bin: this iteration and the next ones move only beta, and change nothing while r stays
      const [s, e] = [startBin, endBin];
      beta = skipUnchangedIterations(alpha, beta, (nextBeta) => s === e || !ieeeLess(toF32(f64Mul(nextBeta, total)), cSum[e]!));
      if (!ieeeLess(alpha, beta)) break;
    }
    const nextAlpha = alphaThreshold.next;
    const nextBeta = f64Sub(beta, STEP);
    const betaThreshold = toF32(f64Mul(nextBeta, total));
    let l = startBin;
    let r = endBin;
    while (l < endBin && ieeeLess(cSum[l]!, alphaThreshold.threshold)) l++;
    while (r > startBin && ieeeLess(betaThreshold, cSum[r]!)) r--;
    let nextStart = startBin;
    let nextEnd = endBin;
    if (l - startBin > endBin - r) {
      nextStart = l;
      alpha = nextAlpha;
    } else {
      nextEnd = r;
      beta = nextBeta;
    }
    if (nextStart === startBin && nextEnd === endBin) continue;
    const norm = quantizationError(model, nextStart, nextEnd);
    if (ieeeLess(normMin, norm)) break;
    normMin = norm;
    startBin = nextStart;
    endBin = nextEnd;
  }
  return {
    newMin: f32Add(model.minVal, f32Mul(binWidth, intToF32(BigInt(startBin)))),
    newMax: f32Add(model.minVal, f32Mul(binWidth, intToF32(BigInt(endBin + 1)))),
    startBin,
    endBin,
  };
}

/**
 * Runs of iterations that change nothing. While l stays at start_bin (alpha fixed) and r stays at end_bin,
 * each iteration only sets beta = f64(beta - 1e-5) and `continue`s; `unchanged(next_beta)` says r stays.
 * Returns beta after the longest such run (zero iterations included), so the caller's next iteration either
 * moves r or ends the loop. Exact, without stepping 1e-5 at a time: while beta - 1e-5 stays in beta's binade
 * [2^j, 2^(j+1)), whose doubles are the multiples of u = 2^(j-52), and 1e-5/u is not a tie, every step
 * subtracts the same D = u * round_half_even(1e-5 / u) (beta/u is an integer), so beta_k = beta_0 - k*D; both
 * conditions of a run are monotone in k (alpha < beta_(k-1); f32(f64(beta_k * total)) does not increase), so
 * the run's end is found by bisection. Outside such a block one step is taken as torch does.
 */
function skipUnchangedIterations(alpha: IeeeValue, beta: IeeeValue, unchanged: (nextBeta: IeeeValue) => boolean): IeeeValue {
  for (;;) {
    if (!ieeeLess(alpha, beta)) return beta;
    const block = regularBlock(beta);
    if (block === null) {
      const next = f64Sub(beta, STEP);
      if (!unchanged(next)) return beta;
      beta = next;
      continue;
    }
    const start = exactValue(beta);
    const betaAt = (k: bigint): IeeeValue => finite(start.sub(block.decrement.mul(Rational.fromInt(k))));
    const isContinue = (k: bigint) => ieeeLess(alpha, betaAt(k - 1n)) && unchanged(betaAt(k)); // iteration k of the run
    if (isContinue(block.steps)) {
      beta = betaAt(block.steps);
      continue;
    }
    let lo = 0n; // iterations 1..lo continue
    let hi = block.steps; // iteration hi does not
    while (hi - lo > 1n) {
      const mid = (lo + hi) / 2n;
      if (isContinue(mid)) lo = mid;
      else hi = mid;
    }
    return betaAt(lo);
  }
}

/** The steps beta can take inside its binade with one constant decrement, or null (a tie, a subnormal, no room). */
function regularBlock(beta: IeeeValue): { decrement: Rational; steps: bigint } | null {
  if (beta.kind !== 'finite' || beta.value.sign() <= 0) return null;
  const j = floorLog2(beta.value);
  if (j < -1022) return null;
  const ulp = Rational.pow2(j - 52);
  const ratio = exactValue(STEP).div(ulp);
  if (ratio.fraction().eq(Rational.of(1n, 2n))) return null;
  const decrement = Rational.fromInt(roundRational(ratio, 'half_even')).mul(ulp);
  const room = exactValue(beta).sub(exactValue(STEP)).sub(Rational.pow2(j)); // step k stays in the binade iff (k-1)*D <= room
  if (room.sign() < 0 || decrement.isZero()) return null;
  return { decrement, steps: room.div(decrement).floor() + 1n };
}