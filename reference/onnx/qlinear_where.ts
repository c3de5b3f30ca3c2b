/**
 * qlinear_where@1, exact reference: com.microsoft QLinearWhere as onnxruntime 1.30 computes it
 * (onnxruntime/contrib_ops/cpu/quantization/qlinear_where.cc). x and y are each copied byte for byte when their
 * scale equals z_scale (float compare, has_same_scale in qlinear_util.h) and their zero point equals z's; otherwise
 * each goes through a 256-entry table built by QlinearBuildLookupTable with the identity (qlinear_lookup_table.cc,
 * lookupTable in qlinear_lookup.ts):
 *   d     = f32(s * f32(code(i) - z_in))                     int32 difference (exact), float32 product
 *   t[i]  = MlasQuantizeLinear(d, z_scale, z_zp)             f32 division, clamp in float, cvtps2dq + z_zp
 * ORT then selects twice (UntypedSelect: the x selection is t_x[x] where the condition is true and byte 0 elsewhere,
 * the y selection likewise where it is false) and merges (x_sel != 0 ? x_sel : y_sel). Where the condition is true
 * y_sel is 0, so the merge gives t_x[x] even when that is byte 0: the result is condition ? t_x[x] : t_y[y], with
 * condition, x and y broadcast in full (integer domain, no arithmetic after the tables).
 */
import type { QLinearWhereArgs } from '../../contract/onnx_qops.js';
import { checkQLinearWhere } from '../../contract/qlinear_where_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { requantizeByteMap } from './qlinear_lookup.js';

/** QLinearWhere::Compute (contrib_ops/cpu/quantization/qlinear_where.cc): each operand's byte map (requantizeByteMap), then the broadcast select; integer domain after the float32 tables. */
export function qlinearWhere(a: QLinearWhereArgs): IntTensor {
  const g = checkQLinearWhere('qlinear_where', a);
  const mapX = requantizeByteMap(g.dtype, g.xScale, g.xZeroPoint, g.zScale, g.zZeroPoint);
  const mapY = requantizeByteMap(g.dtype, g.yScale, g.yZeroPoint, g.zScale, g.zZeroPoint);
  const out = Array.from(g.conditionIndex, (c, k) => (a.condition.data[c] === 1 ? mapX(a.x.data[g.xIndex[k]!]!) : mapY(a.y.data[g.yIndex[k]!]!)));
  return intTensor(g.dtype, g.outShape, out);
}
