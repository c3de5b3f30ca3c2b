/**
 * The contract check of qlinear_where@1 (com.microsoft QLinearWhere,
 * onnxruntime/contrib_ops/cpu/quantization/qlinear_where.cc), run once by reference/ and impl/. ORT 1.30 registers
 * it for uint8 and int8; z_zero_point's dtype decides the kernel and ORT enforces that the three zero points share it
 * ("Wrong input type encountered for zero point"); qconform also requires x and y to have it. Every scale and zero
 * point has one element. The condition is an ONNX bool tensor: on the wire a `uint8` tensor of 0 (false) and 1
 * (true); any other value is refused (ORT compares each bool with `true`). Condition, x and y broadcast in full
 * (ORT's InputBroadcaster, twice: the x selection, the y selection, then their merge, which is the broadcast of all
 * three). An empty broadcast (a dimension of 0) gives an empty output, as ORT 1.30 does (probed with onnxruntime-node
 * 1.30).
 */
import { broadcastIndex, broadcastShapes } from './broadcast.js';
import { QconformError } from './errors.js';
import { MAX_TENSOR_ELEMENTS, checkLimit } from './limits.js';
import type { QLinearWhereArgs } from './onnx_qops.js';
import { checkOneElementScale, checkOneElementZeroPoint, checkQ8Values } from './qlinear_pool_checks.js';
import { numel } from './tensor.js';
import { validateShape } from './validate.js';

export interface WhereGeometry {
  readonly dtype: 'quint8' | 'qint8';
  readonly outShape: readonly number[];
  /** per output element, the flat index it reads in condition, x and y */
  readonly conditionIndex: Int32Array;
  readonly xIndex: Int32Array;
  readonly yIndex: Int32Array;
  readonly xScale: number;
  readonly xZeroPoint: number;
  readonly yScale: number;
  readonly yZeroPoint: number;
  readonly zScale: number;
  readonly zZeroPoint: number;
}

export function checkQLinearWhere(what: string, a: QLinearWhereArgs): WhereGeometry {
  const zZp = a.zZeroPoint;
  if (zZp.dtype !== 'quint8' && zZp.dtype !== 'qint8') throw new QconformError('invalid_dtype', `${what}: z_zero_point.dtype`, zZp.dtype, 'quint8 (ONNX uint8) or qint8 (ONNX int8)');
  const dtype = zZp.dtype;
  const c = a.condition;
  if (c.dtype !== 'uint8') throw new QconformError('invalid_dtype', `${what}: condition.dtype`, c.dtype, "uint8 carrying ONNX bool (0 false, 1 true)");
  validateShape(`${what}: condition`, c);
  const bad = c.data.findIndex((v) => v !== 0 && v !== 1);
  if (bad >= 0) throw new QconformError('invalid_integer', `${what}: condition[${bad}]`, c.data[bad], 'a bool: 0 (false) or 1 (true)');
  for (const [name, t] of [['x', a.x], ['y', a.y]] as const) {
    const got = checkQ8Values(`${what}: ${name}`, t);
    if (got !== dtype) throw new QconformError('invalid_dtype', `${what}: ${name}.dtype`, got, `z_zero_point's dtype (${dtype})`);
  }
  const zScale = checkOneElementScale(`${what}: z_scale`, a.zScale);
  const zZeroPoint = checkOneElementZeroPoint(`${what}: z_zero_point`, zZp, dtype);
  const xScale = checkOneElementScale(`${what}: x_scale`, a.xScale);
  const xZeroPoint = checkOneElementZeroPoint(`${what}: x_zero_point`, a.xZeroPoint, dtype);
  const yScale = checkOneElementScale(`${what}: y_scale`, a.yScale);
  const yZeroPoint = checkOneElementZeroPoint(`${what}: y_zero_point`, a.yZeroPoint, dtype);
  const outShape = broadcastShapes(`${what}: condition, x, y`, { condition: c.shape, x: a.x.shape, y: a.y.shape });
  checkLimit(`${what}: output elements`, numel(outShape), MAX_TENSOR_ELEMENTS, 'MAX_TENSOR_ELEMENTS');
  return {
    dtype,
    outShape,
    conditionIndex: broadcastIndex(c.shape, outShape),
    xIndex: broadcastIndex(a.x.shape, outShape),
    yIndex: broadcastIndex(a.y.shape, outShape),
    xScale,
    xZeroPoint,
    yScale,
    yZeroPoint,
    zScale,
    zZeroPoint,
  };
}
