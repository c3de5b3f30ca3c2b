import { f32Add, f32Div, f32Mul, f32Sub, f64Mul, f64Sub, intToF32, toF32 } from '../../exact/float_arith.js';
import { fromFloat64 } from '../../exact/ieee_bits.js';
import { ieeeLess } from '../../exact/ieee_compare.js';
import { type IeeeValue, POS_INF } from '../../exact/ieee_value.js';
import { ONE_F32, ZERO_F32 } from '../../constants.js';
import { cumsumF32, f64Add } from './cumsum.js';
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
