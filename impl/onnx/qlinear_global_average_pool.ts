/** qlinear_global_average_pool@1, fast twin of reference/onnx/qlinear_global_average_pool.ts (ORT 1.30 MLAS qlgavgpool.cpp). */
import type { QLinearGlobalAveragePoolArgs } from '../../contract/onnx_qops.js';
import { type GlobalPoolInput, checkQLinearGlobalAveragePool, globalPoolOf } from '../../contract/qlinear_pool_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { f32Div, f32Mul } from '../float32.js';
import { qlinearOutput, qlinearOutputParams } from './qlinear_output.js';

/** int32 sums (exact in binary64: |acc| < 2^31), f32(x_scale / f32(y_scale * image)), MlasRequantizeOutput; outputs in NC order. */
export function mlasGlobalAveragePool(p: GlobalPoolInput): Int32Array {
  const params = qlinearOutputParams(f32Div(p.xScale, f32Mul(p.yScale, p.imageSize)), p.yZeroPoint, p.dtype);
  const { batch: N, channels: C, imageSize: S, data } = p;
  if (N * C === 0) return new Int32Array(0); // an empty y (the other dim may be large)
  const acc = new Float64Array(N * C).fill(-p.xZeroPoint * S);
  if (p.channelsLast) {
    for (let n = 0; n < N; n++) for (let i = 0; i < S; i++) for (let c = 0, at = (n * S + i) * C; c < C; c++, at++) acc[n * C + c]! += data[at] as number;
  } else {
    for (let nc = 0, at = 0; nc < N * C; nc++) for (let i = 0; i < S; i++, at++) acc[nc]! += data[at] as number;
  }
  return Int32Array.from(acc, (v) => qlinearOutput(v, params));
}

export function qlinearGlobalAveragePool(a: QLinearGlobalAveragePoolArgs): IntTensor {
  const g = checkQLinearGlobalAveragePool('qlinear_global_average_pool', a);
  const y = mlasGlobalAveragePool(globalPoolOf(a, g));
  return intTensor(g.dtype, g.outShape, y);
}
