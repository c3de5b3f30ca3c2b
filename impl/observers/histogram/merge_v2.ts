import { type SumLaneWidth, UPSAMPLE_RATE_V2 } from '../../../contract/ops.js';
import { histc } from './histc.js';
import { linspaceElement, linspaceStep } from './linspace.js';
import { torchSumF32 } from './torch_sum.js';

const f32 = Math.fround;

/** torch.bucketize(v, boundaries, right=True): cus_upper_bound's binary search, literally (boundaries need not be sorted). */
function bucketizeRight(v: number, boundaries: Float32Array): number {
  let start = 0;
  let end = boundaries.length;
  while (start < end) {
    const mid = start + ((end - start) >> 1);
    if (!((boundaries[mid] as number) > v)) start = mid + 1;
    else end = mid;
  }
  return start;
}

/**
 * torch 2.x _upscale_histogram (from source): h = f32(hist[i / 16] / 16) over bins * 16 sub-bins whose
 * midpoints f32(linspace(omin, omax, bins*16 + 1)[i] + f32(0.5 * f32(f32(omax - omin) / f32(bins * 16))))
 * are bucketized (right=True) into linspace(umin, umax, bins + 1), clamped to [0, bins - 1], and
 * accumulated in float32 in index order (bincount with float32 weights).
 */
function upscaleHistogram(hist: Float32Array, origMin: number, origMax: number, updateMin: number, updateMax: number): Float32Array {
  const bins = hist.length;
  const cells = bins * UPSAMPLE_RATE_V2;
  const halfBin = f32(0.5 * f32(f32(origMax - origMin) / f32(cells)));
  const boundaries = new Float32Array(bins + 1);
  const boundaryStep = linspaceStep(updateMin, updateMax, bins + 1);
  for (let k = 0; k <= bins; k++) boundaries[k] = linspaceElement(updateMin, updateMax, boundaryStep, bins + 1, k);
  const midStep = linspaceStep(origMin, origMax, cells + 1);
  const out = new Float32Array(bins);
  for (let i = 0; i < cells; i++) {
    const mid = f32(linspaceElement(origMin, origMax, midStep, cells + 1, i) + halfBin);
    const k = Math.min(Math.max(bucketizeRight(mid, boundaries) - 1, 0), bins - 1);
    out[k] = out[k]! + f32((hist[Math.floor(i / UPSAMPLE_RATE_V2)] as number) / UPSAMPLE_RATE_V2);
  }
  return out;
}

/**
 * torch 2.6 _combine_histograms (from source) for a changed range: a single-valued old histogram
 * (orig_min == orig_max) becomes histc(orig_min, bins, umin, umax) * sum(update_hist) (2.6 weighs it by the
 * NEW histogram's total); otherwise update_hist + _upscale_histogram(orig_hist, ...). float32 throughout.
 */
export function combineHistogramsV2(origHist: Float32Array, origMin: number, origMax: number, updateHist: Float32Array, updateMin: number, updateMax: number, lanes: SumLaneWidth, what: string): Float32Array {
  const bins = origHist.length;
  const out = new Float32Array(bins);
  if (origMin === origMax) {
    const binValue = torchSumF32(updateHist, bins, lanes);
    const placed = histc(Float32Array.of(origMin), bins, updateMin, updateMax, { torch: '2.x' }, what);
    for (let k = 0; k < bins; k++) out[k] = f32(placed[k]! * binValue) + updateHist[k]!;
    return out;
  }
  const transformed = upscaleHistogram(origHist, origMin, origMax, updateMin, updateMax);
  for (let k = 0; k < bins; k++) out[k] = updateHist[k]! + transformed[k]!;
  return out;
}
