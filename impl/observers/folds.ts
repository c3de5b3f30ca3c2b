import { f32Add, f32Mul, f32Sub } from '../float32.js';
import { elementwiseMax, elementwiseMin } from '../torch_minmax.js';
import type { MinMaxState } from './state.js';

/**
 * How an observer folds one batch's aminmax into its state, elementwise over equal-length buffers
 * (torch/ao/quantization/observer.py, forward of each observer). Updates `state` in place.
 */
export type Fold = (state: MinMaxState, batch: MinMaxState) => void;

/**
 * MinMaxObserver / PerChannelMinMaxObserver: `min_val = torch.min(min_cur, min_val)`, `max_val =
 * torch.max(max_cur, max_val)`. Comparisons only, NaN-propagating; which of two equal values
 * survives follows torch's elementwise kernel for each channel (torch_minmax.ts).
 */
export function foldRunningMinMax(state: MinMaxState, batch: MinMaxState): void {
  const count = state.min.length;
  for (let c = 0; c < count; c++) {
    state.min[c] = elementwiseMin(batch.min[c] as number, state.min[c] as number, c, count);
    state.max[c] = elementwiseMax(batch.max[c] as number, state.max[c] as number, c, count);
  }
}

/**
 * MovingAverage(PerChannel)MinMaxObserver after the first batch:
 * `min_val = min_val + averaging_constant * (min_cur - min_val)`, the same for max.
 * Domains: all float32; the Python float averaging constant meets a float32 tensor, so it is
 * applied as `averagingConstantF` = f32(c): f32(min + f32(cF * f32(min_cur - min))).
 */
export function movingAverageFold(averagingConstantF: number): Fold {
  return (state, batch) => {
    for (let c = 0; c < state.min.length; c++) {
      state.min[c] = movingAverageStep(state.min[c] as number, batch.min[c] as number, averagingConstantF);
      state.max[c] = movingAverageStep(state.max[c] as number, batch.max[c] as number, averagingConstantF);
    }
  };
}

function movingAverageStep(current: number, observed: number, averagingConstantF: number): number {
  return f32Add(current, f32Mul(averagingConstantF, f32Sub(observed, current)));
}
