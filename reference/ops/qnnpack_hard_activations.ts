/**
 * qnnpack_hardswish@1 and qnnpack_hardsigmoid@1, exact reference: QNNPACK's lookup tables as torch 1.13.1's qnnpack
 * engine builds them (qnnpack/src/hardswish.c pytorch_qnnp_create_hardswish_nc_q8, hardsigmoid.c; contract/
 * qnnpack_hard_activations.ts). Every float step is one float32 operation rounded once on rationals (reference/exact);
 * the table is built for all 256 bytes, then each element is its entry.
 */
import { QNNPACK_HARDSIGMOID_OUTPUT, type QnnpackHardsigmoidAttrs, type QnnpackHardswishAttrs } from '../../contract/qnnpack_hard_activations.js';
import { checkQnnpackHardsigmoid, checkQnnpackHardswish } from '../../contract/qnnpack_hard_activations_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { ONE_F32, ZERO_F32 } from '../constants.js';
import { f32Add, f32Div, f32Mul, intToF32, toF32 } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { ieeeLess } from '../exact/ieee_compare.js';
import type { IeeeValue } from '../exact/ieee_value.js';
import { lrintfToInt64 } from '../exact/x86_conversions.js';

const THREE_F32 = intToF32(3n);
const SIX_F32 = intToF32(6n);
const MAX_F32 = intToF32(255n);

/**
 * QNNPACK's table for a function v(d, r) of the dequantized d and its clamped r = min(max(f32(d + 3), 0), 6) (C's
 * `r > 0 ? r : 0`, `r < 6 ? r : 6`): t = f32(f32(f32(1 / s_o) v) + z_o) clamped by `<` and `>` to [0, 255] (a NaN t passes
 * both), then (uint8_t)lrintf(t) (NaN: INT64_MIN's low byte, 0).
 */
function qnnpackTable(xScale: number, xZeroPoint: number, scale: number, zeroPoint: number, v: (d: IeeeValue, r: IeeeValue) => IeeeValue): number[] {
  const s = toF32(fromFloat64(xScale));
  const inverse = f32Div(ONE_F32, toF32(fromFloat64(scale)));
  const zOut = intToF32(BigInt(zeroPoint));
  return Array.from({ length: 256 }, (_, i) => {
    const d = f32Mul(s, intToF32(BigInt(i - xZeroPoint)));
    let r = f32Add(d, THREE_F32);
    r = ieeeLess(ZERO_F32, r) ? r : ZERO_F32;
    r = ieeeLess(r, SIX_F32) ? r : SIX_F32;
    let t = f32Add(f32Mul(inverse, v(d, r)), zOut);
    if (ieeeLess(t, ZERO_F32)) t = ZERO_F32;
    if (ieeeLess(MAX_F32, t)) t = MAX_F32;
    return Number(BigInt.asUintN(8, lrintfToInt64(t)));
  });
}

const mapped = (x: IntTensor, table: readonly number[]): IntTensor => intTensor('quint8', x.shape, Array.from(x.data, (q) => table[q as number]!));

/** quantized::hardswish on the qnnpack engine: v = f32(f32(d r) / 6), the output at (scale, zero_point). */
export function qnnpackHardswish(x: IntTensor, attrs: QnnpackHardswishAttrs): IntTensor {
  checkQnnpackHardswish(x, attrs);
  return mapped(x, qnnpackTable(attrs.xScale, attrs.xZeroPoint, attrs.scale, attrs.zeroPoint, (d, r) => f32Div(f32Mul(d, r), SIX_F32)));
}

/** hardsigmoid on the qnnpack engine: v = f32(r / 6), the output at scale 2^-8, zero point 0. */
export function qnnpackHardsigmoid(x: IntTensor, attrs: QnnpackHardsigmoidAttrs): IntTensor {
  checkQnnpackHardsigmoid(x, attrs);
  return mapped(x, qnnpackTable(attrs.xScale, attrs.xZeroPoint, QNNPACK_HARDSIGMOID_OUTPUT.scale, QNNPACK_HARDSIGMOID_OUTPUT.zeroPoint, (_d, r) => f32Div(r, SIX_F32)));
}
