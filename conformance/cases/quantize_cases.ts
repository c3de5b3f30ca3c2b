import { DTYPE_RANGE, type QuantDtype } from '../../contract/dtypes.js';
import { FLOAT_STYLES, drawF32, drawScale, drawTieInput } from './floats.js';
import type { CaseRandom } from './random.js';
import { type CaseFactory, hex64, wireF32, wireF64, wireInt } from './builders.js';

const DTYPES: readonly QuantDtype[] = ['quint8', 'qint8', 'qint8', 'quint8', 'qint32'];

function drawZeroPoint(r: CaseRandom, dtype: QuantDtype): number {
  const { min, max } = DTYPE_RANGE[dtype];
  if (dtype === 'qint32') return r.pick([0, 1, 3, -5, 1000, -(2 ** 31), 2 ** 31 - 1, r.int(-1e6, 1e6)]);
  return r.bool(0.3) ? r.pick([min, max, 0, 128 <= max ? 128 : 0]) : r.int(min, max);
}

/** Elements for a quantize input: a distribution around the scale's natural range, plus ties and specials. */
function drawQuantizeInputs(r: CaseRandom, n: number, scale: number, zeroPoint: number, dtype: QuantDtype): number[] {
  const style = r.pick(FLOAT_STYLES);
  const { min, max } = DTYPE_RANGE[dtype];
  const span = dtype === 'qint32' ? 2 ** 26 : max - min;
  return Array.from({ length: n }, () => {
    if (r.bool(0.35)) return drawTieInput(r, scale, r.int(-Math.min(span, 300), Math.min(span, 300)) - (dtype === 'qint32' ? 0 : zeroPoint));
    return drawF32(r, style, scale * span * 0.6);
  });
}

/** Occasionally an invalid parameter, so every vector file also holds negative tests. */
export function maybeInvalidScale(r: CaseRandom, scale: number): number {
  return r.bool(0.03) ? r.pick([0, -scale, NaN, Infinity, -0]) : scale;
}

function maybeInvalidZeroPoint(r: CaseRandom, zp: number, dtype: QuantDtype): number {
  return r.bool(0.03) ? DTYPE_RANGE[dtype].max + r.int(1, 10) : zp;
}

export const quantizePerTensorCase: CaseFactory = (r) => {
  const dtype = r.pick(DTYPES);
  const scale = drawScale(r);
  const zp = drawZeroPoint(r, dtype);
  const n = r.int(1, 24);
  return {
    op: 'quantize_per_tensor@1',
    attrs: { scale: hex64(maybeInvalidScale(r, scale)), zero_point: maybeInvalidZeroPoint(r, zp, dtype), dtype },
    inputs: { x: wireF32([n], drawQuantizeInputs(r, n, scale, zp, dtype)) },
  };
};

/** A small N-d shape and a channel axis inside it. */
function drawChannelShape(r: CaseRandom): { shape: number[]; axis: number } {
  const rank = r.int(1, 4);
  const shape = Array.from({ length: rank }, () => r.int(1, 4));
  return { shape, axis: r.int(0, rank - 1) };
}

export const quantizePerChannelCase: CaseFactory = (r) => {
  const dtype = r.pick(DTYPES);
  const { shape, axis } = drawChannelShape(r);
  const channels = shape[axis]!;
  const scales = Array.from({ length: channels }, () => drawScale(r));
  const zps = scales.map(() => drawZeroPoint(r, dtype));
  const n = shape.reduce((a, b) => a * b, 1);
  const x = drawQuantizeInputs(r, n, scales[0]!, zps[0]!, dtype);
  return {
    op: 'quantize_per_channel@1',
    attrs: { axis: r.bool(0.02) ? shape.length : axis, dtype },
    inputs: { x: wireF32(shape, x), scales: wireF64([channels], scales.map((s) => maybeInvalidScale(r, s))), zero_points: wireInt('int64', [channels], zps) },
  };
};

export function drawQuantized(r: CaseRandom, n: number, dtype: QuantDtype): number[] {
  const { min, max } = DTYPE_RANGE[dtype];
  return Array.from({ length: n }, () => (r.bool(0.2) ? r.pick([min, max, 0]) : dtype === 'qint32' ? r.int(-(2 ** 31), 2 ** 31 - 1) : r.int(min, max)));
}

export const dequantizePerTensorCase: CaseFactory = (r) => {
  const dtype = r.pick(DTYPES);
  const n = r.int(1, 24);
  return {
    op: 'dequantize_per_tensor@1',
    attrs: { scale: hex64(maybeInvalidScale(r, drawScale(r))), zero_point: maybeInvalidZeroPoint(r, drawZeroPoint(r, dtype), dtype) },
    inputs: { q: wireInt(dtype, [n], drawQuantized(r, n, dtype)) },
  };
};

export const dequantizePerChannelCase: CaseFactory = (r) => {
  const dtype = r.pick(DTYPES);
  const { shape, axis } = drawChannelShape(r);
  const channels = shape[axis]!;
  const n = shape.reduce((a, b) => a * b, 1);
  return {
    op: 'dequantize_per_channel@1',
    attrs: { axis },
    inputs: {
      q: wireInt(dtype, shape, drawQuantized(r, n, dtype)),
      scales: wireF64([channels], Array.from({ length: channels }, () => drawScale(r))),
      zero_points: wireInt('int64', [channels], Array.from({ length: channels }, () => drawZeroPoint(r, dtype))),
    },
  };
};

/** Float qparams as PerChannelMinMaxObserver(per_channel_affine_float_qparams) makes them: scale = range/255, zp = -min/scale. */
function drawFloatQparams(r: CaseRandom, channels: number): { scales: number[]; zps: number[] } {
  const scales = Array.from({ length: channels }, () => (r.bool(0.05) ? 0 : Math.fround(drawScale(r))));
  const zps = scales.map((s) => (r.bool(0.5) ? Math.fround(r.next() * 255) : Math.fround(-drawF32(r, 'normal', 2) / (s || 1))));
  return { scales, zps };
}

export const quantizePerChannelFloatQparamsCase: CaseFactory = (r) => {
  const dtype: QuantDtype = r.pick(['quint8', 'quint8', 'qint8']);
  const { shape, axis } = drawChannelShape(r);
  const channels = shape[axis]!;
  const { scales, zps } = drawFloatQparams(r, channels);
  const n = shape.reduce((a, b) => a * b, 1);
  const style = r.pick(FLOAT_STYLES);
  return {
    op: 'quantize_per_channel_float_qparams@1',
    attrs: { axis, dtype },
    inputs: {
      x: wireF32(shape, Array.from({ length: n }, () => drawF32(r, style, (scales[0] || 1) * 128))),
      scales: wireF32([channels], scales),
      zero_points: wireF32([channels], zps),
    },
  };
};

export const dequantizePerChannelFloatQparamsCase: CaseFactory = (r) => {
  const dtype: QuantDtype = r.pick(['quint8', 'qint8']);
  const { shape, axis } = drawChannelShape(r);
  const channels = shape[axis]!;
  const { scales, zps } = drawFloatQparams(r, channels);
  const n = shape.reduce((a, b) => a * b, 1);
  return {
    op: 'dequantize_per_channel_float_qparams@1',
    attrs: { axis },
    inputs: { q: wireInt(dtype, shape, drawQuantized(r, n, dtype)), scales: wireF32([channels], scales), zero_points: wireF32([channels], zps) },
  };
};

export { drawChannelShape, drawQuantizeInputs, drawZeroPoint };

/**
 * A quant range of the quantized_decomposed ops: the dtype's, PT2E's symmetric weights' [-127, 127], a reduced or
 * 4-bit range, or one outside the dtype (torch's _quant_min_max_bounds_check refuses it).
 */
export function drawDecomposedRange(r: CaseRandom, dtype: QuantDtype): [number, number] {
  const { min, max } = DTYPE_RANGE[dtype];
  return r.pick<[number, number]>(dtype === 'qint8' ? [[min, max], [min, max], [-127, 127], [-64, 63], [-8, 7], [-128, 200]] : [[min, max], [min, max], [0, 127], [0, 15], [-1, 255]]);
}

/**
 * decomposed_quantize_per_tensor@1 (PT2E's quantized_decomposed.quantize_per_tensor): uint8 / int8 with the dtype's
 * range or a narrower quant range ([-127, 127] of the PT2E symmetric weights, a reduced or a 4-bit range), scales
 * that are float32 values or not (the reciprocal is taken in float64), the quantize inputs' ties and specials, and
 * occasionally a range outside the dtype (refused by torch) or an invalid scale.
 */
export const decomposedQuantizePerTensorCase: CaseFactory = (r) => {
  const dtype = r.pick<QuantDtype>(['quint8', 'qint8']);
  const scale = r.bool(0.5) ? Math.fround(drawScale(r)) : drawScale(r);
  const zp = drawZeroPoint(r, dtype);
  const [quantMin, quantMax] = drawDecomposedRange(r, dtype);
  const n = r.int(1, 24);
  return {
    op: 'decomposed_quantize_per_tensor@1',
    attrs: { scale: hex64(maybeInvalidScale(r, scale)), zero_point: zp, quant_min: quantMin, quant_max: quantMax, dtype },
    inputs: { x: wireF32([n], drawQuantizeInputs(r, n, scale, zp, dtype)) },
  };
};
