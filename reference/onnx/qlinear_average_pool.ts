/**
 * qlinear_average_pool@1, exact reference: com.microsoft QLinearAveragePool as onnxruntime 1.30 computes it
 * (onnxruntime/contrib_ops/cpu/quantization/qlinear_pool.cc QLinearAveragePool::ComputeImpl and its
 * QLinearPool{1,2,3}DTask / QLinearPoolNhwc{1,2,3}DTask; output sizes from core/providers/cpu/nn/pool_attributes.h).
 * A kernel equal to the spatial dims with every pad 0 takes ORT's shortcut to the MLAS global pool
 * (qlinear_global_average_pool.ts: integer sums, one float scale). Otherwise every step is float32:
 *   d[i]  = f32(x_scale * f32(x[i] - z_x))                  dequantize_value (or its 256-entry table: same values)
 *   s     = f32(...f32(f32(0 + d[w0]) + d[w1])...)          AveragePool::Process over the window clipped to the
 *                                                             image, in row-major order (h, then w, then d)
 *   s     = f32(s / f32(count))                             Finalize: count = the kernel size with
 *                                                             count_include_pad, else the clipped window's size
 *   y     = clamp((int32_t)nearbyintf(f32(f32(s / y_scale) + f32(z_y))), qmin, qmax)
 * nearbyintf rounds half to even (default rounding mode); the int32 cast truncates an integral float, with the
 * x86 integer indefinite (INT32_MIN, then qmin) for values outside int32. channels_last changes only the layout.
 * Window of output o along a dim: start = o * stride - pad_head, [max(start, 0), min(start + kernel, size)).
 */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { QLinearAveragePoolArgs } from '../../contract/onnx_qops.js';
import { checkQLinearAveragePool, globalPoolOfAveragePool } from '../../contract/qlinear_pool_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { f32Add, f32Div, intToF32 } from '../exact/float_arith.js';
import { fromFloat32 } from '../exact/ieee_bits.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { clampInt, nearbyint, truncToInt32 } from '../exact/x86_conversions.js';
import { mlasGlobalAveragePool } from './qlinear_global_average_pool.js';
import { dequantizeLinearValue } from '../ops/quantize_linear.js';

/** QLinearAveragePool::ComputeImpl (contrib_ops/cpu/quantization/qlinear_pool.cc), as above: float32 dequantize, sums and division rounded via reference/exact, nearbyintf (half to even) and the int32 cast; or MLAS's global pool. */
export function qlinearAveragePool(a: QLinearAveragePoolArgs): IntTensor {
  const g = checkQLinearAveragePool('qlinear_average_pool', a);
  const xScale = a.xScale.data[0] as number;
  const yScale = a.yScale.data[0] as number;
  if (g.global) {
    const y = mlasGlobalAveragePool(globalPoolOfAveragePool(a, g));
    return intTensor(g.dtype, g.outShape, y);
  }
  const sx = fromFloat32(xScale);
  const sy = fromFloat32(yScale);
  const zy = intToF32(BigInt(g.yZeroPoint));
  const { min, max } = DTYPE_RANGE[g.dtype];
  const table = new Map<number, IeeeValue>();
  const dequantized = (q: number): IeeeValue => {
    let v = table.get(q);
    if (!v) table.set(q, (v = dequantizeLinearValue(BigInt(q), BigInt(g.xZeroPoint), sx)));
    return v;
  };
  const [H, W, D] = g.inDims;
  const [PH, PW, PD] = g.outDims;
  const image = H * W * D;
  const pooled = PH * PW * PD;
  const C = g.channels;
  const out = new Int32Array(g.batch * C * pooled);
  const xAt = (n: number, c: number, pos: number) => (a.channelsLast ? (n * image + pos) * C + c : (n * C + c) * image + pos);
  const yAt = (n: number, c: number, pos: number) => (a.channelsLast ? (n * pooled + pos) * C + c : (n * C + c) * pooled + pos);
  const window = (o: number, d: 0 | 1 | 2, size: number): [number, number] => {
    const start = o * g.strides[d] - g.padHeads[d];
    return [Math.max(start, 0), Math.min(start + g.kernel[d], size)];
  };
  for (let n = 0; n < g.batch; n++) {
    for (let c = 0; c < C; c++) {
      for (let ph = 0; ph < PH; ph++) {
        const [h0, h1] = window(ph, 0, H);
        for (let pw = 0; pw < PW; pw++) {
          const [w0, w1] = window(pw, 1, W);
          for (let pd = 0; pd < PD; pd++) {
            const [d0, d1] = window(pd, 2, D);
            let s = intToF32(0n);
            for (let h = h0; h < h1; h++) for (let w = w0; w < w1; w++) for (let d = d0; d < d1; d++) s = f32Add(s, dequantized(a.x.data[xAt(n, c, (h * W + w) * D + d)] as number));
            const count = a.countIncludePad ? g.kernelSize : (h1 - h0) * (w1 - w0) * (d1 - d0);
            s = f32Div(s, intToF32(BigInt(count)));
            const q = truncToInt32(nearbyint(f32Add(f32Div(s, sy), zy)));
            out[yAt(n, c, (ph * PW + pw) * PD + pd)] = Number(clampInt(q, BigInt(min), BigInt(max)));
          }
        }
      }
    }
  }
  return intTensor(g.dtype, g.outShape, out);
}
