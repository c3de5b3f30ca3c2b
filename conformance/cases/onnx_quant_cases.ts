/**
 * Seeded cases for the ONNX quantization ops (contract/onnx_quant.ts), shared by the ORT vector writer and --fuzz:
 * per tensor, per axis and blocked layouts (block sizes that divide the axis and that do not), every ONNX integer
 * type (4-bit included), inputs built so that f32(x / scale) lands on k + 1/2 (ties) or next to it, the saturation
 * edges, +-inf and NaN, and now and then an invalid request (scale <= 0 or not finite, a zero point or stored value
 * outside its type, a parameter shape that does not fit, an unsupported type). The com.microsoft variants
 * (ms_quantize_linear@1, ms_dequantize_linear@1) draw the same way without blocked layouts, without scales ORT would
 * compute with but the contract refuses, with the output type of the zero point (uint8 without one) and now and then
 * an attribute their schema does not declare.
 */
import { ONNX_DTYPE_RANGE, type OnnxIntDtype } from '../../contract/onnx_dtypes.js';
import { DEQUANTIZE_LINEAR_DTYPES, QUANTIZE_LINEAR_DTYPES } from '../../contract/onnx_quant.js';
import { type QdqLayout, qdqParamIndex } from '../../contract/qdq_layout.js';
import { type CaseFactory, wireF32, wireInt } from './builders.js';
import { F32_SPECIALS, FLOAT_STYLES, drawDivisionTieInput, drawF32, drawF32Array, drawScale } from './floats.js';
import type { CaseRandom } from './random.js';

interface DrawnLayout {
  shape: number[];
  axis: number;
  blockSize: number;
  /** the shape of the scale and zero point */
  paramShape: number[];
  /** the parameter index of each element (contract/qdq_layout.ts's rule) */
  paramOf: (i: number) => number;
}

const numel = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

/** Which op a draw is for: the ONNX op, or its com.microsoft variant (no blocked layouts, no block_size / saturate). */
type Variant = 'onnx' | 'ms';

function drawLayout(r: CaseRandom, variant: Variant): DrawnLayout {
  const rank = r.int(1, 4);
  const shape = Array.from({ length: rank }, () => r.int(1, 4));
  const kind = variant === 'ms' ? r.pick(['per_tensor', 'per_tensor', 'per_axis'] as const) : r.pick(['per_tensor', 'per_tensor', 'per_axis', 'per_axis', 'blocked'] as const);
  const axis = r.int(0, rank - 1);
  const signedAxis = r.bool(0.25) ? axis - rank : axis;
  if (kind === 'per_tensor') return { shape, axis: r.bool(0.8) ? 1 : signedAxis, blockSize: 0, paramShape: r.bool(0.7) ? [] : [1], paramOf: () => 0 };
  const layoutOf = (blockSize: number): QdqLayout => ({
    kind: blockSize ? 'blocked' : 'per_axis',
    outer: numel(shape.slice(0, axis)),
    axisSize: shape[axis]!,
    inner: numel(shape.slice(axis + 1)),
    blockSize,
  });
  if (kind === 'per_axis') {
    shape[axis] = r.int(2, 5);
    const layout = layoutOf(0);
    return { shape, axis: signedAxis, blockSize: 0, paramShape: [shape[axis]!], paramOf: (i) => qdqParamIndex(i, layout) };
  }
  shape[axis] = r.int(2, 9);
  const blockSize = r.int(1, 4);
  const layout = layoutOf(blockSize);
  const paramShape = shape.map((d, j) => (j === axis ? Math.ceil(d / blockSize) : d));
  return { shape, axis: signedAxis, blockSize, paramShape, paramOf: (i) => qdqParamIndex(i, layout) };
}

function drawZeroPoint(r: CaseRandom, dtype: OnnxIntDtype): number {
  const { min, max } = ONNX_DTYPE_RANGE[dtype];
  if (dtype === 'int32') return r.bool(0.8) ? 0 : r.pick([1, -1, max, min, r.int(-1000, 1000)]);
  return r.bool(0.3) ? r.pick([min, max, 0, Math.min(max, 128)]) : r.int(min, max);
}

/** A float32 scale (ONNX stores scales as float32); rarely an invalid one. */
function drawF32Scale(r: CaseRandom, allowInvalid: boolean): number {
  const s = Math.fround(drawScale(r));
  return allowInvalid && r.bool(0.02) ? r.pick([0, -s, NaN, Infinity, -0]) : s;
}

/**
 * Whether a zero point outside its type may be drawn: only where the layout is valid, so that the case breaks the
 * zero point's range alone. ORT cannot be handed such a value: the ORT backend does not run the request (it answers
 * the contract's refusal, not_run: conformance/backends/onnxruntime/ort_int_range.ts), and the ORT vector writers leave
 * it out of their sets (conformance/vectors/build_vector_set.ts withoutNotRun); --fuzz counts it not run.
 */
function zeroPointMayBreak(l: DrawnLayout, paramShape: readonly number[]): boolean {
  return paramShape === l.paramShape && (l.blockSize === 0 || numel(paramShape) > 1);
}

/** A parameter shape that does not fit the layout (rarely). */
function maybeWrongParamShape(r: CaseRandom, l: DrawnLayout): number[] {
  if (!r.bool(0.02)) return l.paramShape;
  return r.pick([[2], [...l.paramShape, 1], l.paramShape.map((d) => d + 1)]);
}

/** An attribute the com.microsoft schemas do not declare (ORT refuses the model), now and then. */
function maybeRefusedAttribute(r: CaseRandom, attrs: Record<string, unknown>): void {
  if (r.bool(0.02)) attrs[r.pick(['block_size', 'saturate', 'output_dtype'])] = r.pick([0, 1]);
}

function drawQuantizeLinear(r: CaseRandom, variant: Variant): ReturnType<CaseFactory> {
  const dtype: OnnxIntDtype = r.bool(0.02) ? 'int32' : r.pick(QUANTIZE_LINEAR_DTYPES);
  const { min, max } = ONNX_DTYPE_RANGE[dtype];
  const l = drawLayout(r, variant);
  const paramShape = maybeWrongParamShape(r, l);
  const count = numel(paramShape);
  const validScales = Array.from({ length: count }, () => drawF32Scale(r, false));
  const scales = variant === 'ms' ? validScales : validScales.map((s) => (r.bool(0.01) ? drawF32Scale(r, true) : s));
  const zps = Array.from({ length: count }, () => drawZeroPoint(r, dtype));
  // com.microsoft: no zero point means a uint8 output, so only uint8 goes without one (half the time)
  const withZp = variant === 'onnx' ? r.bool(0.85) : dtype !== 'uint8' || r.bool(0.5);
  if (withZp && r.bool(0.02) && zeroPointMayBreak(l, paramShape)) zps[0] = max + r.int(1, 5);
  const style = r.pick(FLOAT_STYLES);
  const x = Array.from({ length: numel(l.shape) }, (_, i) => {
    const k = Math.min(l.paramOf(i), count - 1);
    const s = validScales[k]!;
    const zp = withZp ? zps[k]! : 0;
    const u = r.next();
    if (u < 0.4) return drawDivisionTieInput(r, s, r.int(min - zp - 2, max - zp + 1));
    if (u < 0.45) return r.pick(F32_SPECIALS);
    return drawF32(r, style, s * Math.min(max - min, 600) * 0.6);
  });
  const inputs: Record<string, unknown> = { x: wireF32(l.shape, x), y_scale: wireF32(paramShape, scales) };
  if (variant === 'ms') {
    const attrs: Record<string, unknown> = {};
    if (l.axis !== 1 || r.bool(0.5)) attrs.axis = l.axis;
    maybeRefusedAttribute(r, attrs);
    if (withZp) inputs.y_zero_point = wireInt(dtype, paramShape, zps);
    return { op: 'ms_quantize_linear@1', attrs, inputs };
  }
  const attrs: Record<string, unknown> = { dtype };
  if (l.axis !== 1 || r.bool(0.5)) attrs.axis = l.axis;
  if (l.blockSize !== 0 || r.bool(0.2)) attrs.block_size = l.blockSize;
  if (r.bool(0.15)) attrs.saturate = r.pick([0, 1]);
  if (withZp) inputs.y_zero_point = wireInt(dtype, paramShape, zps);
  return { op: 'quantize_linear@1', attrs, inputs };
}

export const quantizeLinearCase: CaseFactory = (r) => drawQuantizeLinear(r, 'onnx');
export const msQuantizeLinearCase: CaseFactory = (r) => drawQuantizeLinear(r, 'ms');

function drawDequantizeLinear(r: CaseRandom, variant: Variant): ReturnType<CaseFactory> {
  const dtype = r.pick(DEQUANTIZE_LINEAR_DTYPES);
  const { min, max } = ONNX_DTYPE_RANGE[dtype];
  const l = drawLayout(r, variant);
  const paramShape = maybeWrongParamShape(r, l);
  const count = numel(paramShape);
  const scales = Array.from({ length: count }, () => drawF32Scale(r, variant === 'onnx'));
  const zps = Array.from({ length: count }, () => drawZeroPoint(r, dtype));
  const withZp = r.bool(0.85);
  if (withZp && dtype !== 'int32' && r.bool(0.02) && zeroPointMayBreak(l, paramShape)) zps[0] = min - r.int(1, 5);
  const x = Array.from({ length: numel(l.shape) }, () => {
    if (r.bool(0.25)) return r.pick([min, max, 0, min + 1, max - 1]);
    return dtype === 'int32' && r.bool(0.7) ? r.int(-(2 ** 25), 2 ** 25) : r.int(min, max);
  });
  const attrs: Record<string, unknown> = {};
  if (l.axis !== 1 || r.bool(0.5)) attrs.axis = l.axis;
  if (variant === 'ms') maybeRefusedAttribute(r, attrs);
  else if (l.blockSize !== 0 || r.bool(0.2)) attrs.block_size = l.blockSize;
  const inputs: Record<string, unknown> = { x: wireInt(dtype, l.shape, x), x_scale: wireF32(paramShape, scales) };
  if (withZp) inputs.x_zero_point = wireInt(dtype, paramShape, zps);
  return { op: variant === 'ms' ? 'ms_dequantize_linear@1' : 'dequantize_linear@1', attrs, inputs };
}

export const dequantizeLinearCase: CaseFactory = (r) => drawDequantizeLinear(r, 'onnx');
export const msDequantizeLinearCase: CaseFactory = (r) => drawDequantizeLinear(r, 'ms');

/** DynamicQuantizeLinear inputs: ordinary ranges, one-signed data, all zeros, empty, ranges whose float32 width overflows or whose scale underflows to 0, +-inf, rarely NaN. */
export const dynamicQuantizeLinearCase: CaseFactory = (r) => {
  const rank = r.int(0, 3);
  const shape = Array.from({ length: rank }, () => r.int(r.bool(0.03) ? 0 : 1, 6));
  const n = numel(shape);
  const kind = r.int(0, 19);
  let x: number[];
  if (kind === 0) x = Array.from({ length: n }, () => r.pick([0, -0]));
  else if (kind === 1) x = Array.from({ length: n }, () => Math.fround(r.pick([1e-45, -1e-45, 3e-43, 0])));
  else if (kind === 2) x = Array.from({ length: n }, () => Math.fround(r.pick([3e38, -3e38, 1e38, -2e38])));
  else if (kind === 3) x = Array.from({ length: n }, () => (r.bool(0.3) ? r.pick([Infinity, -Infinity]) : Math.fround(r.normal())));
  else if (kind === 4) x = Array.from({ length: n }, () => (r.bool(0.2) ? NaN : Math.fround(r.normal())));
  else if (kind <= 7) x = drawF32Array(r, n, r.pick(FLOAT_STYLES), Math.exp(r.normal() * 3)).map((v) => (Number.isNaN(v) ? 0 : v));
  else {
    const spread = Math.exp(r.normal() * 3);
    const sign = r.pick([1, -1, 0]);
    x = Array.from({ length: n }, () => Math.fround(sign === 0 ? r.normal() * spread : sign * Math.abs(r.normal()) * spread));
  }
  return { op: 'dynamic_quantize_linear@1', attrs: {}, inputs: { x: wireF32(shape, x) } };
};
