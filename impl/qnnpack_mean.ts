/**
 * qnnpack_mean@1, fast twin of reference/ops/qnnpack_mean.ts (torch 1.13.1's mean over [2, 3] of quint8 under the
 * qnnpack engine, QNNPACK's global average pooling, contract/qnnpack_mean.ts): plane sums in doubles (exact: below
 * 2^53), then QNNPACK's average output step (qnnpack_average.ts).
 */
import type { QnnpackMeanAttrs } from '../contract/qnnpack_mean.js';
import { checkQnnpackMean } from '../contract/qnnpack_mean_checks.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import { qnnpackAverageMultiplier, qnnpackAverageOutput } from './qnnpack_average.js';

export function qnnpackMean(x: IntTensor, attrs: QnnpackMeanAttrs): IntTensor {
  const g = checkQnnpackMean(x, attrs);
  const m = qnnpackAverageMultiplier(attrs.xScale, g.hw);
  const z = attrs.xZeroPoint;
  const data = x.data;
  const y = new Int32Array(g.n * g.c);
  for (let k = 0; k < y.length; k++) {
    let sum = 0;
    for (let i = k * g.hw; i < (k + 1) * g.hw; i++) sum += data[i] as number;
    // the int32 accumulator: QNNPACK's bias -width * z plus the sum
    y[k] = qnnpackAverageOutput(sum - g.hw * z, m, z);
  }
  return intTensor('quint8', g.outShape, y);
}
