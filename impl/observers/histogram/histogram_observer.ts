import { type HistogramObserverConfig, checkHistogramObserverConfig } from '../../../contract/op_checks.js';
import type { HistogramObserverAttrs, HistogramObserverResult, HistogramObserverV1Attrs, SumLaneWidth } from '../../../contract/ops.js';
import { type F32Tensor, f32Tensor } from '../../../contract/tensor.js';
import { validateF32 } from '../../../contract/validate.js';
import { qparamsFromMinMax } from '../../qparams.js';
import { withEps } from '../../qparams_config.js';
import { aminmaxAll, maxTieFirst, minTieFirst } from '../../torch_minmax.js';
import { type HistcVersion, histc } from './histc.js';
import { adjustMinMax, combineHistogramsV1, int64Scalar, pythonInt } from './merge_v1.js';
import { combineHistogramsV2 } from './merge_v2.js';
import { nonLinearParamSearch } from './param_search.js';
import { searchedMinIsNaN } from '../../../contract/histogram_search_errors.js';
import { histogramInfiniteBatch, histogramNanBatch } from '../../../contract/histogram_batch_errors.js';

/**
 * HistogramObserver of torch 1.13.1 (@1) and, modeled from the 2.6 source, of torch 2.x (@2), on typed
 * arrays: the same steps as reference/observers/histogram/ (see there for each torch function and its
 * arithmetic domains), with float32 rounding by Math.fround and doubles as JS numbers.
 */
interface State {
  minVal: number;
  maxVal: number;
  histogram: Float32Array;
}

const uninitialized = (s: State) => s.minVal === Infinity && s.maxVal === -Infinity;

/** aminmax of a batch; NaN (int(NaN) / histc) -> nan_observed; in 1.13 an infinite end -> non_finite_observed (int(inf)). */
function batchRange(data: Float32Array, what: string, allowInfinite: boolean): { min: number; max: number } {
  const range = aminmaxAll(data);
  if (range.min !== range.min || range.max !== range.max) throw histogramNanBatch(what);
  if (!allowInfinite && !(Number.isFinite(range.min) && Number.isFinite(range.max))) throw histogramInfiniteBatch(what, Number.isFinite(range.min) ? range.max : range.min);
  return range;
}

/** torch 1.13.1 forward: int()-truncated histc range, a constant state is replaced, _adjust_min_max + _combine_histograms. */
function forwardV1(state: State, x: Float32Array, upsampleRate: number, lanes: SumLaneWidth, what: string): State {
  if (x.length === 0) return state;
  const bins = state.histogram.length;
  const version: HistcVersion = { torch: '1.13', lanes };
  const bound = (v: number, name: string) => int64Scalar(pythonInt(v, `${what}: int(${name})`), `${what}: int(${name})`);
  const current = batchRange(x, what, false);
  if (uninitialized(state) || state.minVal === state.maxVal) {
    return { minVal: current.min, maxVal: current.max, histogram: histc(x, bins, bound(current.min, 'min_val'), bound(current.max, 'max_val'), version, what) };
  }
  const combinedMin = minTieFirst(current.min, state.minVal); // torch.min(new_min, min_val), 0-dim: scalar kernel
  const combinedMax = maxTieFirst(current.max, state.maxVal);
  const adjusted = adjustMinMax(state.minVal, state.maxVal, combinedMin, combinedMax, bins, upsampleRate, what);
  const batchHist = histc(x, bins, bound(adjusted.combinedMin, 'combined_min'), bound(adjusted.combinedMax, 'combined_max'), version, what);
  let histogram: Float32Array;
  if (adjusted.combinedMin === state.minVal && adjusted.combinedMax === state.maxVal) {
    histogram = batchHist;
    for (let k = 0; k < bins; k++) histogram[k] = batchHist[k]! + state.histogram[k]!;
  } else {
    histogram = combineHistogramsV1(batchHist, state.histogram, upsampleRate, adjusted.downsampleRate, adjusted.startIdx, what);
  }
  return { minVal: adjusted.combinedMin, maxVal: adjusted.combinedMax, histogram };
}

/** torch 2.x forward (from source): inf elements dropped, float histc range, a constant state kept, _combine_histograms of 2.6. */
function forwardV2(state: State, batch: Float32Array, lanes: SumLaneWidth, what: string): State {
  if (batch.length === 0) return state;
  const bins = state.histogram.length;
  let x = batch;
  const raw = aminmaxAll(x);
  if (raw.min === -Infinity || raw.max === Infinity) {
    x = x.filter((v) => Math.abs(v) !== Infinity);
    if (x.length === 0) return state;
  }
  const current = batchRange(x, what, true);
  const version: HistcVersion = { torch: '2.x' };
  if (state.minVal === Infinity || state.maxVal === -Infinity) {
    return { minVal: current.min, maxVal: current.max, histogram: histc(x, bins, current.min, current.max, version, what) };
  }
  const newMin = minTieFirst(state.minVal, current.min); // torch.min(min_val, x_min): the stored value wins a tie
  const newMax = maxTieFirst(state.maxVal, current.max);
  const update = histc(x, bins, newMin, newMax, version, what);
  if (newMin === state.minVal && newMax === state.maxVal) {
    for (let k = 0; k < bins; k++) update[k] = state.histogram[k]! + update[k]!;
    return { ...state, histogram: update };
  }
  return { minVal: newMin, maxVal: newMax, histogram: combineHistogramsV2(state.histogram, state.minVal, state.maxVal, update, newMin, newMax, lanes, what) };
}

function finish(state: State, cfg: HistogramObserverConfig, a: HistogramObserverAttrs, what: string): HistogramObserverResult {
  const resolved = withEps(cfg, a);
  let newMin = state.minVal;
  let newMax = state.maxVal;
  if (!uninitialized(state)) {
    ({ newMin, newMax } = nonLinearParamSearch({ histogram: state.histogram, minVal: state.minVal, maxVal: state.maxVal, dstBins: cfg.dstBins, lanes: a.sumLaneWidth }));
    // an infinite bin width (a range whose float32 width overflows) and start_bin 0: torch asserts "min nan should be less than max inf"
    if (Number.isNaN(newMin)) throw searchedMinIsNaN(what, state.minVal, state.maxVal, newMax);
  }
  return {
    ...qparamsFromMinMax(what, Float32Array.of(newMin), Float32Array.of(newMax), true, resolved),
    minVal: f32Tensor([], Float32Array.of(state.minVal)),
    maxVal: f32Tensor([], Float32Array.of(state.maxVal)),
    histogram: f32Tensor([state.histogram.length], state.histogram),
  };
}

function observe(what: string, batches: readonly F32Tensor[], bins: number, step: (state: State, x: Float32Array, what: string) => State): State {
  let state: State = { minVal: Infinity, maxVal: -Infinity, histogram: new Float32Array(bins) };
  batches.forEach((batch, i) => {
    validateF32(`${what}: batches[${i}]`, batch);
    state = step(state, batch.data, `${what}: batches[${i}]`);
  });
  return state;
}

/** histogram_observer@1 (torch 1.13.1). */
export function histogramObserver(batches: readonly F32Tensor[], a: HistogramObserverV1Attrs): HistogramObserverResult {
  const what = 'histogram_observer';
  const cfg = checkHistogramObserverConfig(what, a, batches, 1);
  return finish(observe(what, batches, a.bins, (s, x, w) => forwardV1(s, x, a.upsampleRate, a.sumLaneWidth, w)), cfg, a, what);
}

/** histogram_observer@2 (torch 2.x, modeled from source). */
export function histogramObserverV2(batches: readonly F32Tensor[], a: HistogramObserverAttrs): HistogramObserverResult {
  const what = 'histogram_observer@2';
  const cfg = checkHistogramObserverConfig(what, { ...a, semantics: 2 }, batches, 2); // torch 2.x range check (contract/qrange.ts)
  return finish(observe(what, batches, a.bins, (s, x, w) => forwardV2(s, x, a.sumLaneWidth, w)), cfg, a, what);
}
