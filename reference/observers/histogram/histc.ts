import { QconformError } from '../../../contract/errors.js';
import type { SumLaneWidth } from '../../../contract/ops.js';
import { f32Add, f32Div, f32Fma, f32Mul, f32Sub, f64Add, f64Sub, ieeeNeg, intToF32, toF32 } from '../../exact/float_arith.js';
import { ieeeEqual, ieeeLess, ieeeLessEqual } from '../../exact/ieee_compare.js';
import { type IeeeValue } from '../../exact/ieee_value.js';
import { INT64_MIN, truncToInt64 } from '../../exact/x86_conversions.js';
import { ONE_F32, ZERO_F32 } from '../../constants.js';
import { aminmaxAll } from '../aminmax.js';
import type { F32Tensor } from '../../../contract/tensor.js';
import { toNumber } from '../../exact/ieee_bits.js';
import { exactElementsF32 } from '../../values.js';

/**
 * How a torch version computes histc's bin edges and bin index.
 * - torch 1.13.1: torch.linspace is vectorized (cpu_serial_kernel_vec, RangeFactoriesKernel.cpp) and the
 *   bin index divides first: pos = (e - left) / (right - left) * bins (HistogramKernel.cpp, LINEAR_INTERPOLATION).
 * - torch 2.x (source): linspace is scalar-only and the index multiplies first: pos = (e - left) * bins / (right - left).
 */
export type HistcVersion = { readonly torch: '1.13'; readonly lanes: SumLaneWidth } | { readonly torch: '2.x' };

/**
 * Element `index` of torch.linspace(start, end, steps) in float32, as the scalar lambda of linspace_kernel
 * computes it (FMA-contracted): step = f32(f32(end - start) / f32(steps - 1));
 * index < steps/2: fma(step, index, start); otherwise fma(-step, steps - 1 - index, end).
 * The fma is a float32 fused multiply-add with one rounding: ATen's CPU kernels are compiled with FMA for the AVX2
 * capability, and GCC contracts linspace's `start + step * idx` into one vfmadd (measured on torch 1.13: 600 random
 * linspace calls match bit for bit only with the contraction). Exact domain: float_arith.ts f32Fma, IEEE special values
 * included: an infinite step (a range whose float32 width overflows, torch 2.x) gives fma(inf, 0, start) = NaN and
 * fma(+-inf, k, c) = +-inf for k > 0, as vfmadd does.
 */
export function linspaceScalarElement(start: IeeeValue, end: IeeeValue, step: IeeeValue, steps: number, index: number): IeeeValue {
  if (index < Math.floor(steps / 2)) return f32Fma(step, intToF32(BigInt(index)), start);
  return f32Fma(ieeeNeg(step), intToF32(BigInt(steps - 1 - index)), end);
}

/** linspace_kernel's step (RangeFactoriesKernel.cpp), float32: f32(f32(end - start) / f32(steps - 1)). */
export function linspaceStep(start: IeeeValue, end: IeeeValue, steps: number): IeeeValue {
  return f32Div(f32Sub(end, start), intToF32(BigInt(steps - 1)));
}

/**
 * The outer edges of histc's bins: bin_edges = torch.linspace(L, R, bins + 1) in float32, of which the kernel
 * reads only the first and the last element.
 * - first: fma(step, 0, start) = start (+0 for a -0 start), in every version.
 * - last, torch 1.13 (vectorized linspace, Vectorized<float>::arange(base, step) = base + f32(j * step), two
 *   V-lane vectors per loop iteration, then a scalar tail): when (bins + 1) is a multiple of 2V the last
 *   element comes from a vector based at index bins + 1 - V: f32(fma(-step, V - 1, end) + f32((V - 1) * step)),
 *   which need not equal `end` (measured: bins = 15, 31, 47, ... on AVX2); otherwise the scalar tail gives end.
 * - last, torch 2.x (scalar linspace): fma(-step, 0, end) = end.
 */
function histcEdges(start: IeeeValue, end: IeeeValue, bins: number, version: HistcVersion): { left: IeeeValue; right: IeeeValue } {
  const steps = bins + 1;
  const step = linspaceStep(start, end, steps);
  const left = linspaceScalarElement(start, end, step, steps, 0);
  if (version.torch === '1.13' && steps % (2 * version.lanes) === 0) {
    const v = version.lanes;
    const base = f32Fma(ieeeNeg(step), intToF32(BigInt(v - 1)), end);
    return { left, right: f32Add(base, f32Mul(intToF32(BigInt(v - 1)), step)) };
  }
  return { left, right: linspaceScalarElement(start, end, step, steps, bins) };
}

/**
 * torch.histc(x, bins, min=L, max=R) on float32 (aten/src/ATen/native/Histogram.cpp
 * histc_select_outer_bin_edges, then cpu/HistogramKernel.cpp histogramdd_cpu_contiguous with
 * LINEAR_INTERPOLATION, one thread). L and R are the double values of the Scalars torch receives.
 * Domains:
 *   L == R (as doubles) and x non-empty: L, R = aminmax(x) as doubles; still equal: L = f64(L - 1), R = f64(R + 1);
 *   then L < R or torch raises "max must be larger than min" (histogram_range_unsupported);
 *   start = f32(L), end = f32(R); the edges as histcEdges; W = f32(right - left);
 *   each element e with left <= e <= right (NaN never): pos = trunc64(f32(f32(f32(e - left) / W) * f32(bins)))
 *   (2.x: f32(f32(f32(e - left) * f32(bins)) / W)); pos == bins counts in the last bin; counts are float32 += 1.
 * A NaN position (W = 0: a constant batch whose neighbours c - 1 and c + 1 round to the same float32,
 * |c| >= 2^25) truncates to INT64_MIN, and hist[INT64_MIN] addresses hist[0] (INT64_MIN * 4 bytes wraps
 * to 0): torch 1.13 counts such elements in bin 0 (measured: a constant batch of 1e9 gives [5, 0, ...]).
 * In 2.x an element near float32's maximum can overflow f32((e - left) * bins) to inf, which truncates the
 * same way: it lands in bin 0.
 */
export function histc(batch: F32Tensor, bins: number, minScalar: IeeeValue, maxScalar: IeeeValue, version: HistcVersion, what: string): IeeeValue[] {
  let lo = minScalar;
  let hi = maxScalar;
  if (ieeeEqual(lo, hi) && batch.data.length > 0) {
    const { min, max } = aminmaxAll(batch);
    [lo, hi] = [min, max]; // .item<double>(): float32 to double is exact
  }
  if (ieeeEqual(lo, hi)) {
    lo = f64Sub(lo, ONE_F32);
    hi = f64Add(hi, ONE_F32);
  }
  if (lo.kind !== 'finite' || hi.kind !== 'finite') {
    throw new QconformError('histogram_range_unsupported', `${what}: torch.histc range`, [describeNumber(lo), describeNumber(hi)], 'the range is not finite');
  }
  if (!ieeeLess(lo, hi)) {
    throw new QconformError('histogram_range_unsupported', `${what}: torch.histc range`, [describeNumber(lo), describeNumber(hi)], 'max must be larger than min once widened by 1: a constant batch beyond 2^53');
  }
  const start = toF32(lo);
  const end = toF32(hi);
  // A float32 width f32(end - start) that overflows (torch 2.x only: 1.13's int64 range keeps it finite) makes
  // linspace's step inf and both edges fma(+-inf, 0, c) = NaN: no element passes the edge test, the histogram is
  // all zeros (checked against torch 2.6, tests/backends/torch26_edge_refusals.test.ts).
  const { left, right } = histcEdges(start, end, bins, version);
  const width = f32Sub(right, left);
  const binsF = intToF32(BigInt(bins));
  const hist: IeeeValue[] = new Array<IeeeValue>(bins).fill(ZERO_F32);
  for (const e of exactElementsF32(batch)) {
    if (!(ieeeLessEqual(left, e) && ieeeLessEqual(e, right))) continue; // outside the edges, or NaN
    const offset = f32Sub(e, left);
    const scaled = version.torch === '1.13' ? f32Mul(f32Div(offset, width), binsF) : f32Div(f32Mul(offset, binsF), width);
    let pos = truncToInt64(scaled); // static_cast<int64_t>: NaN -> INT64_MIN
    if (pos === BigInt(bins)) pos -= 1n; // the last bin includes its right edge
    if (pos === INT64_MIN) pos = 0n; // hist_local_data + INT64_MIN elements: the address wraps to the first bin
    if (pos < 0n || pos >= BigInt(bins)) throw new RangeError(`histc: bin ${pos} outside [0, ${bins})`);
    const k = Number(pos);
    hist[k] = f32Add(hist[k]!, ONE_F32);
  }
  return hist;
}

/** The JS number of a value for an error message (NaN for a NaN); not used in arithmetic. */
function describeNumber(v: IeeeValue): number {
  return v.kind === 'finite' || v.kind === 'infinity' ? toNumber(v) : NaN;
}
