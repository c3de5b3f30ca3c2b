/**
 * The refusals of a HistogramObserver batch, raised by reference/ and impl/ alike in the forward
 * (torch/ao/quantization/observer.py HistogramObserver.forward), after torch.aminmax of the batch:
 *   - a NaN anywhere makes aminmax NaN: torch 1.13 int(NaN) raises ValueError, torch 2.x's histc refuses a NaN range
 *     (nan_observed);
 *   - torch 1.13 only: an infinite end, whose int() raises OverflowError (non_finite_observed).
 */
import { QconformError } from './errors.js';

/** nan_observed for a batch whose aminmax is NaN; `what` names the op (e.g. "histogram_observer@2"). */
export function histogramNanBatch(what: string): QconformError {
  return new QconformError('nan_observed', `${what}: batch`, 'NaN', 'aminmax of the batch is NaN: int(NaN) raises ValueError in torch 1.13, histc refuses a NaN range in 2.x');
}

/** non_finite_observed for a batch whose aminmax has the infinite end `end` (the min when it is infinite, else the max; torch 1.13). */
export function histogramInfiniteBatch(what: string, end: number): QconformError {
  return new QconformError('non_finite_observed', `${what}: batch`, end, 'int() of an infinite range raises OverflowError in torch 1.13');
}
