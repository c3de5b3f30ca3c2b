/**
 * qnnpack_avg_pool2d@1, fast twin of reference/ops/qnnpack_avg_pool2d.ts (torch 1.13.1's average pools on a quint8
 * tensor under the qnnpack engine, QNNPACK's average pooling, contract/qnnpack_avg_pool2d.ts): window sums in doubles
 * (exact: below 2^53), the float32 steps on doubles rounded to float32.
 */
import type { QnnpackAvgPool2dAttrs } from '../contract/qnnpack_avg_pool2d.js';
import { checkQnnpackAvgPool2d } from '../contract/qnnpack_avg_pool2d_checks.js';
import { avgPoolWindow } from '../contract/quantized_avg_pool2d_checks.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import { qnnpackAverageMultiplier, qnnpackAverageOutput } from './qnnpack_average.js';

export function qnnpackAvgPool2d(x: IntTensor, attrs: QnnpackAvgPool2dAttrs): IntTensor {
  const g = checkQnnpackAvgPool2d(x, attrs);
  const [kh, kw] = attrs.kernelSize;
  const m = qnnpackAverageMultiplier(attrs.scale, kh * kw);
  const z = attrs.zeroPoint;
  const rows = Array.from({ length: g.oh }, (_, o) => avgPoolWindow(o, attrs.stride[0], attrs.padding[0], kh, g.h));
  const cols = Array.from({ length: g.ow }, (_, o) => avgPoolWindow(o, attrs.stride[1], attrs.padding[1], kw, g.w));
  const data = x.data;
  const y = new Int32Array(g.n * g.c * g.oh * g.ow);
  for (let plane = 0; plane < g.n * g.c; plane++) {
    for (let oy = 0; oy < g.oh; oy++) {
      const r = rows[oy]!;
      for (let ox = 0; ox < g.ow; ox++) {
        const c = cols[ox]!;
        let sum = 0;
        for (let iy = r.from; iy < r.to; iy++) {
          const row = (plane * g.h + iy) * g.w;
          for (let ix = c.from; ix < c.to; ix++) sum += data[row + ix] as number;
        }
        // the int32 accumulator (the padding's z cancels)
        y[(plane * g.oh + oy) * g.ow + ox] = qnnpackAverageOutput(sum - z * (r.to - r.from) * (c.to - c.from), m, z);
      }
    }
  }
  return intTensor('quint8', [g.n, g.c, g.oh, g.ow], y);
}
