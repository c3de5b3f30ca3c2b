/**
 * qnnpack_mean@1, exact reference: torch 1.13.1's Tensor.mean over dims [2, 3] of a quint8 tensor under the qnnpack
 * engine, QNNPACK's global average pooling (ReduceOps.cpp qnnpack_mean; qnnpack/src/global-average-pooling.c,
 * src/q8gavgpool/*-sse2.c): contract/qnnpack_mean.ts.
 */
import type { QnnpackMeanAttrs } from '../../contract/qnnpack_mean.js';
import { checkQnnpackMean } from '../../contract/qnnpack_mean_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { qnnpackAverageMultiplier, qnnpackAverageOutput } from './qnnpack_average.js';

/**
 * Per (n, c): acc = the sum of the H W stored values - H W z (bigint, the ukernels' int32 bias -width * z plus the
 * sum), then QNNPACK's average output step (qnnpack_average.ts, float32 domain) with m = f32(f32(s) / f32(f32(s) f32(H W))).
 */
export function qnnpackMean(x: IntTensor, attrs: QnnpackMeanAttrs): IntTensor {
  const g = checkQnnpackMean(x, attrs);
  const m = qnnpackAverageMultiplier(attrs.xScale, g.hw);
  const z = BigInt(attrs.xZeroPoint);
  const y = new Int32Array(g.n * g.c);
  for (let k = 0; k < y.length; k++) {
    let acc = -BigInt(g.hw) * z;
    for (let i = 0; i < g.hw; i++) acc += BigInt(x.data[k * g.hw + i] as number);
    y[k] = Number(qnnpackAverageOutput(acc, m, z));
  }
  return intTensor('quint8', g.outShape, y);
}
