import { QconformError } from '../../../contract/errors.js';
import type { SumLaneWidth } from '../../../contract/ops.js';
import { INT64_MIN, f32Fma, trunc64 } from '../../float32.js';
import { aminmaxAll } from '../../torch_minmax.js';
import { linspaceElement, linspaceStep } from './linspace.js';

const f32 = Math.fround;

/** torch 1.13: vectorized linspace edges and a divide-first bin index; torch 2.x: scalar linspace, multiply-first. */
export type HistcVersion = { readonly torch: '1.13'; readonly lanes: SumLaneWidth } | { readonly torch: '2.x' };

/**
 * torch.histc(x, bins, min=lo, max=hi) on float32, one thread (Histogram.cpp histc_select_outer_bin_edges,
 * HistogramKernel.cpp LINEAR_INTERPOLATION). lo/hi are the Scalars as doubles:
 *   lo == hi with data: the batch's aminmax; still equal: lo - 1, hi + 1 (double); lo < hi or torch raises;
 *   edges: left = f32(lo); right = f32(hi), except in 1.13 when (bins + 1) is a multiple of 2V, where the
 *   vectorized linspace gives f32(fma(-step, V - 1, end) + f32((V - 1) * step));
 *   pos = trunc(f32(f32(f32(e - left) / W) * f32(bins))) (2.x: f32(f32(f32(e - left) * f32(bins)) / W)),
 *   pos == bins -> bins - 1; a NaN pos (W = 0) or an infinite one (2.x: the product overflows) truncates to
 *   INT64_MIN, whose address wraps to bin 0.
 */
export function histc(x: Float32Array, bins: number, minScalar: number, maxScalar: number, version: HistcVersion, what: string): Float32Array {
  let lo = minScalar;
  let hi = maxScalar;
  if (lo === hi && x.length > 0) ({ min: lo, max: hi } = aminmaxAll(x));
  if (lo === hi) {
    lo -= 1;
    hi += 1;
  }
  if (!Number.isFinite(lo) || !Number.isFinite(hi)) throw new QconformError('histogram_range_unsupported', `${what}: torch.histc range`, [lo, hi], 'the range is not finite');
  if (!(lo < hi)) throw new QconformError('histogram_range_unsupported', `${what}: torch.histc range`, [lo, hi], 'max must be larger than min once widened by 1: a constant batch beyond 2^53');
  const start = f32(lo);
  const end = f32(hi);
  // a float32 width that overflows (2.x only) makes the step inf and both edges NaN: every element is skipped
  const steps = bins + 1;
  const step = linspaceStep(start, end, steps);
  const left = linspaceElement(start, end, step, steps, 0);
  let right = linspaceElement(start, end, step, steps, bins);
  if (version.torch === '1.13' && steps % (2 * version.lanes) === 0) {
    const v = version.lanes;
    right = f32(f32Fma(-step, v - 1, end) + f32((v - 1) * step));
  }
  const width = f32(right - left);
  const binsF = f32(bins);
  const divideFirst = version.torch === '1.13';
  const hist = new Float32Array(bins);
  for (let i = 0; i < x.length; i++) {
    const e = x[i] as number;
    if (!(e >= left && e <= right)) continue;
    const offset = f32(e - left);
    const t = divideFirst ? f32(f32(offset / width) * binsF) : f32(f32(offset * binsF) / width);
    let pos = trunc64(t); // NaN, and inf (2.x: f32((e - left) * bins) overflowing), give INT64_MIN
    if (pos === INT64_MIN) pos = 0; // whose address wraps to the first bin
    if (pos === bins) pos = bins - 1;
    if (!(pos >= 0 && pos < bins)) throw new RangeError(`histc: bin ${pos} outside [0, ${bins})`);
    hist[pos] = hist[pos]! + 1; // float32 count: the store rounds
  }
  return hist;
}
