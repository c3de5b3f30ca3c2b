/**
 * Case generators of PT2E's quantized_decomposed ops beyond quantize_per_tensor (quantize_cases.ts has that one):
 * dequantize_per_tensor, quantize_per_channel, dequantize_per_channel and choose_qparams.tensor, as PT2E's convert
 * calls them (uint8 / int8, float32 per-channel scales, int32 / int64 zero points), with their ties and specials and
 * occasionally an input torch refuses.
 */
import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { type CaseFactory, hex64, wireF32, wireInt } from './builders.js';
import { FLOAT_STYLES, drawF32, drawScale } from './floats.js';
import type { CaseRandom } from './random.js';
import { drawChannelShape, drawDecomposedRange, drawQuantizeInputs, drawQuantized, drawZeroPoint, maybeInvalidScale } from './quantize_cases.js';

const DECOMPOSED_DTYPES: readonly QuantDtype[] = ['quint8', 'qint8'];

/** A zero point of the dtype's range, now and then one whose float32 conversion rounds (2^24 + 1 and beyond). */
function drawDecomposedZeroPoint(r: CaseRandom, dtype: QuantDtype): number {
  return r.bool(0.05) ? r.pick([2 ** 24 + 1, -(2 ** 24) - 3, 2 ** 30 + 7]) : drawZeroPoint(r, dtype);
}

/** The q input's dtype: the dtype argument's, now and then the other one (torch asserts input.dtype == dtype). */
function drawInputDtype(r: CaseRandom, dtype: QuantDtype): QuantDtype {
  return r.bool(0.02) ? (dtype === 'quint8' ? 'qint8' : 'quint8') : dtype;
}

export const decomposedDequantizePerTensorCase: CaseFactory = (r) => {
  const dtype = r.pick(DECOMPOSED_DTYPES);
  const scale = r.bool(0.5) ? Math.fround(drawScale(r)) : drawScale(r);
  const [quantMin, quantMax] = drawDecomposedRange(r, dtype);
  const n = r.int(1, 24);
  const qDtype = drawInputDtype(r, dtype);
  return {
    op: 'decomposed_dequantize_per_tensor@1',
    attrs: { scale: hex64(maybeInvalidScale(r, scale)), zero_point: drawDecomposedZeroPoint(r, dtype), quant_min: quantMin, quant_max: quantMax, dtype },
    inputs: { q: wireInt(qDtype, [n], drawQuantized(r, n, qDtype)) },
  };
};

/** Per-channel parameters: float32 scales, zero points of the dtype in int32 or int64. */
function drawChannelParams(r: CaseRandom, channels: number, dtype: QuantDtype): { scales: number[]; zps: number[]; zpDtype: 'int32' | 'int64' } {
  const scales = Array.from({ length: channels }, () => Math.fround(drawScale(r)));
  const zps = scales.map(() => drawZeroPoint(r, dtype));
  return { scales, zps, zpDtype: r.pick(['int32', 'int64']) };
}

/** The axis: inside the shape, now and then one past it (torch asserts axis < input.dim()). */
function drawAxis(r: CaseRandom, shape: readonly number[], axis: number): number {
  return r.bool(0.02) ? shape.length : axis;
}

export const decomposedQuantizePerChannelCase: CaseFactory = (r) => {
  const dtype = r.pick(DECOMPOSED_DTYPES);
  const { shape, axis } = drawChannelShape(r);
  const channels = shape[axis]!;
  const { scales, zps, zpDtype } = drawChannelParams(r, channels, dtype);
  const [quantMin, quantMax] = drawDecomposedRange(r, dtype);
  const n = shape.reduce((a, b) => a * b, 1);
  const x = drawQuantizeInputs(r, n, scales[0]!, zps[0]!, dtype);
  return {
    op: 'decomposed_quantize_per_channel@1',
    attrs: { axis: drawAxis(r, shape, axis), quant_min: quantMin, quant_max: quantMax, dtype },
    inputs: { x: wireF32(shape, x), scales: wireF32([channels], scales), zero_points: wireInt(zpDtype, [channels], zps) },
  };
};

export const decomposedDequantizePerChannelCase: CaseFactory = (r) => {
  const dtype = r.pick(DECOMPOSED_DTYPES);
  const { shape, axis } = drawChannelShape(r);
  const channels = shape[axis]!;
  const { scales, zps, zpDtype } = drawChannelParams(r, channels, dtype);
  const [quantMin, quantMax] = drawDecomposedRange(r, dtype);
  const n = shape.reduce((a, b) => a * b, 1);
  const qDtype = drawInputDtype(r, dtype);
  const withZeroPoints = r.bool(0.8); // PT2E passes None for symmetric weights
  return {
    op: 'decomposed_dequantize_per_channel@1',
    attrs: { axis: drawAxis(r, shape, axis), quant_min: quantMin, quant_max: quantMax, dtype },
    inputs: { q: wireInt(qDtype, shape, drawQuantized(r, n, qDtype)), scales: wireF32([channels], scales), ...(withZeroPoints ? { zero_points: wireInt(zpDtype, [channels], zps) } : {}) },
  };
};

/** choose_qparams.tensor's eps: XNNPACKQuantizer's 2^-12, float32 machine epsilon, the observers' default, or a large one. */
const EPS_VALUES = [2 ** -12, 2 ** -23, 1.1920928955078125e-7, 1e-5, 0.25];

export const decomposedChooseQparamsCase: CaseFactory = (r) => {
  const dtype = r.pick(DECOMPOSED_DTYPES);
  const { min, max } = DTYPE_RANGE[dtype];
  // PT2E's dynamic activations take the dtype's range; a narrower one, or (rarely) one torch's validate_qmin_qmax refuses
  const [quantMin, quantMax] = r.bool(0.04) ? r.pick<[number, number]>([[1, 255], [-5, -1], [0, 0]]) : r.pick<[number, number]>([[min, max], [min, max], dtype === 'qint8' ? [-127, 127] : [0, 127], [-8, 7]]);
  const n = r.int(1, 40);
  const style = r.pick(FLOAT_STYLES);
  const spread = Math.exp(r.normal() * 3);
  const offset = r.bool(0.2) ? Math.fround(spread * (r.next() * 4 - 2)) : 0; // all positive or all negative inputs too
  const x = Array.from({ length: n }, () => Math.fround(drawF32(r, style, spread) + offset));
  return {
    op: 'decomposed_choose_qparams@1',
    attrs: { quant_min: quantMin, quant_max: quantMax, eps: hex64(r.pick(EPS_VALUES)), dtype },
    inputs: { x: wireF32([n], x) },
  };
};
