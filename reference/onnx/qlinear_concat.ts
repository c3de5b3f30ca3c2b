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
import { f32Mul, intToF32 } from '../exact/float_arith.js';
import { fromFloat32 } from '../exact/ieee_bits.js';
import { quantizeLinearValue } from '../ops/quantize_linear.js';

const ONNX_DTYPE = { quint8: 'uint8', qint8: 'int8' } as const;

export function qlinearConcat(a: QLinearConcatArgs): IntTensor {
  const g = checkQLinearConcat('qlinear_concat', a);
  const ys = fromFloat32(g.yScale);
  const out = new Int32Array(numel(g.outShape));
  const total = g.slabs.reduce((p, s) => p + s, 0);
  let offset = 0;
  a.inputs.forEach((t, i) => {
    const copy = g.scales[i] === g.yScale && g.zeroPoints[i] === g.yZeroPoint;
    const xs = fromFloat32(g.scales[i]!);
    const table = new Map<number, number>();
    const entry = (v: number) => Number(quantizeLinearValue(f32Mul(xs, intToF32(BigInt(v - g.zeroPoints[i]!))), ys, BigInt(g.yZeroPoint), ONNX_DTYPE[g.dtype]));
    const map = (v: number) => {
      if (copy) return v;
      let q = table.get(v);
      if (q === undefined) table.set(v, (q = entry(v)));
      return q;
    };
    const slab = g.slabs[i]!;
    for (let o = 0; o < g.outer; o++) for (let j = 0; j < slab; j++) out[o * total + offset + j] = map(t.x.data[o * slab + j] as number);
    offset += slab;
  });
  return intTensor(g.dtype, g.outShape, out);
}
