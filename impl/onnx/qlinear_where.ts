/** qlinear_where@1, fast twin of reference/onnx/qlinear_where.ts (ORT 1.30 qlinear_where.cc: a copy or a 256-entry MlasQuantizeLinear table per operand, then a broadcast select). */
import type { QLinearWhereArgs } from '../../contract/onnx_qops.js';
import { checkQLinearWhere } from '../../contract/qlinear_where_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { requantizeByteTable } from './qlinear_lookup.js';

export function qlinearWhere(a: QLinearWhereArgs): IntTensor {
  const g = checkQLinearWhere('qlinear_where', a);
  const tx = requantizeByteTable(g.dtype, g.xScale, g.xZeroPoint, g.zScale, g.zZeroPoint);
  const ty = requantizeByteTable(g.dtype, g.yScale, g.yZeroPoint, g.zScale, g.zZeroPoint);
  const c = a.condition.data;
  const x = a.x.data;
  const y = a.y.data;
  const out = new Int32Array(g.conditionIndex.length);
  for (let k = 0; k < out.length; k++) out[k] = c[g.conditionIndex[k]!] === 1 ? tx[x[g.xIndex[k]!]! & 0xff]! : ty[y[g.yIndex[k]!]! & 0xff]!;
  return intTensor(g.dtype, g.outShape, out);
}
