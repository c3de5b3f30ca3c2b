/** qlinear_concat@1, fast twin of reference/onnx/qlinear_concat.ts (ORT 1.30 qlinear_concat.cc: a copy or a 256-entry MlasQuantizeLinear table per input). */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { QLinearConcatArgs } from '../../contract/onnx_qops.js';
import { checkQLinearConcat } from '../../contract/qlinear_concat_checks.js';
import { type IntTensor, intTensor, numel } from '../../contract/tensor.js';
import { f32Mul } from '../float32.js';
import { quantizeLinearValue } from '../quantize_linear.js';

export function qlinearConcat(a: QLinearConcatArgs): IntTensor {
  const g = checkQLinearConcat('qlinear_concat', a);
  const { min, max } = DTYPE_RANGE[g.dtype];
  const offset = -min;
  const out = new Int32Array(numel(g.outShape));
  const total = g.slabs.reduce((p, s) => p + s, 0);
  let at = 0;
  a.inputs.forEach((t, i) => {
    const copy = g.scales[i] === g.yScale && g.zeroPoints[i] === g.yZeroPoint;
    const table = Int32Array.from({ length: 256 }, (_, k) => (copy ? k - offset : quantizeLinearValue(f32Mul(g.scales[i]!, k - offset - g.zeroPoints[i]!), g.yScale, g.yZeroPoint, min, max)));
    const slab = g.slabs[i]!;
    for (let o = 0; o < g.outer; o++) for (let j = 0; j < slab; j++) out[o * total + at + j] = table[(t.x.data[o * slab + j] as number) + offset] as number;
    at += slab;
  });
  return intTensor(g.dtype, g.outShape, out);
}
