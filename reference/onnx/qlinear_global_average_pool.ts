/**
 * qlinear_global_average_pool@1, exact reference: com.microsoft QLinearGlobalAveragePool as onnxruntime 1.30
 * computes it on x86-64 (onnxruntime/contrib_ops/cpu/quantization/qlinear_global_average_pool.cc
 * ComputeQLinearGlobalAvgPool, calling MlasQLinearGlobalAveragePoolNchw, or MlasQLinearGlobalAveragePoolNhwc for
 * channels_last with C > 1; onnxruntime/core/mlas/lib/qlgavgpool.cpp, SSE2 path). Per (n, c):
 *   acc   = -z_x * image + sum of x over the image           int32 (exact: |acc| <= 255 * MAX_TENSOR_ELEMENTS < 2^31;
 *                                                             the SSE2 int16 partial sums of 4 or 7 bytes cannot wrap)
 *   scale = f32(x_scale / f32(y_scale * f32(image)))        CheckQLinearGlobalAveragePoolScaleAndSize
 *   y     = MlasRequantizeOutput(acc, scale, z_y)           f32(f32(acc) * scale) clamped in float to
 *                                                             [qmin - z_y, qmax - z_y], cvtps2dq (half even), + z_y
 * The NCHW and NHWC kernels differ only in the order of the (exact) integer sums. The same routine is ORT's
 * shortcut for a QLinearAveragePool whose kernel covers the whole (unpadded) image (qlinear_average_pool.ts).
 */
import type { QLinearGlobalAveragePoolArgs } from '../../contract/onnx_qops.js';
import { type GlobalPoolInput, checkQLinearGlobalAveragePool, globalPoolOf } from '../../contract/qlinear_pool_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { f32Div, f32Mul, intToF32 } from '../exact/float_arith.js';
import { fromFloat32 } from '../exact/ieee_bits.js';
import { qlinearOutput, qlinearOutputParams } from './qlinear_output.js';

/** MLAS's global average pool (NCHW or NHWC), outputs in NC order (channelsLast: the same order, [N, C]). */
export function mlasGlobalAveragePool(p: GlobalPoolInput): Int32Array {
  const scale = f32Div(fromFloat32(p.xScale), f32Mul(fromFloat32(p.yScale), intToF32(BigInt(p.imageSize))));
  const params = qlinearOutputParams(scale, p.yZeroPoint, p.dtype);
  const out = new Int32Array(p.batch * p.channels);
  if (out.length === 0) return out; // N = 0 or C = 0: an empty y (the other dim may be large)
  const bias = -BigInt(p.xZeroPoint) * BigInt(p.imageSize);
  for (let n = 0; n < p.batch; n++) {
    for (let c = 0; c < p.channels; c++) {
      let acc = bias;
      for (let i = 0; i < p.imageSize; i++) {
        const at = p.channelsLast ? (n * p.imageSize + i) * p.channels + c : (n * p.channels + c) * p.imageSize + i;
        acc += BigInt(p.data[at] as number);
      }
      out[n * p.channels + c] = qlinearOutput(acc, params);
    }
  }
  return out;
}

/** ComputeQLinearGlobalAvgPool (contrib_ops/cpu/quantization/qlinear_global_average_pool.cc): mlasGlobalAveragePool's exact integer sums and float32 requantization. */
export function qlinearGlobalAveragePool(a: QLinearGlobalAveragePoolArgs): IntTensor {
  const g = checkQLinearGlobalAveragePool('qlinear_global_average_pool', a);
  const y = mlasGlobalAveragePool(globalPoolOf(a, g));
  return intTensor(g.dtype, g.outShape, y);
}
