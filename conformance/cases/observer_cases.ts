import type { QScheme } from '../../contract/dtypes.js';
import { FLOAT_STYLES, drawF32, type FloatStyle } from './floats.js';
import type { CaseRandom } from './random.js';
import { type CaseFactory, PER_CHANNEL_QSCHEMES, PER_TENSOR_QSCHEMES, drawConfig, hex64, wireF32 } from './builders.js';

/** One observed batch: data of one style (normal, tied, all-equal, all-zero, with specials...), sometimes empty. */
function drawBatchValues(r: CaseRandom, n: number, style: FloatStyle, spread: number, offset: number): number[] {
  const shape = r.int(0, 9);
  if (shape === 0) return new Array(n).fill(Math.fround(offset));
  if (shape === 1) return new Array(n).fill(0);
  if (shape === 2) return Array.from({ length: n }, () => Math.fround(r.int(-3, 3) * spread)); // ties
  return Array.from({ length: n }, () => Math.fround(drawF32(r, style, spread) + offset));
}

function drawAveragingConstant(r: CaseRandom): number {
  return r.pick([0.01, 0.01, 0.1, 0.5, 1, 0, 0.3, 1e-3, 0.999, r.next()]);
}

function drawBatchCount(r: CaseRandom): number {
  return r.pick([1, 1, 2, 2, 3, 4]);
}

/** Per-tensor observers: MinMax and MovingAverage over 1-4 batches of 0-40 elements. */
function perTensorObserverCase(op: string, movingAverage: boolean): CaseFactory {
  return (r) => {
    const qscheme: QScheme = r.pick(PER_TENSOR_QSCHEMES);
    const style = r.pick(FLOAT_STYLES.filter((s) => s !== 'raw_bits' || r.bool(0.3)));
    const spread = Math.fround(Math.exp(r.normal() * 2));
    const offset = r.bool(0.3) ? Math.fround(r.normal() * spread * 3) : 0;
    const batches = Array.from({ length: drawBatchCount(r) }, () => {
      const n = r.bool(0.05) ? 0 : r.int(1, 40);
      return wireF32([n], drawBatchValues(r, n, style, spread, offset));
    });
    return {
      op,
      attrs: { qscheme, ...drawConfig(r, qscheme, true), ...(movingAverage ? { averaging_constant: hex64(drawAveragingConstant(r)) } : {}) },
      inputs: { batches },
    };
  };
}

/** Per-channel observers over N-d batches with ch_axis anywhere (negative too). */
function perChannelObserverCase(op: string, movingAverage: boolean): CaseFactory {
  return (r) => {
    const qscheme: QScheme = r.pick(PER_CHANNEL_QSCHEMES);
    const rank = r.bool(0.05) ? 1 : r.int(2, 4); // rank 1 is a negative test: torch's flatten(start_dim=1) refuses it
    const shape = Array.from({ length: rank }, () => r.int(1, 4));
    const axis = r.int(0, rank - 1);
    const chAxis = r.bool(0.25) ? axis - rank : axis;
    const style = r.pick(FLOAT_STYLES.filter((s) => s !== 'raw_bits' || r.bool(0.3)));
    const spread = Math.fround(Math.exp(r.normal() * 2));
    const batches = Array.from({ length: drawBatchCount(r) }, () => {
      const n = shape.reduce((a, b) => a * b, 1);
      return wireF32(shape, drawBatchValues(r, n, style, spread, 0));
    });
    return {
      op,
      attrs: { qscheme, ch_axis: chAxis, ...drawConfig(r, qscheme, true), ...(movingAverage ? { averaging_constant: hex64(drawAveragingConstant(r)) } : {}) },
      inputs: { batches },
    };
  };
}

export const minMaxObserverCase = perTensorObserverCase('min_max_observer@1', false);
export const movingAverageMinMaxObserverCase = perTensorObserverCase('moving_average_min_max_observer@1', true);
export const perChannelMinMaxObserverCase = perChannelObserverCase('per_channel_min_max_observer@1', false);
export const movingAveragePerChannelMinMaxObserverCase = perChannelObserverCase('moving_average_per_channel_min_max_observer@1', true);

export const fixedQparamsObserverCase: CaseFactory = (r) => {
  const [scale, zp] = r.pick([[1 / 256, 0], [2 / 256, 128], [0.1, 3], [1 / 255, 0], [0.05, 255]]);
  return {
    op: 'fixed_qparams_observer@1',
    attrs: { scale: hex64(scale), zero_point: zp, dtype: 'quint8', qscheme: 'per_tensor_affine', quant_min: 0, quant_max: 255 },
    inputs: { batches: [wireF32([3], [drawF32(r, 'normal', 1), 0, 1])] },
  };
};

export const placeholderObserverCase: CaseFactory = (r) => ({
  op: 'placeholder_observer@1',
  attrs: { dtype: r.pick(['quint8', 'qint8', 'qint32']) },
  inputs: { batches: [wireF32([2], [drawF32(r, 'normal', 1), 1])] },
});
