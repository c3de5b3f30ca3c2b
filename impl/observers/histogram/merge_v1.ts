import { QconformError } from '../../../contract/errors.js';
import { MAX_MERGE_BYTES } from '../../../contract/ops.js';
import { nearbyint } from '../../float32.js';

const f32 = Math.fround;

/** Python int() of a .item() value; NaN / inf raise in torch (finite data whose float32 arithmetic broke). */
export function pythonInt(v: number, what: string): number {
  if (!Number.isFinite(v)) {
    throw new QconformError('histogram_range_unsupported', what, v, `torch raises ${v !== v ? 'ValueError' : 'OverflowError'} converting it with int(): the float32 range arithmetic overflowed or underflowed`);
  }
  return Math.trunc(v);
}

/** A Python int given to torch as a Scalar must fit int64 ("Overflow when unpacking long"). */
export function int64Scalar(n: number, what: string): number {
  if (n >= 2 ** 63 || n < -(2 ** 63)) {
    throw new QconformError('histogram_range_unsupported', what, n, 'torch raises "Overflow when unpacking long": the int() of the histc range leaves int64 (|x| >= 2^63)');
  }
  return n;
}

export interface AdjustedRange {
  readonly combinedMin: number;
  readonly combinedMax: number;
  /** Python ints; exact integers in a double (downsample_rate may be huge: then the merge is refused). */
  readonly downsampleRate: number;
  readonly startIdx: number;
}

/**
 * _adjust_min_max of torch 1.13.1 (float32 tensor ops, Python ints cast to float32):
 * hbw = f32(f32(max - min) / f32(bins * U)), t = f32(f32(bins) * hbw),
 * ds = int(ceil(f32(f32(cmax - cmin) / t))), e = f32(f32(f32(ds) * t) - f32(cmax - cmin)), cmax = f32(cmax + e),
 * start_idx = int(round_half_even(f32(f32(min - cmin) / hbw))).
 */
export function adjustMinMax(minVal: number, maxVal: number, combinedMin: number, combinedMax: number, bins: number, upsampleRate: number, what: string): AdjustedRange {
  const hbw = f32(f32(maxVal - minVal) / f32(bins * upsampleRate));
  const gridSpan = f32(f32(bins) * hbw);
  const span = f32(combinedMax - combinedMin);
  const downsampleRate = pythonInt(Math.ceil(f32(span / gridSpan)), `${what}: _adjust_min_max downsample_rate`);
  if (downsampleRate >= 2 ** 63) {
    throw new QconformError('histogram_too_large', `${what}: _adjust_min_max downsample_rate`, downsampleRate, 'beyond int64 ("Overflow when unpacking long"): the merge would need more than bins * 2^63 cells');
  }
  const e = f32(f32(f32(downsampleRate) * gridSpan) - span);
  const startIdx = pythonInt(nearbyint(f32(f32(minVal - combinedMin) / hbw)), `${what}: _adjust_min_max start_idx`);
  return { combinedMin, combinedMax: f32(combinedMax + e), downsampleRate, startIdx };
}

/**
 * _combine_histograms of torch 1.13.1 without materializing the bins * ds buffer: the float64 cumsum at
 * positions (k + 1) * ds - 1 walks the upsampled cells (each histogram value U times from start_idx; zeros
 * elsewhere change no sum); S = f32(I[k - 1]); out = f32(orig + f32((I - S) / U)). JS `+`, `-`, `/` on
 * doubles are the C++ double operations. Refuses buffers above MAX_MERGE_BYTES and an upsampled histogram
 * that does not fit the grid (torch: a shape-mismatch RuntimeError).
 */
export function combineHistogramsV1(origHist: Float32Array, newHist: Float32Array, upsampleRate: number, downsampleRate: number, startIdx: number, what: string): Float32Array {
  const bins = origHist.length;
  const cells = bins * downsampleRate;
  const upCells = bins * upsampleRate;
  if (Math.max(cells, upCells) * 4 > MAX_MERGE_BYTES) {
    throw new QconformError('histogram_too_large', `${what}: _combine_histograms`, { bins, downsample_rate: downsampleRate, bytes: Math.max(cells, upCells) * 4 }, `limit ${MAX_MERGE_BYTES} bytes`);
  }
  const sliceLength = Math.max(0, Math.min(cells, startIdx + upCells) - startIdx);
  const written = sliceLength === upCells;
  if (!written && !(upCells === 1 && sliceLength === 0)) {
    throw new QconformError('histogram_range_unsupported', `${what}: _combine_histograms`, { start_idx: startIdx, cells }, 'torch raises "The expanded size of the tensor must match": the upsampled histogram does not fit the merged grid');
  }
  const segmentEnd = written ? startIdx + upCells : startIdx;
  const out = new Float32Array(bins);
  let acc = 0;
  let pos = startIdx;
  let previous = 0;
  for (let k = 0; k < bins; k++) {
    const upTo = Math.min((k + 1) * downsampleRate, segmentEnd); // checkpoint (k + 1) * ds - 1, inclusive
    while (pos < upTo) {
      const j = Math.floor((pos - startIdx) / upsampleRate);
      const runEnd = Math.min(startIdx + (j + 1) * upsampleRate, upTo);
      const v = newHist[j] as number;
      for (; pos < runEnd; pos++) acc += v;
    }
    out[k] = f32((origHist[k] as number) + f32((acc - previous) / upsampleRate));
    previous = f32(acc);
  }
  return out;
}
