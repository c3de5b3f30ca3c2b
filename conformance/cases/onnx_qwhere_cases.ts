/**
 * Case generator of qlinear_where@1 (com.microsoft QLinearWhere, ORT 1.30 qlinear_where.cc): a condition (ONNX bool,
 * a uint8 tensor of 0/1 on the wire), x and y of one 8-bit dtype, each with its own scale and zero point, requantized
 * to (z_scale, z_zero_point). Shapes broadcast in full: each operand is a suffix of the output shape with some dims
 * set to 1 (so scalars, rows, columns and equal shapes all occur). A fifth of the cases lay x out over every value
 * of the dtype (the whole table); x or y shares z's parameters 30% of the time (ORT's copy path).
 */
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { numel } from '../../contract/tensor.js';
import { type CaseFactory, wireF32, wireInt } from './builders.js';
import { drawScale } from './floats.js';
import { drawStress, values, zeroPoint } from './onnx_qops_cases.js';
import type { CaseRandom } from './random.js';

/** A shape that broadcasts to `out`: a suffix of it, each dim kept or set to 1. */
function broadcastable(r: CaseRandom, out: readonly number[]): number[] {
  const rank = r.int(0, out.length);
  return out.slice(out.length - rank).map((d) => (r.bool(0.3) ? 1 : d));
}

export const qlinearWhereCase: CaseFactory = (r) => {
  const dtype: QuantDtype = r.bool(0.5) ? 'quint8' : 'qint8';
  const { min } = DTYPE_RANGE[dtype];
  const stress = drawStress(r);
  const grid = r.bool(0.2);
  const out = grid ? [1, 256] : Array.from({ length: r.int(0, 4) }, () => r.int(1, 5));
  const shapes = { condition: grid ? (r.bool(0.5) ? [] : [1, 256]) : broadcastable(r, out), x: grid ? [1, 256] : broadcastable(r, out), y: broadcastable(r, out) };
  const zs = stress === 'ties' ? 2 ** r.int(-8, 2) : Math.fround(drawScale(r));
  const zZeroPoint = zeroPoint(r, dtype);
  const scaleShape = () => (r.bool(0.2) ? [1] : []);
  const inputs: Record<string, unknown> = { z_scale: wireF32(scaleShape(), [zs]), z_zero_point: wireInt(dtype, [], [zZeroPoint]) };
  const trueShare = r.pick([0.5, 0.5, 0.1, 0.9, 1, 0]);
  inputs.condition = wireInt('uint8', shapes.condition, Array.from({ length: numel(shapes.condition) }, () => (r.bool(trueShare) ? 1 : 0)));
  for (const name of ['x', 'y'] as const) {
    const shape = shapes[name];
    const v = grid && name === 'x' ? Array.from({ length: 256 }, (_, i) => min + i) : values(r, dtype, numel(shape), stress);
    const same = r.bool(0.3);
    const s = same ? zs : stress === 'ties' ? 2 ** r.int(-8, 2) : Math.fround(zs * (stress === 'saturate' ? r.int(20, 400) : 0.25 + 2 * r.next()));
    inputs[name] = wireInt(dtype, shape, v);
    inputs[`${name}_scale`] = wireF32(scaleShape(), [s]);
    inputs[`${name}_zero_point`] = wireInt(dtype, [], [same && r.bool(0.8) ? zZeroPoint : zeroPoint(r, dtype)]);
  }
  if (r.bool(0.03)) inputs.y_zero_point = wireInt(dtype === 'quint8' ? 'qint8' : 'quint8', [], [0]); // zero point of the other type
  return { op: 'qlinear_where@1', attrs: {}, inputs };
};
