/**
 * qlinear_concat@1, exact reference: com.microsoft QLinearConcat as onnxruntime 1.30 computes it
 * (onnxruntime/contrib_ops/cpu/quantization/qlinear_concat.cc). Each input is copied byte for byte when its scale
 * equals y_scale (float compare, has_same_scale in qlinear_util.h) and its zero point equals y's; otherwise it goes
 * through a 256-entry table built by QlinearBuildLookupTable (qlinear_lookup_table.cc):
 *   d     = f32(x_scale * f32(v - z_x))                      for every value v of the dtype (int product, exact)
 *   t[v]  = MlasQuantizeLinear(d, y_scale, z_y)              f32(d / y_scale), clamped in float, cvtps2dq + z_y
 *                                                             (reference/ops/quantize_linear.ts quantizeLinearValue)
 * and the output is the tables' images laid side by side along the axis.
 */
import type { QLinearConcatArgs } from '../../contract/onnx_qops.js';
import { checkQLinearConcat } from '../../contract/qlinear_concat_checks.js';
import { type IntTensor, intTensor, numel } from '../../contract/tensor.js';
import { requantizeByteMap } from './qlinear_lookup.js';

/**
 * QLinearConcat::Compute (contrib_ops/cpu/quantization/qlinear_concat.cc): each input through its byte map
 * (requantizeByteMap in qlinear_lookup.ts: a copy, or the identity table of float32 steps rounded exactly), laid side
 * by side along the axis (integer domain, index arithmetic only).
 */
export function qlinearConcat(a: QLinearConcatArgs): IntTensor {
  const g = checkQLinearConcat('qlinear_concat', a);
  const out = new Int32Array(numel(g.outShape));
  if (out.length === 0) return intTensor(g.dtype, g.outShape, out); // an empty y: nothing to write (outer may be large when a dim after the axis is 0)
  const total = g.slabs.reduce((p, s) => p + s, 0);
  let offset = 0;
  a.inputs.forEach((t, i) => {
    const map = requantizeByteMap(g.dtype, g.scales[i]!, g.zeroPoints[i]!, g.yScale, g.yZeroPoint);
    const slab = g.slabs[i]!;
    for (let o = 0; o < g.outer; o++) for (let j = 0; j < slab; j++) out[o * total + offset + j] = map(t.x.data[o * slab + j] as number);
    offset += slab;
  });
  return intTensor(g.dtype, g.outShape, out);
}
