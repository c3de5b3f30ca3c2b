/**
 * Requests of the quantized_decomposed ops (decomposed_*@1) on what torch 2.6's _decomposed.py computes and qconform
 * used to refuse: a negative axis, per-channel parameters that broadcast against the input's axis dimension (or are
 * viewed from another shape), and quant_min > quant_max, with quant_max below the dtype (the to(dtype) wrap). Fixed
 * requests with the answers real torch 2.6.0 (Debian 13 python3-torch 2.6.0+debian, the chroot of npm run
 * setup:torch26, ATEN_CPU_CAPABILITY=avx2) gave, and a seeded batch for the live test.
 */
import { CaseRandom } from '../../conformance/cases/random.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';
import { f32, ints } from './torch_wire_requests.js';

type Tensor = Record<string, unknown>;

export function quantizePerChannel(id: string, x: Tensor, scales: Tensor, zeroPoints: Tensor, axis: number, quantMin = 0, quantMax = 255, dtype = 'quint8'): WireRequest {
  return { id, op: 'decomposed_quantize_per_channel@1', attrs: { axis, quant_min: quantMin, quant_max: quantMax, dtype }, inputs: { x, scales, zero_points: zeroPoints } };
}

export function dequantizePerChannel(id: string, q: Tensor, scales: Tensor, zeroPoints: Tensor | null, axis: number, quantMin = 0, quantMax = 255, dtype = 'quint8'): WireRequest {
  return { id, op: 'decomposed_dequantize_per_channel@1', attrs: { axis, quant_min: quantMin, quant_max: quantMax, dtype }, inputs: { q, scales, ...(zeroPoints ? { zero_points: zeroPoints } : {}) } };
}

function quantizePerTensor(id: string, x: Tensor, quantMin: number, quantMax: number, dtype: string): WireRequest {
  return { id, op: 'decomposed_quantize_per_tensor@1', attrs: { scale: '3ff0000000000000', zero_point: 3, quant_min: quantMin, quant_max: quantMax, dtype }, inputs: { x } };
}

function dequantizePerTensor(id: string, q: Tensor, quantMin: number, quantMax: number, dtype: string): WireRequest {
  return { id, op: 'decomposed_dequantize_per_tensor@1', attrs: { scale: '3fe0000000000000', zero_point: 3, quant_min: quantMin, quant_max: quantMax, dtype }, inputs: { q } };
}

const S2 = f32([2], [0.5, 1]);
const Z2 = ints('int64', [2], [3, 100]);
const S3 = f32([3], [0.5, 1, 2]);
const Z3 = ints('int32', [3], [1, 2, 3]);
const X4 = f32([4], [1, 10, -10, Number.NaN]);

/** A fixed request and torch 2.6.0's answer to it: outputs (shape, values or float32 bits) or an error code. */
export interface RecordedAnswer {
  readonly request: WireRequest;
  readonly torch: { shape: number[]; values?: number[]; hex?: string[] } | { error: string };
}

const q = (shape: number[], values: number[]) => ({ shape, values });
const x = (shape: number[], hex: string[]) => ({ shape, hex });
const err = (error: string) => ({ error });

/** Recorded from torch 2.6.0+debian (run live by tests/backends/torch26_decomposed_layouts.test.ts, which checks them). */
export const RECORDED: readonly RecordedAnswer[] = [
  // 1. negative axes: Python list indexing in _permute_to_axis_zero; below -dim an IndexError
  { request: quantizePerChannel('neg-axis-1', f32([2, 2], [1, 2, -2, 10]), S2, Z2, -1), torch: q([2, 2], [5, 102, 0, 110]) },
  { request: quantizePerChannel('neg-axis-2', f32([2, 2], [1, 2, -2, 10]), S2, Z2, -2), torch: q([2, 2], [5, 7, 98, 110]) },
  { request: quantizePerChannel('neg-axis-3', f32([2, 2], [1, 2, -2, 10]), S2, Z2, -3), torch: err('axis_out_of_range') },
  { request: quantizePerChannel('axis-2', f32([2, 2], [1, 2, -2, 10]), S2, Z2, 2), torch: err('axis_out_of_range') },
  { request: quantizePerChannel('scalar-neg-axis', f32([], [1]), f32([1], [1]), ints('int64', [1], [0]), -1), torch: err('axis_out_of_range') },
  { request: dequantizePerChannel('dq-neg-axis-1', ints('quint8', [2, 2], [0, 10, 200, 255]), S2, Z2, -1), torch: x([2, 2], ['bfc00000', 'c2b40000', '42c50000', '431b0000']) },
  { request: dequantizePerChannel('dq-neg-axis-3', ints('quint8', [2, 2], [0, 10, 200, 255]), S2, Z2, -3), torch: err('axis_out_of_range') },
  // 2. broadcasting of the axis dimension against C = scales.shape[0]
  { request: quantizePerChannel('x21-c2', f32([2, 1], [1, 2]), S2, Z2, 1), torch: q([2, 2], [5, 101, 7, 102]) },
  { request: quantizePerChannel('x23-c1', f32([2, 3], [1, 2, 3, 4, 5, 6]), f32([1], [0.5]), ints('int64', [1], [3]), 1), torch: q([2, 3], [5, 7, 9, 11, 13, 15]) },
  { request: quantizePerChannel('x23-c2', f32([2, 3], [1, 2, 3, 4, 5, 6]), S2, Z2, 1), torch: err('shape_mismatch') },
  { request: quantizePerChannel('x21-c0', f32([2, 1], [1, 2]), f32([0], []), ints('int64', [0], []), 1), torch: q([2, 0], []) },
  { request: quantizePerChannel('x212-c3-axis-2', f32([2, 1, 2], [1, 2, 3, 4]), S3, Z3, -2), torch: q([2, 3, 2], [3, 5, 3, 4, 3, 4, 7, 9, 5, 6, 5, 5]) },
  { request: quantizePerChannel('scales21', f32([2, 1], [1, 2]), f32([2, 1], [0.5, 1]), Z2, 1), torch: q([2, 2], [5, 101, 7, 102]) },
  { request: quantizePerChannel('scales12', f32([2, 1], [1, 2]), f32([1, 2], [0.5, 1]), Z2, 1), torch: err('shape_mismatch') },
  { request: quantizePerChannel('scales0d', f32([2, 1], [1, 2]), f32([], [0.5]), ints('int64', [], [3]), 1), torch: err('shape_mismatch') },
  { request: quantizePerChannel('zp1-c2', f32([2, 1], [1, 2]), S2, ints('int64', [1], [3]), 1), torch: err('shape_mismatch') },
  { request: dequantizePerChannel('dq-q21-c2', ints('quint8', [2, 1], [1, 2]), S2, Z2, 1), torch: x([2, 2], ['bf800000', 'c2c60000', 'bf000000', 'c2c40000']) },
  { request: dequantizePerChannel('dq-q21-c2-none', ints('quint8', [2, 1], [1, 2]), S2, null, 1), torch: x([2, 2], ['3f000000', '3f800000', '3f800000', '40000000']) },
  // 3. quant_min > quant_max: clamp gives quant_max; one below the dtype wraps in to(dtype); dequantize ignores the range
  { request: quantizePerTensor('qpt-10-5', X4, 10, 5, 'quint8'), torch: q([4], [5, 5, 5, 0]) },
  { request: quantizePerTensor('qpt-300-minus5', X4, 300, -5, 'quint8'), torch: q([4], [251, 251, 251, 0]) },
  { request: quantizePerTensor('qpt-int8-0-minus200', X4, 0, -200, 'qint8'), torch: q([4], [56, 56, 56, 0]) },
  { request: quantizePerTensor('qpt-uint8-0-minus2p31m5', X4, 0, -(2 ** 31) - 5, 'quint8'), torch: q([4], [0, 0, 0, 0]) },
  { request: quantizePerChannel('qpc-127-minus129', f32([2, 2], [1, 10, -10, Number.NaN]), S2, Z2, 0, 127, -129, 'qint8'), torch: q([2, 2], [127, 127, 127, 0]) },
  { request: dequantizePerChannel('dqpc-10-5', ints('quint8', [2, 2], [0, 10, 100, 1]), S2, Z2, 0, 10, 5), torch: x([2, 2], ['bfc00000', '40600000', '00000000', 'c2c60000']) },
  { request: dequantizePerTensor('dqpt-10-5', ints('quint8', [3], [0, 7, 100]), 10, 5, 'quint8'), torch: x([3], ['bfc00000', '40000000', '42420000']) },
  { request: quantizePerTensor('qpt-minus5-5', X4, -5, 5, 'quint8'), torch: err('quant_range_outside_dtype') },
];

export const LAYOUT_SEED = 'decomposed-layouts-1';

/**
 * A seeded batch: per-channel quantize and dequantize with an axis from -rank - 1 to rank, an axis dimension and a
 * parameter count that are equal, 1 against C, X against 1 or unequal, and a quant range now and then inverted (with
 * quant_max down to below the dtype); per-tensor quantize with such ranges on inputs of vector length.
 */
export function layoutRequests(seed = LAYOUT_SEED, count = 160): WireRequest[] {
  const r = new CaseRandom(seed);
  return Array.from({ length: count }, (_, i) => {
    const dtype = r.pick(['quint8', 'qint8']);
    const [lo, hi] = dtype === 'quint8' ? [0, 255] : [-128, 127];
    const [qmin, qmax] = r.bool(0.4) ? [r.int(lo, hi + 60), r.int(lo - 300, lo + 20)] : [lo, hi];
    const rank = r.int(1, 3);
    const shape = Array.from({ length: rank }, () => r.int(1, 3));
    const axis = r.int(-rank - 1, rank);
    const at = axis < 0 ? axis + rank : axis;
    const dim = shape[at] ?? 1;
    const kind = r.pick(['equal', 'x1', 'c1', 'unequal']);
    if (at >= 0 && at < rank && kind === 'x1') shape[at] = 1;
    const channels = kind === 'equal' ? (shape[at] ?? dim) : kind === 'c1' ? 1 : kind === 'x1' ? r.int(2, 4) : (shape[at] ?? dim) + 1;
    const n = shape.reduce((a, b) => a * b, 1);
    const scales = f32([channels], Array.from({ length: channels }, () => Math.fround(2 ** r.int(-4, 2) * (1 + r.next()))));
    const zps = ints(r.pick(['int32', 'int64']), [channels], Array.from({ length: channels }, () => r.int(lo, hi)));
    const id = `layout-${i}`;
    if (r.bool(0.15)) return quantizePerTensor(id, f32([20], Array.from({ length: 20 }, () => (r.next() - 0.5) * 300)), qmin, qmax, dtype);
    if (r.bool(0.5)) return quantizePerChannel(id, f32(shape, Array.from({ length: n }, () => Math.round((r.next() - 0.5) * 4000) / 8)), scales, zps, axis, qmin, qmax, dtype);
    return dequantizePerChannel(id, ints(dtype, shape, Array.from({ length: n }, () => r.int(lo, hi))), scales, r.bool(0.8) ? zps : null, axis, qmin, qmax, dtype);
  });
}
