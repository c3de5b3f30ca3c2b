import type { SumLaneWidth } from '../../../contract/ops.js';
import { torchSumF32 } from './torch_sum.js';

const f32 = Math.fround;

export interface ErrorModel {
  readonly histogram: Float32Array;
  readonly minVal: number;
  readonly maxVal: number;
  /** dst_nbins: 256, or 2^32 for qint32. */
  readonly dstBins: number;
  readonly lanes: SumLaneWidth;
}

/**
 * torch.div(a, b, rounding_mode='floor') on float32 (BinaryOpsKernel.cpp div_floor_kernel): JS `%` is
 * C fmod (exact, sign of a); div = f32(f32(a - mod) / b), minus 1 when mod != 0 and its sign differs
 * from b's; then floor(div), plus 1 when f32(div - floor) > 0.5; a zero quotient is copysign(0, a / b).
 */
function floorDivF32(a: number, b: number): number {
  if (b === 0) return f32(a / b);
  const mod = a % b;
  let div = f32(f32(a - mod) / b);
  if (mod !== 0 && b < 0 !== mod < 0) div = f32(div - 1);
  if (div !== 0) {
    let floor = Math.floor(div);
    if (f32(div - floor) > 0.5) floor = f32(floor + 1);
    return floor;
  }
  const q = f32(a / b);
  return q < 0 || Object.is(q, -0) ? -0 : 0;
}

/** torch.clamp(x, 0, hi) on float32: NaN propagates, x survives ties (a -0 stays -0). */
function clampF32(x: number, hi: number): number {
  if (x !== x) return x;
  const low = x < 0 ? 0 : x;
  return low > hi ? hi : low;
}

const cube = (x: number) => f32(f32(x * x) * x);

/** _get_norm: f32(density * f32(f32(de^3 - db^3) / 3)), each cube f32(f32(x * x) * x). */
function normTerm(deltaBegin: number, deltaEnd: number, density: number): number {
  return f32(density * f32(f32(cube(deltaEnd) - cube(deltaBegin)) / 3));
}

/**
 * _compute_quantization_error(s, e) (torch 1.13 and 2.x): doubles for bw, dbw (JS arithmetic is the
 * Python float arithmetic); float32 tensor ops per source bin; the sum is torch.sum's cascade.
 * See reference/observers/histogram/quantization_error.ts for the step list.
 */
export function quantizationError(model: ErrorModel, startBin: number, endBin: number, scratch: Float32Array): number {
  const bins = model.histogram.length;
  const binWidthD = (model.maxVal - model.minVal) / bins;
  const dstWidthD = (binWidthD * (endBin - startBin + 1)) / model.dstBins;
  if (dstWidthD === 0) return 0;
  const binWidth = f32(binWidthD);
  const dstWidth = f32(dstWidthD);
  const halfDst = f32(dstWidthD / 2);
  const negHalfDst = f32(-dstWidthD / 2);
  const lastDstBin = f32(model.dstBins - 1);
  const middleNorm = f32(f32(cube(halfDst) - cube(negHalfDst)) / 3);
  for (let i = 0; i < bins; i++) {
    const srcBegin = f32(f32(i - startBin) * binWidth);
    const srcEnd = f32(srcBegin + binWidth);
    const dstOfBegin = clampF32(floorDivF32(srcBegin, dstWidth), lastDstBin);
    const dstOfBeginCenter = f32(f32(dstOfBegin + 0.5) * dstWidth);
    const dstOfEnd = clampF32(floorDivF32(srcEnd, dstWidth), lastDstBin);
    const density = f32((model.histogram[i] as number) / binWidth);
    let norm = f32(0 + normTerm(f32(srcBegin - dstOfBeginCenter), halfDst, density));
    norm = f32(norm + f32(f32(f32(dstOfEnd - dstOfBegin) - 1) * f32(density * middleNorm)));
    const dstOfEndCenter = f32(f32(dstOfEnd * dstWidth) + halfDst);
    scratch[i] = f32(norm + normTerm(negHalfDst, f32(srcEnd - dstOfEndCenter), density));
  }
  return torchSumF32(scratch, bins, model.lanes);
}

/**
 * _non_linear_param_search (torch 1.13 and 2.x): the quantile loop on Python doubles (alpha, beta step by
 * 1e-5), cSum (float32 from a double accumulator) compared with f32(f64(next_alpha * total)), the linear
 * scans of l and r as torch runs them, and the error of each new [start, end]; stops when it grows.
 * Returns new_min / new_max = f32(min + f32(bin_width * f32(bin))) with bin_width = f32(f32(max - min) / f32(bins)).
 */
export function nonLinearParamSearch(model: ErrorModel): { newMin: number; newMax: number; startBin: number; endBin: number } {
  const hist = model.histogram;
  const bins = hist.length;
  const binWidth = f32(f32(model.maxVal - model.minVal) / f32(bins));
  const total = torchSumF32(hist, bins, model.lanes);
  const cSum = new Float32Array(bins);
  let acc = 0;
  for (let i = 0; i < bins; i++) cSum[i] = acc += hist[i] as number;
  const scratch = new Float32Array(bins);
  let alpha = 0;
  let beta = 1;
  let startBin = 0;
  let endBin = bins - 1;
  let normMin = Infinity;
  while (alpha < beta) {
    const nextAlpha = alpha + 1e-5;
    const nextBeta = beta - 1e-5;
    const alphaThreshold = f32(nextAlpha * total);
    const betaThreshold = f32(nextBeta * total);
    let l = startBin;
    let r = endBin;
    while (l < endBin && (cSum[l] as number) < alphaThreshold) l++;
    while (r > startBin && (cSum[r] as number) > betaThreshold) r--;
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
    const norm = quantizationError(model, nextStart, nextEnd, scratch);
    if (norm > normMin) break;
    normMin = norm;
    startBin = nextStart;
    endBin = nextEnd;
  }
  return {
    newMin: f32(model.minVal + f32(binWidth * f32(startBin))),
    newMax: f32(model.minVal + f32(binWidth * f32(endBin + 1))),
    startBin,
    endBin,
  };
}
