/** qlinear_average_pool@1, fast twin of reference/onnx/qlinear_average_pool.ts (ORT 1.30 qlinear_pool.cc, float32 steps via Math.fround). */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { QLinearAveragePoolArgs } from '../../contract/onnx_qops.js';
import { type AveragePoolGeometry, checkQLinearAveragePool, globalPoolOfAveragePool } from '../../contract/qlinear_pool_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { clampInt, f32Add, f32Div, f32Mul, nearbyint, trunc32 } from '../float32.js';
import { mlasGlobalAveragePool } from './qlinear_global_average_pool.js';

export function qlinearAveragePool(a: QLinearAveragePoolArgs): IntTensor {
  const g = checkQLinearAveragePool('qlinear_average_pool', a);
  if (g.global) {
    const y = mlasGlobalAveragePool(globalPoolOfAveragePool(a, g));
    return intTensor(g.dtype, g.outShape, y);
  }
  return intTensor(g.dtype, g.outShape, averagePoolFloat(a, g));
}

/**
 * The float32 window path of qlinear_pool.cc (also for a kernel covering the image, where ORT takes the MLAS
 * shortcut instead); `observe` sees each f32(f32(avg / y_scale) + z_y) before it is rounded (tests count ties).
 */
export function averagePoolFloat(a: QLinearAveragePoolArgs, g: AveragePoolGeometry, observe?: (v: number) => void): Int32Array {
  const xScale = a.xScale.data[0] as number;
  const yScale = a.yScale.data[0] as number;
  const { min, max } = DTYPE_RANGE[g.dtype];
  const offset = g.dtype === 'quint8' ? 0 : 128;
  const table = Float64Array.from({ length: 256 }, (_, i) => f32Mul(xScale, i - offset - g.xZeroPoint));
  const dq = Float64Array.from(a.x.data, (q) => table[q + offset] as number);
  const [H, W, D] = g.inDims;
  const [PH, PW, PD] = g.outDims;
  const image = H * W * D;
  const pooled = PH * PW * PD;
  const C = g.channels;
  const out = new Int32Array(g.batch * C * pooled);
  const cl = a.channelsLast;
  for (let n = 0; n < g.batch; n++) {
    for (let c = 0; c < C; c++) {
      for (let ph = 0; ph < PH; ph++) {
        const hs = ph * g.strides[0] - g.padHeads[0];
        const [h0, h1] = [Math.max(hs, 0), Math.min(hs + g.kernel[0], H)];
        for (let pw = 0; pw < PW; pw++) {
          const ws = pw * g.strides[1] - g.padHeads[1];
          const [w0, w1] = [Math.max(ws, 0), Math.min(ws + g.kernel[1], W)];
          for (let pd = 0; pd < PD; pd++) {
            const ds = pd * g.strides[2] - g.padHeads[2];
            const [d0, d1] = [Math.max(ds, 0), Math.min(ds + g.kernel[2], D)];
            let s = 0;
            for (let h = h0; h < h1; h++) {
              for (let w = w0; w < w1; w++) {
                for (let d = d0; d < d1; d++) {
                  const pos = (h * W + w) * D + d;
                  s = f32Add(s, dq[cl ? (n * image + pos) * C + c : (n * C + c) * image + pos] as number);
                }
              }
            }
            s = f32Div(s, a.countIncludePad ? g.kernelSize : (h1 - h0) * (w1 - w0) * (d1 - d0));
            const pos = (ph * PW + pw) * PD + pd;
            const v = f32Add(f32Div(s, yScale), g.yZeroPoint);
            observe?.(v);
            out[cl ? (n * pooled + pos) * C + c : (n * C + c) * pooled + pos] = clampInt(trunc32(nearbyint(v)), min, max);
          }
        }
      }
    }
  }
  return out;
}
