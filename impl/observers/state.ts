import type { ObserverResult } from '../../contract/ops.js';
import { f32Tensor } from '../../contract/tensor.js';
import { qparamsFromMinMax } from '../qparams.js';
import type { ResolvedQparamsConfig } from '../qparams_config.js';
import { aminmaxAll, aminmaxScan } from '../torch_minmax.js';

/**
 * An observer's min_val/max_val buffers (float32): one element for a per-tensor observer, one per
 * channel for a per-channel observer, none before a per-channel observer's first batch.
 */
export interface MinMaxState {
  min: Float32Array;
  max: Float32Array;
}

/** `torch.aminmax(x)` of a non-empty batch, as a one-element state (per-tensor observers). */
export function batchMinMax(data: Float32Array): MinMaxState {
  const { min, max } = aminmaxAll(data);
  return { min: Float32Array.of(min), max: Float32Array.of(max) };
}

/**
 * `torch.aminmax(y, dim=1)` of a non-empty row-major [channels, numel / channels] buffer
 * (per-channel observers, after the permute and flatten of axis.ts channelMajor).
 */
export function batchMinMaxPerRow(rows: Float32Array, channels: number): MinMaxState {
  const cols = rows.length / channels;
  const state = { min: new Float32Array(channels), max: new Float32Array(channels) };
  for (let c = 0; c < channels; c++) {
    const { min, max } = aminmaxScan(rows, c * cols, (c + 1) * cols);
    state.min[c] = min;
    state.max[c] = max;
  }
  return state;
}

/**
 * The observer's outputs: its buffers (shape [] per-tensor, [C] per-channel) and calculate_qparams
 * on them (qparamsFromMinMax, which throws for NaN or min > max as torch asserts); `what` names the observer op.
 */
export function observerResult(what: string, state: MinMaxState, perTensor: boolean, cfg: ResolvedQparamsConfig): ObserverResult {
  const shape = perTensor ? [] : [state.min.length];
  return {
    ...qparamsFromMinMax(what, state.min, state.max, perTensor, cfg),
    minVal: f32Tensor(shape, state.min),
    maxVal: f32Tensor(shape, state.max),
  };
}
