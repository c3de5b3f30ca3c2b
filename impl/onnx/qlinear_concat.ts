/** qlinear_concat@1, fast twin of reference/onnx/qlinear_concat.ts (ORT 1.30 qlinear_concat.cc: a copy or a 256-entry MlasQuantizeLinear table per input). */
import type { QLinearConcatArgs } from '../../contract/onnx_qops.js';
import { checkQLinearConcat } from '../../contract/qlinear_concat_checks.js';
import { type IntTensor, intTensor, numel } from '../../contract/tensor.js';
import { requantizeByteTable } from './qlinear_lookup.js';

export function qlinearConcat(a: QLinearConcatArgs): IntTensor {
  const g = checkQLinearConcat('qlinear_concat', a);
  const out = new Int32Array(numel(g.outShape));
  if (out.length === 0) return intTensor(g.dtype, g.outShape, out); // an empty y: nothing to write (outer may be large when a dim after the axis is 0)
  const total = g.slabs.reduce((p, s) => p + s, 0);
  let at = 0;
  a.inputs.forEach((t, i) => {
    const table = requantizeByteTable(g.dtype, g.scales[i]!, g.zeroPoints[i]!, g.yScale, g.yZeroPoint);
    const slab = g.slabs[i]!;
    for (let o = 0; o < g.outer; o++) for (let j = 0; j < slab; j++) out[o * total + at + j] = table[(t.x.data[o * slab + j] as number) & 0xff] as number;
    at += slab;
  });
  return intTensor(g.dtype, g.outShape, out);
}
