import { QconformError } from '../../../contract/errors.js';
import { MAX_MERGE_BYTES } from '../../../contract/ops.js';
import { f32Add, f32Div, f32Mul, f32Sub, f64Div, f64Sub, intToF32, intToF64, toF32 } from '../../exact/float_arith.js';
import type { IeeeValue } from '../../exact/ieee_value.js';
import { INT64_MAX, nearbyint } from '../../exact/x86_conversions.js';
import { ZERO_F32 } from '../../constants.js';
import { ceilF32, pythonInt } from './python_scalars.js';
import { repeatedF64Add } from './repeated_f64_add.js';

export interface AdjustedRange {
  readonly combinedMin: IeeeValue;
  readonly combinedMax: IeeeValue;
  readonly downsampleRate: bigint;
  readonly startIdx: bigint;
}

/**
 * HistogramObserver._adjust_min_max of torch 1.13.1 (observer.py l.1077, before PR #86522): a common grid
 * for the old histogram (upsampled by U) and the merged range. Domains: float32 tensor ops; Python ints
 * meet the 0-dim float32 tensors as float32 (f32(bins * U), f32(bins), f32(downsample_rate)):
 *   hbw = f32(f32(max_val - min_val) / f32(bins * U));  t = f32(f32(bins) * hbw)
 *   downsample_rate = int(ceil(f32(f32(cmax - cmin) / t)))               Python int, unbounded
 *   e = f32(f32(f32(downsample_rate) * t) - f32(cmax - cmin));  cmax = f32(cmax + e)   only the max is relaxed
 *   start_idx = int(round_half_even(f32(f32(min_val - cmin) / hbw)))
 * int() of an infinite or NaN quotient (hbw underflowing to 0, cmax - cmin overflowing) raises in torch; a
 * downsample_rate beyond int64 fails its conversion to a Scalar in the next line (histogram_too_large).
 */
export function adjustMinMax(minVal: IeeeValue, maxVal: IeeeValue, combinedMin: IeeeValue, combinedMax: IeeeValue, bins: number, upsampleRate: number, what: string): AdjustedRange {
  const hbw = f32Div(f32Sub(maxVal, minVal), intToF32(BigInt(bins) * BigInt(upsampleRate)));
  const gridSpan = f32Mul(intToF32(BigInt(bins)), hbw);
  const span = f32Sub(combinedMax, combinedMin);
  const downsampleRate = pythonInt(ceilF32(f32Div(span, gridSpan)), `${what}: _adjust_min_max downsample_rate`);
  if (downsampleRate > INT64_MAX) {
    // `downsample_rate * (bins * hbw)` hands the Python int to torch as a Scalar: "Overflow when unpacking long"
    throw new QconformError('histogram_too_large', `${what}: _adjust_min_max downsample_rate`, `${downsampleRate}`, 'beyond int64: the merge would need more than bins * 2^63 cells');
  }
  const e = f32Sub(f32Mul(intToF32(downsampleRate), gridSpan), span);
  const relaxedMax = f32Add(combinedMax, e);
  const startIdx = pythonInt(nearbyint(f32Div(f32Sub(minVal, combinedMin), hbw)), `${what}: _adjust_min_max start_idx`);
  return { combinedMin, combinedMax: relaxedMax, downsampleRate, startIdx };
}

/**
 * HistogramObserver._combine_histograms of torch 1.13.1 (observer.py l.1103), called with
 * orig_hist = the new batch's histc and new_hist = the observer's histogram:
 *   up  = repeat_interleave(new_hist, U)                           float32, bins * U cells
 *   buf = zeros(bins * ds); buf[start_idx : start_idx + bins * U] = up   (a shape mismatch raises)
 *   I   = cumsum(buf, dtype=float64)[ds - 1 :: ds]                  sequential float64 sums, bins of them
 *   S   = zeros(bins) float32; S[1:] = (float)I[:-1]                the shifted sums are ROUNDED to float32
 *   out = f32(orig_hist + (float)(f64(f64(I - (double)S) / U)))
 * The buffer is never materialized: outside the upsampled cells it holds zeros, which leave a float64 sum
 * unchanged, so I[k] is the sequential float64 sum of the upsampled cells up to position (k + 1) * ds - 1.
 * torch allocates the buffer (4 bytes a cell, plus 8 for its float64 cumsum) without a limit; qconform raises
 * histogram_too_large above MAX_MERGE_BYTES (a CONTRACT_REJECTIONS entry).
 */
export function combineHistogramsV1(
  origHist: readonly IeeeValue[],
  newHist: readonly IeeeValue[],
  upsampleRate: number,
  downsampleRate: bigint,
  startIdx: bigint,
  what: string,
): IeeeValue[] {
  const bins = origHist.length;
  const cells = BigInt(bins) * downsampleRate;
  const upCells = BigInt(bins) * BigInt(upsampleRate);
  const largest = cells > upCells ? cells : upCells;
  if (largest * 4n > BigInt(MAX_MERGE_BYTES)) {
    throw new QconformError('histogram_too_large', `${what}: _combine_histograms`, { bins, downsample_rate: `${downsampleRate}`, bytes: `${largest * 4n}` }, `limit ${MAX_MERGE_BYTES} bytes`);
  }
  const sliceEnd = startIdx + upCells < cells ? startIdx + upCells : cells;
  const sliceLength = sliceEnd > startIdx ? sliceEnd - startIdx : 0n;
  const written = sliceLength === upCells;
  if (!written && !(upCells === 1n && sliceLength === 0n)) {
    // a [bins * U] tensor assigned to a shorter slice; a single cell would broadcast to an empty slice
    throw new QconformError('histogram_range_unsupported', `${what}: _combine_histograms`, { start_idx: `${startIdx}`, cells: `${cells}` }, 'torch raises "The expanded size of the tensor must match": the upsampled histogram does not fit the merged grid');
  }
  const integral = integralAtCheckpoints(written ? newHist : [], bins, upsampleRate, downsampleRate, startIdx);
  const uF64 = intToF64(BigInt(upsampleRate));
  return origHist.map((h, k) => {
    const shifted = k === 0 ? ZERO_F32 : toF32(integral[k - 1]!);
    return f32Add(h, toF32(f64Div(f64Sub(integral[k]!, shifted), uF64)));
  });
}

/**
 * The float64 cumsum of the merge buffer at positions (k + 1) * ds - 1, k < bins: the buffer holds each
 * value of `written` U times from `startIdx` on and zeros elsewhere (0.0 + 0.0 and acc + 0.0 change
 * nothing). Runs of one value up to the next checkpoint are added by repeatedF64Add.
 */
function integralAtCheckpoints(written: readonly IeeeValue[], bins: number, upsampleRate: number, ds: bigint, startIdx: bigint): IeeeValue[] {
  const u = BigInt(upsampleRate);
  const segmentEnd = startIdx + BigInt(written.length) * u;
  const out: IeeeValue[] = [];
  let acc: IeeeValue = ZERO_F32; // cum_number = 0.0
  let pos = startIdx; // the next written cell not yet summed
  for (let k = 0; k < bins; k++) {
    const checkpoint = (BigInt(k) + 1n) * ds - 1n;
    const upTo = checkpoint + 1n < segmentEnd ? checkpoint + 1n : segmentEnd;
    while (pos < upTo) {
      const j = (pos - startIdx) / u;
      const runEnd = startIdx + (j + 1n) * u < upTo ? startIdx + (j + 1n) * u : upTo;
      acc = repeatedF64Add(acc, written[Number(j)]!, runEnd - pos);
      pos = runEnd;
    }
    out.push(acc);
  }
  return out;
}
