/**
 * The failure of HistogramObserver.calculate_qparams (torch 2.x) when its searched new_min is NaN, the one refusal
 * reference and impl both raise there. The buffers are finite (a NaN batch fails its forward), so this NaN is
 * new_min = f32(min_val + f32(bin_width * 0)) with bin_width = f32(f32(max_val - min_val) / bins) = inf: a range whose
 * float32 width overflows (torch 2.x's histc drops every element of such a batch) and whose search kept start_bin 0,
 * as it does on an all-zero histogram (no earlier batch survived). torch's check_min_max_valid then asserts "min nan
 * should be less than max inf" (torch/ao/quantization/utils.py), an AssertionError the torch adapter classifies
 * min_greater_than_max: not nan_observed, since no observed value was NaN.
 */
import { QconformError } from './errors.js';

export function searchedMinIsNaN(what: string, minVal: number, maxVal: number, newMax: number): QconformError {
  return new QconformError('min_greater_than_max', `${what}: calculate_qparams`, { min_val: minVal, max_val: maxVal, new_min: 'NaN', new_max: newMax },
    "_non_linear_param_search's bin width f32((max_val - min_val) / bins) overflows to inf and the search kept bin 0: new_min = min_val + inf * 0 is NaN, and torch asserts min <= max");
}
