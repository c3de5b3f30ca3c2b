import { type HistogramObserverConfig, checkHistogramObserverConfig } from '../../../contract/op_checks.js';
import type { HistogramObserverAttrs, HistogramObserverResult, HistogramObserverV1Attrs, Qparams, SumLaneWidth } from '../../../contract/ops.js';
import type { F32Tensor } from '../../../contract/tensor.js';
import { validateF32 } from '../../../contract/validate.js';
import { searchedMinIsNaN } from '../../../contract/histogram_search_errors.js';
import { histogramInfiniteBatch, histogramNanBatch } from '../../../contract/histogram_batch_errors.js';
import { f32Add } from '../../exact/float_arith.js';
import { ieeeEqual, ieeeMax, ieeeMin, SCALAR_KERNEL } from '../../exact/ieee_compare.js';
import { type IeeeValue, NEG_INF, POS_INF, isNaNValue } from '../../exact/ieee_value.js';
import { toNumber } from '../../exact/ieee_bits.js';
import { ZERO_F32 } from '../../constants.js';
import { calculateQparamsFromState } from '../../ops/qparams.js';
import { exactElementsF32, toF32Tensor } from '../../values.js';
import { aminmaxAll } from '../aminmax.js';
import { histc } from './histc.js';
import { adjustMinMax, combineHistogramsV1 } from './merge_v1.js';
import { combineHistogramsV2 } from './merge_v2.js';
import { nonLinearParamSearch } from './param_search.js';
import { int64Scalar, pythonInt } from './python_scalars.js';

/** The observer's buffers: min_val, max_val (0-dim float32) and histogram (float32 [bins]). */
interface HistogramState {
  readonly minVal: IeeeValue;
  readonly maxVal: IeeeValue;
  readonly histogram: readonly IeeeValue[];
}

/** x == +inf. */
const isPosInf = (v: IeeeValue) => v.kind === 'infinity' && !v.negative;
/** x == -inf. */
const isNegInf = (v: IeeeValue) => v.kind === 'infinity' && v.negative;

/** HistogramObserver.__init__'s buffers (torch/ao/quantization/observer.py): min_val = +inf, max_val = -inf, histogram = zeros(bins), float32. */
function initialState(bins: number): HistogramState {
  return { minVal: POS_INF, maxVal: NEG_INF, histogram: new Array<IeeeValue>(bins).fill(ZERO_F32) };
}

/**
 * The batch's torch.aminmax (AVX2 lane order, reference/observers/aminmax.ts), refusing what torch 1.13's
 * int() refuses next: a NaN anywhere makes both NaN (ValueError -> nan_observed); an infinite end raises
 * OverflowError (non_finite_observed). Nothing in the forward can fail before that int().
 */
function finiteBatchRange(batch: F32Tensor, what: string, allowInfinite: boolean): { min: IeeeValue; max: IeeeValue } {
  const range = aminmaxAll(batch);
  if (range.min.kind === 'nan' || range.max.kind === 'nan') throw histogramNanBatch(what);
  if (!allowInfinite && (range.min.kind === 'infinity' || range.max.kind === 'infinity')) {
    throw histogramInfiniteBatch(what, toNumber(range.min.kind === 'infinity' ? range.min : range.max));
  }
  return range;
}

/** int(v) as a histc Scalar: Python int, then int64 (histogram_range_unsupported beyond). */
const histcBound = (v: IeeeValue, what: string) => int64Scalar(pythonInt(v, what), what);

/**
 * HistogramObserver.forward of torch 1.13.1 (observer.py l.1130). An empty batch is ignored. An
 * uninitialized observer (min = inf, max = -inf) or one whose min == max (a constant first batch, which the
 * next batch therefore REPLACES) takes the batch's aminmax and histc(x, bins, int(min), int(max)) -- int()
 * truncates toward zero (torch bug #83672: data in [0.3, 2.7] is binned over [0, 2]). Otherwise:
 * cmin = torch.min(batch_min, min_val), cmax = torch.max(batch_max, max_val) (0-dim: the scalar kernel),
 * _adjust_min_max, histc(x, bins, int(cmin), int(cmax)) of the batch alone, then either a float32 add
 * (the range did not change) or _combine_histograms.
 */
function forwardV1(state: HistogramState, batch: F32Tensor, bins: number, upsampleRate: number, lanes: SumLaneWidth, what: string): HistogramState {
  if (batch.data.length === 0) return state;
  const version = { torch: '1.13', lanes } as const;
  const current = finiteBatchRange(batch, what, false);
  const uninitialized = isPosInf(state.minVal) && isNegInf(state.maxVal);
  if (uninitialized || ieeeEqual(state.minVal, state.maxVal)) {
    const histogram = histc(batch, bins, histcBound(current.min, `${what}: int(min_val)`), histcBound(current.max, `${what}: int(max_val)`), version, what);
    return { minVal: current.min, maxVal: current.max, histogram };
  }
  const combinedMin = ieeeMin(current.min, state.minVal, SCALAR_KERNEL);
  const combinedMax = ieeeMax(current.max, state.maxVal, SCALAR_KERNEL);
  const adjusted = adjustMinMax(state.minVal, state.maxVal, combinedMin, combinedMax, bins, upsampleRate, what);
  const batchHist = histc(batch, bins, histcBound(adjusted.combinedMin, `${what}: int(combined_min)`), histcBound(adjusted.combinedMax, `${what}: int(combined_max)`), version, what);
  const histogram =
    ieeeEqual(adjusted.combinedMin, state.minVal) && ieeeEqual(adjusted.combinedMax, state.maxVal)
      ? batchHist.map((h, k) => f32Add(h, state.histogram[k]!))
      : combineHistogramsV1(batchHist, state.histogram, upsampleRate, adjusted.downsampleRate, adjusted.startIdx, what);
  return { minVal: adjusted.combinedMin, maxVal: adjusted.combinedMax, histogram };
}

/**
 * HistogramObserver.forward of torch 2.x (2.6 source; checked against torch 2.6). An empty batch is ignored; when the
 * batch's aminmax is infinite its +-inf elements are dropped (x[x.abs() != inf]) and an emptied batch is
 * ignored. Uninitialized (min == inf OR max == -inf): histc(x, bins, min, max) over the float range, no
 * truncation, and a constant first batch is kept. Otherwise new_min = torch.min(min_val, x_min) (the
 * stored value wins a tie of zeros, unlike 1.13's argument order), histc of the batch over the new range,
 * then a float32 add (same range) or _combine_histograms (merge_v2.ts); the max is not relaxed.
 */
function forwardV2(state: HistogramState, batch: F32Tensor, bins: number, lanes: SumLaneWidth, what: string): HistogramState {
  if (batch.data.length === 0) return state;
  let x = batch;
  const raw = aminmaxAll(x);
  if (isNegInf(raw.min) || isPosInf(raw.max)) {
    const kept = exactElementsF32(x).filter((v) => v.kind !== 'infinity'); // NaN is kept, as x.abs() != inf keeps it
    if (kept.length === 0) return state;
    x = toF32Tensor([kept.length], kept);
  }
  const current = finiteBatchRange(x, what, true);
  const version = { torch: '2.x' } as const;
  if (isPosInf(state.minVal) || isNegInf(state.maxVal)) {
    return { minVal: current.min, maxVal: current.max, histogram: histc(x, bins, current.min, current.max, version, what) };
  }
  const newMin = ieeeMin(state.minVal, current.min, SCALAR_KERNEL);
  const newMax = ieeeMax(state.maxVal, current.max, SCALAR_KERNEL);
  const update = histc(x, bins, newMin, newMax, version, what);
  if (ieeeEqual(newMin, state.minVal) && ieeeEqual(newMax, state.maxVal)) {
    return { ...state, histogram: state.histogram.map((h, k) => f32Add(h, update[k]!)) };
  }
  const histogram = combineHistogramsV2(state.histogram, state.minVal, state.maxVal, update, newMin, newMax, lanes, what);
  return { minVal: newMin, maxVal: newMax, histogram };
}

/**
 * HistogramObserver.calculate_qparams (1.13 and 2.x alike): default qparams when never observed, else
 * _non_linear_param_search and the observer base's _calculate_qparams on the searched 0-dim min/max
 * (calculateQparamsFromState, shared with MinMaxObserver).
 */
function calculateQparams(state: HistogramState, cfg: HistogramObserverConfig, eps: number, lanes: SumLaneWidth, what: string): Qparams {
  if (isPosInf(state.minVal) && isNegInf(state.maxVal)) {
    return calculateQparamsFromState(toF32Tensor([], [state.minVal]), toF32Tensor([], [state.maxVal]), cfg, eps, what);
  }
  const { newMin, newMax } = nonLinearParamSearch({ histogram: state.histogram, minVal: state.minVal, maxVal: state.maxVal, dstBins: cfg.dstBins, lanes });
  // a range whose float32 width overflows, searched from bin 0 (contract/histogram_search_errors.ts)
  if (isNaNValue(newMin)) throw searchedMinIsNaN(what, toNumber(state.minVal), toNumber(state.maxVal), toNumber(newMax));
  return calculateQparamsFromState(toF32Tensor([], [newMin]), toF32Tensor([], [newMax]), cfg, eps, what);
}

/** The observer's buffers as float32 tensors (exact values, no rounding) with the computed qparams. */
function result(state: HistogramState, qparams: Qparams): HistogramObserverResult {
  return {
    minVal: toF32Tensor([], [state.minVal]),
    maxVal: toF32Tensor([], [state.maxVal]),
    histogram: toF32Tensor([state.histogram.length], state.histogram),
    ...qparams,
  };
}

/** forward(x) for each batch in order, from the initial state; an invalid batch raises before its forward. */
function observeBatches(what: string, batches: readonly F32Tensor[], bins: number, forward: (state: HistogramState, batch: F32Tensor, what: string) => HistogramState): HistogramState {
  let state = initialState(bins);
  batches.forEach((batch, i) => {
    validateF32(`${what}: batches[${i}]`, batch);
    state = forward(state, batch, `${what}: batches[${i}]`);
  });
  return state;
}

/** histogram_observer@1: torch.ao.quantization.HistogramObserver of torch 1.13.1: forward each batch, then calculate_qparams. */
export function histogramObserver(batches: readonly F32Tensor[], a: HistogramObserverV1Attrs): HistogramObserverResult {
  const what = 'histogram_observer';
  const cfg = checkHistogramObserverConfig(what, a, batches, 1);
  const state = observeBatches(what, batches, a.bins, (s, batch, w) => forwardV1(s, batch, a.bins, a.upsampleRate, a.sumLaneWidth, w));
  return result(state, calculateQparams(state, cfg, a.eps, a.sumLaneWidth, what));
}

/** histogram_observer@2: the torch 2.x HistogramObserver, modeled from the 2.6 source, checked against torch 2.6 (vectors/torch-2.6). */
export function histogramObserverV2(batches: readonly F32Tensor[], a: HistogramObserverAttrs): HistogramObserverResult {
  const what = 'histogram_observer@2';
  const cfg = checkHistogramObserverConfig(what, { ...a, semantics: 2 }, batches, 2); // torch 2.x range check (contract/qrange.ts)
  const state = observeBatches(what, batches, a.bins, (s, batch, w) => forwardV2(s, batch, a.bins, a.sumLaneWidth, w));
  return result(state, calculateQparams(state, cfg, a.eps, a.sumLaneWidth, what));
}
