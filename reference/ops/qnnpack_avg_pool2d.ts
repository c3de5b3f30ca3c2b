/**
 * qnnpack_avg_pool2d@1, exact reference: torch 1.13.1's avg_pool2d / adaptive_avg_pool2d on a quint8 tensor under the
 * qnnpack engine, QNNPACK's average pooling (AveragePool2d.cpp qnnpack_avg_pool2d; qnnpack/src/average-pooling.c,
 * src/q8avgpool/*-sse2.c): contract/qnnpack_avg_pool2d.ts. The window sums are bigint; every float step is one float32
 * operation rounded once on rationals (reference/exact); cvtps2dq rounds half to even.
 */
import type { QnnpackAvgPool2dAttrs } from '../../contract/qnnpack_avg_pool2d.js';
import { checkQnnpackAvgPool2d } from '../../contract/qnnpack_avg_pool2d_checks.js';
import { avgPoolWindow } from '../../contract/quantized_avg_pool2d_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { qnnpackAverageMultiplier, qnnpackAverageOutput } from './qnnpack_average.js';

/**
 * Per output: acc = the sum of (x - z) over the window's input positions (bigint; the padding reads z), then
 * QNNPACK's average output step (qnnpack_average.ts: clamp(cvtps2dq(f32(f32(acc) m)) + z, 0, 255), float32 domain) with
 * m = f32(f32(s) / f32(f32(s) f32(kH kW))).
 */
export function qnnpackAvgPool2d(x: IntTensor, attrs: QnnpackAvgPool2dAttrs): IntTensor {
  const g = checkQnnpackAvgPool2d(x, attrs);
  const [kh, kw] = attrs.kernelSize;
  const m = qnnpackAverageMultiplier(attrs.scale, kh * kw);
  const z = BigInt(attrs.zeroPoint);
  const rows = Array.from({ length: g.oh }, (_, o) => avgPoolWindow(o, attrs.stride[0], attrs.padding[0], kh, g.h));
  const cols = Array.from({ length: g.ow }, (_, o) => avgPoolWindow(o, attrs.stride[1], attrs.padding[1], kw, g.w));
  const y = new Int32Array(g.n * g.c * g.oh * g.ow);
  for (let plane = 0; plane < g.n * g.c; plane++) {
    for (let oy = 0; oy < g.oh; oy++) {
      const r = rows[oy]!;
      for (let ox = 0; ox < g.ow; ox++) {
        const c = cols[ox]!;
        let acc = 0n;
        for (let iy = r.from; iy < r.to; iy++) for (let ix = c.from; ix < c.to; ix++) acc += BigInt(x.data[(plane * g.h + iy) * g.w + ix] as number) - z;
        y[(plane * g.oh + oy) * g.ow + ox] = Number(qnnpackAverageOutput(acc, m, z));
      }
    }
  }
  return intTensor('quint8', [g.n, g.c, g.oh, g.ow], y);
}
