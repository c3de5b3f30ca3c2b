/**
 * What `--fuzz` (and the decomposed ops' agreement property) draws for PT2E's quantized_decomposed ops beyond their
 * committed vector set (vectors/torch-2.6): torch 2.6 semantics qconform models on live evidence but the set's
 * generators (decomposed_cases.ts, quantize_cases.ts) never draw, and must keep writing byte-identical files:
 *   - a negative axis, -dim to -1 (_permute_to_axis_zero indexes a Python list: contract/decomposed_checks.ts
 *     checkChannelAxis);
 *   - per-channel parameters that broadcast against the input's axis dimension: the axis dimension 1 beside C >= 2
 *     parameters, or one parameter beside an axis dimension >= 2 (contract/decomposed_channel_broadcast.ts);
 *   - quant_min > quant_max within the dtype's bounds (_quant_min_max_bounds_check passes it; torch then clamps every
 *     value to quant_max: contract/decomposed_checks.ts checkDecomposedBounds).
 * Measured on torch 2.6 (and 1.13 where it has the op): tests/backends/torch26_decomposed_layouts.test.ts,
 * tests/backends/torch26_edge_refusals.test.ts. Each wrapper draws the set generator's case first, then its own
 * draws, so a seed's set case is untouched and only then changed.
 */
import { type WireTensor, decodeTensor, encodeTensor } from '../../contract/wire.js';
import { type Tensor, numel } from '../../contract/tensor.js';
import type { CaseFactory } from './builders.js';
import { decomposedDequantizePerChannelCase, decomposedDequantizePerTensorCase, decomposedQuantizePerChannelCase } from './decomposed_cases.js';
import { decomposedQuantizePerTensorCase } from './quantize_cases.js';
import type { CaseRandom } from './random.js';

/** The share of drawn cases given each edge (drawn independently: a case may carry several). */
export const DECOMPOSED_EDGE_RATES = { negativeAxis: 0.3, broadcast: 0.3, invertedRange: 0.15 } as const;

/** The same range with quant_min and quant_max exchanged, when quant_min < quant_max (else unchanged). */
function invertRange(attrs: Record<string, unknown>): void {
  const [lo, hi] = [attrs.quant_min, attrs.quant_max];
  if (typeof lo === 'number' && typeof hi === 'number' && lo < hi) [attrs.quant_min, attrs.quant_max] = [hi, lo];
}

/** The slice at index 0 along `axis` of `t` (its axis dimension becomes 1), as a wire tensor of the same dtype. */
function firstSlice(w: unknown, axis: number): WireTensor {
  const t = decodeTensor(w, 'input');
  const shape = [...t.shape];
  const inner = numel(shape.slice(axis + 1));
  const size = shape[axis]!;
  const outer = numel(shape.slice(0, axis));
  const data = Array.from({ length: outer * inner }, (_, i) => t.data[Math.floor(i / inner) * size * inner + (i % inner)]!);
  shape[axis] = 1;
  // a typed array of the tensor's own kind keeps float32 NaN bits
  const typed = new (t.data.constructor as new (values: ArrayLike<number>) => typeof t.data)(data as never);
  return encodeTensor({ ...t, shape, data: typed } as Tensor);
}

/** The first `k` of a [C] parameter tensor. */
function firstParams(w: unknown, k: number): WireTensor {
  const t = decodeTensor(w, 'parameters');
  return encodeTensor({ ...t, shape: [k], data: t.data.slice(0, k) } as Tensor);
}

/**
 * A per-channel case's edges: a broadcast (the input's axis dimension made 1 when C >= 2, else the C parameters cut
 * to one when the axis dimension is >= 2), a negative axis, an inverted range. Drawn only where the set's case has a
 * valid axis (the rare out-of-range axis stays as drawn).
 */
function perChannelEdges(r: CaseRandom, c: ReturnType<CaseFactory>, input: 'x' | 'q'): ReturnType<CaseFactory> {
  const attrs = c.attrs as Record<string, unknown>;
  const inputs = c.inputs as Record<string, unknown>;
  const ndim = (inputs[input] as { shape: number[] }).shape.length;
  const axis = attrs.axis as number;
  const broadcast = r.bool(DECOMPOSED_EDGE_RATES.broadcast);
  const negative = r.bool(DECOMPOSED_EDGE_RATES.negativeAxis);
  const inverted = r.bool(DECOMPOSED_EDGE_RATES.invertedRange);
  if (axis >= 0 && axis < ndim) {
    if (broadcast) {
      const size = (inputs[input] as { shape: number[] }).shape[axis]!;
      if (size >= 2) {
        // either side made 1: the parameters cut to one, or the input's axis dimension (its first slice)
        if (r.bool(0.5)) for (const name of ['scales', 'zero_points']) inputs[name] &&= firstParams(inputs[name], 1);
        else inputs[input] = firstSlice(inputs[input], axis);
      }
    }
    if (negative) attrs.axis = axis - ndim;
  }
  if (inverted) invertRange(attrs);
  return c;
}

export const decomposedQuantizePerChannelFuzzCase: CaseFactory = (r, index) => perChannelEdges(r, decomposedQuantizePerChannelCase(r, index), 'x');
export const decomposedDequantizePerChannelFuzzCase: CaseFactory = (r, index) => perChannelEdges(r, decomposedDequantizePerChannelCase(r, index), 'q');

/** A per-tensor case with quant_min > quant_max now and then (dequantize_per_tensor does not use them: torch ignores them). */
const withInvertedRange = (factory: CaseFactory): CaseFactory => (r, index) => {
  const c = factory(r, index);
  if (r.bool(DECOMPOSED_EDGE_RATES.invertedRange)) invertRange(c.attrs as Record<string, unknown>);
  return c;
};
export const decomposedQuantizePerTensorFuzzCase = withInvertedRange(decomposedQuantizePerTensorCase);
export const decomposedDequantizePerTensorFuzzCase = withInvertedRange(decomposedDequantizePerTensorCase);
