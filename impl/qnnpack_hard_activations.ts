/**
 * qnnpack_hardswish@1 and qnnpack_hardsigmoid@1, fast twins of reference/ops/qnnpack_hard_activations.ts: QNNPACK's
 * 256-entry table in float32 steps on doubles rounded by Math.fround, then one lookup per element.
 */
import { QNNPACK_HARDSIGMOID_OUTPUT, type QnnpackHardsigmoidAttrs, type QnnpackHardswishAttrs } from '../contract/qnnpack_hard_activations.js';
import { checkQnnpackHardsigmoid, checkQnnpackHardswish } from '../contract/qnnpack_hard_activations_checks.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import { f32Add, f32Div, f32Mul, lrintfToInt64 } from './float32.js';

/** The table (C's `r > 0 ? r : 0`, `r < 6 ? r : 6`, `t < 0`, `t > 255`; (uint8_t)lrintf: a NaN t gives 0). */
function qnnpackTable(xScale: number, xZeroPoint: number, scale: number, zeroPoint: number, v: (d: number, r: number) => number): Int32Array {
  const s = Math.fround(xScale);
  const inverse = f32Div(1, Math.fround(scale));
  const table = new Int32Array(256);
  for (let i = 0; i < 256; i++) {
    const d = f32Mul(s, i - xZeroPoint);
    let r = f32Add(d, 3);
    r = r > 0 ? r : 0;
    r = r < 6 ? r : 6;
    let t = f32Add(f32Mul(inverse, v(d, r)), zeroPoint);
    if (t < 0) t = 0;
    if (t > 255) t = 255;
    // t is NaN or in [0, 255]: lrintf's INT64_MIN for NaN keeps a low byte of 0
    table[i] = Number.isNaN(t) ? 0 : lrintfToInt64(t);
  }
  return table;
}

const mapped = (x: IntTensor, table: Int32Array): IntTensor => intTensor('quint8', x.shape, Int32Array.from(x.data as ArrayLike<number>, (q) => table[q]!));

export function qnnpackHardswish(x: IntTensor, attrs: QnnpackHardswishAttrs): IntTensor {
  checkQnnpackHardswish(x, attrs);
  return mapped(x, qnnpackTable(attrs.xScale, attrs.xZeroPoint, attrs.scale, attrs.zeroPoint, (d, r) => f32Div(f32Mul(d, r), 6)));
}

export function qnnpackHardsigmoid(x: IntTensor, attrs: QnnpackHardsigmoidAttrs): IntTensor {
  checkQnnpackHardsigmoid(x, attrs);
  return mapped(x, qnnpackTable(attrs.xScale, attrs.xZeroPoint, QNNPACK_HARDSIGMOID_OUTPUT.scale, QNNPACK_HARDSIGMOID_OUTPUT.zeroPoint, (_d, r) => f32Div(r, 6)));
}
