import { type SumLaneWidth, UPSAMPLE_RATE_V2 } from '../../../contract/ops.js';
import { f32Add, f32Div, f32Mul, f32Sub, intToF32 } from '../../exact/float_arith.js';
import { ieeeEqual, ieeeLess } from '../../exact/ieee_compare.js';
import type { IeeeValue } from '../../exact/ieee_value.js';
import { HALF_F32, ZERO_F32 } from '../../constants.js';
import { toF32Tensor } from '../../values.js';
import { histc, linspaceScalarElement, linspaceStep } from './histc.js';
import { torchSumF32 } from './torch_sum.js';


/** torch.linspace(start, end, steps) in float32, scalar kernel (torch 2.x), every element. */
function linspaceF32(start: IeeeValue, end: IeeeValue, steps: number): IeeeValue[] {
  const step = linspaceStep(start, end, steps);
  return Array.from({ length: steps }, (_, i) => linspaceScalarElement(start, end, step, steps, i));
}

/**
 * torch.bucketize(v, boundaries, right=True) for one value (aten/src/ATen/native/Bucketization.cpp
 * cus_upper_bound): a binary search for the first boundary > v, run literally, so a boundary sequence that
 * is not sorted (linspace's two halves may meet out of order by an ulp) gives torch's answer.
 */
export function bucketizeRight(v: IeeeValue, boundaries: readonly IeeeValue[]): number {
  let start = 0;
  let end = boundaries.length;
  while (start < end) {
    const mid = start + ((end - start) >> 1);
    if (!ieeeLess(v, boundaries[mid]!)) start = mid + 1; // !(mid_val > val)
    else end = mid;
  }
  return start;
}

/**
 * HistogramObserver._upscale_histogram (torch 2.x observer.py, from source): the old histogram spread over
 * bins * 16 sub-bins and re-binned by their midpoints into the new range. Domains (float32 throughout):
 *   h = f32(repeat_interleave(hist, 16) / f32(16));  bin_size = f32(f32(omax - omin) / f32(bins * 16))
 *   mids[i] = f32(linspace(omin, omax, bins * 16 + 1)[i] + f32(0.5 * bin_size))
 *   idx[i] = clamp(bucketize(mids[i], linspace(umin, umax, bins + 1), right=True) - 1, 0, bins - 1)
 *   out = bincount(idx, weights=h): out[idx[i]] = f32(out[idx[i]] + h[i]) in index order
 */
export function upscaleHistogram(hist: readonly IeeeValue[], origMin: IeeeValue, origMax: IeeeValue, updateMin: IeeeValue, updateMax: IeeeValue): IeeeValue[] {
  const bins = hist.length;
  const cells = bins * UPSAMPLE_RATE_V2;
  const uF = intToF32(BigInt(UPSAMPLE_RATE_V2));
  const binSize = f32Div(f32Sub(origMax, origMin), intToF32(BigInt(cells)));
  const halfBin = f32Mul(HALF_F32, binSize);
  const mids = linspaceF32(origMin, origMax, cells + 1).slice(0, cells).map((p) => f32Add(p, halfBin));
  const boundaries = linspaceF32(updateMin, updateMax, bins + 1);
  const out: IeeeValue[] = new Array<IeeeValue>(bins).fill(ZERO_F32);
  mids.forEach((mid, i) => {
    const k = Math.min(Math.max(bucketizeRight(mid, boundaries) - 1, 0), bins - 1);
    out[k] = f32Add(out[k]!, f32Div(hist[Math.floor(i / UPSAMPLE_RATE_V2)]!, uF));
  });
  return out;
}

/**
 * HistogramObserver._combine_histograms of torch 2.6 (from source), called when the merged range differs
 * from the old one:
 *   orig_min == orig_max: histc(orig_min, bins, umin, umax) * torch.sum(update_hist) + update_hist
 *     (2.6 weighs the old single value by the NEW histogram's total; later versions use orig_hist)
 *   otherwise: update_hist + _upscale_histogram(orig_hist, omin, omax, umin, umax)      float32 adds
 */
export function combineHistogramsV2(
  origHist: readonly IeeeValue[],
  origMin: IeeeValue,
  origMax: IeeeValue,
  updateHist: readonly IeeeValue[],
  updateMin: IeeeValue,
  updateMax: IeeeValue,
  lanes: SumLaneWidth,
  what: string,
): IeeeValue[] {
  const bins = origHist.length;
  if (ieeeEqual(origMin, origMax)) {
    const binValue = torchSumF32(updateHist, lanes);
    const placed = histc(toF32Tensor([1], [origMin]), bins, updateMin, updateMax, { torch: '2.x' }, what);
    return placed.map((c, k) => f32Add(f32Mul(c, binValue), updateHist[k]!));
  }
  const transformed = upscaleHistogram(origHist, origMin, origMax, updateMin, updateMax);
  return updateHist.map((u, k) => f32Add(u, transformed[k]!));
}
