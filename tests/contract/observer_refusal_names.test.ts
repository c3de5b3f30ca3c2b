/**
 * reference and impl refuse a quant range whose zero point leaves int32 (contract/op_checks.ts checkQparamsZeroPoint:
 * quant_range_beyond_int32, zero_point_beyond_int32) with the same code and the same message, naming the op that
 * computed the zero point: each observer (@1 and @2, per tensor and per channel, the histogram's too), calculate_qparams
 * and decomposed_choose_qparams@1. impl named calculate_qparams for every one of them (its qparamsFromMinMax passed
 * that name whatever op called it), and 'calculate_qparams: check_min_max_valid' for a NaN or inverted state, which
 * reference names by its op too; the histogram's NaN batches (and, on @1, its infinite ones) were refused with the
 * same code but a different message (contract/histogram_batch_errors.ts is now the one builder). The ranges and requests are the live torch test's
 * (tests/backends/torch_zero_point_int32.test.ts, which measures the codes against torch 1.13 and 2.6); every dtype,
 * qscheme and reduce_range here. Fixed grid, no randomness; failures print a replay line.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { f32 } from '../support/torch_wire_requests.js';
import { BATCH, BATCH_2D, DTYPES, EPS, PER_CHANNEL_QSCHEMES, PER_TENSOR_QSCHEMES, RANGES, type Version, decomposedChooseRequests, observerRequest } from '../support/zero_point_int32_requests.js';

const PER_TENSOR_OPS = ['calculate_qparams', 'min_max_observer', 'moving_average_min_max_observer', 'histogram_observer'] as const;
const PER_CHANNEL_OPS = ['calculate_qparams', 'per_channel_min_max_observer', 'moving_average_per_channel_min_max_observer'] as const;

/** Every observer op and calculate_qparams, on every dtype, qscheme, range and reduce_range. */
function rangeRequests(v: Version): WireRequest[] {
  const out: WireRequest[] = [];
  for (const dtype of DTYPES) {
    for (const [quant_min, quant_max] of RANGES) {
      for (const reduce_range of [false, true]) {
        const attrs = (qscheme: string) => ({ dtype, qscheme, reduce_range, quant_min, quant_max });
        for (const qscheme of PER_TENSOR_QSCHEMES) for (const op of PER_TENSOR_OPS) out.push(observerRequest(op, v, attrs(qscheme), op === 'calculate_qparams' ? 'state' : [BATCH]));
        for (const qscheme of PER_CHANNEL_QSCHEMES) for (const op of PER_CHANNEL_OPS) out.push(observerRequest(op, v, attrs(qscheme), op === 'calculate_qparams' ? 'state' : [BATCH_2D]));
      }
    }
  }
  return out;
}

/**
 * The histogram's batches it refuses in its forward (contract/histogram_batch_errors.ts): a NaN one, first or after a
 * finite one (nan_observed, @1 and @2), and on @1 one with an infinite end, -inf, +inf or both ends +inf
 * (non_finite_observed; @2 takes them).
 */
function histogramBatchRequests(v: Version): WireRequest[] {
  const batches: [string, unknown[]][] = [
    ['nan-first', [f32([2], [NaN, 1])]],
    ['nan-second', [f32([2], [0.5, 1]), f32([3], [2, NaN, -1])]],
    ['nan-only', [f32([1], [NaN])]],
    ...(v === 1
      ? ([
          ['neg-inf', [f32([2], [-Infinity, 1])]],
          ['pos-inf', [f32([2], [0.5, Infinity])]],
          ['all-pos-inf', [f32([2], [Infinity, Infinity])]],
        ] as [string, unknown[]][])
      : []),
  ];
  return batches.map(([name, b]) => ({ ...observerRequest('histogram_observer', v, { qscheme: 'per_tensor_affine' }, b), id: `histogram_observer@${v}-${name}` }));
}

/** A NaN state (every observer but the histogram, whose NaN batch fails in its forward: histogramBatchRequests) and an inverted one (calculate_qparams). */
function stateRequests(v: Version): WireRequest[] {
  const nan = (op: string, perChannel: boolean) => ({ ...observerRequest(op, v, { qscheme: perChannel ? 'per_channel_affine' : 'per_tensor_affine' }, [perChannel ? f32([2, 2], [NaN, 2, 0.5, 3]) : f32([2], [NaN, 1])]), id: `${op}@${v}-nan` });
  return [
    ...['min_max_observer', 'moving_average_min_max_observer'].map((op) => nan(op, false)),
    ...['per_channel_min_max_observer', 'moving_average_per_channel_min_max_observer'].map((op) => nan(op, true)),
    ...histogramBatchRequests(v),
    { id: `calculate_qparams@${v}-nan`, op: `calculate_qparams@${v}`, attrs: {}, inputs: { min_val: f32([], [NaN]), max_val: f32([], [2]) } },
    { id: `calculate_qparams@${v}-inverted`, op: `calculate_qparams@${v}`, attrs: { qscheme: 'per_channel_affine' }, inputs: { min_val: f32([2], [0, 3]), max_val: f32([2], [1, 2]) } },
    { id: `decomposed_choose_qparams-nan`, op: 'decomposed_choose_qparams@1', attrs: { quant_min: 0, quant_max: 255, eps: EPS, dtype: 'quint8' }, inputs: { x: f32([2], [NaN, 1]) } },
  ];
}

/** The refusals of the zero point and of the state, raised where the op computes its qparams (others, such as calculate_qmin_qmax's, name the torch function they mirror). */
const NAMED_BY_OP = new Set(['quant_range_beyond_int32', 'zero_point_beyond_int32', 'nan_observed', 'non_finite_observed', 'min_greater_than_max']);

const replay = (r: WireRequest) => `${r.id} (replay: echo '${JSON.stringify(r)}' | npx qconform eval --backend impl)`;
const codeOf = (a: WireResponse) => ('error' in a ? a.error.code : 'outputs');

describe('observers: reference and impl refuse alike, naming the op', () => {
  it('a zero point beyond int32, a NaN or an inverted state: the same answer (code and message) from both, the message starting with the op', () => {
    const tally: Record<string, number> = {};
    const requests = [...rangeRequests(1), ...rangeRequests(2), ...stateRequests(1), ...stateRequests(2), ...decomposedChooseRequests()];
    for (const r of requests) {
      const want = evaluateRequest(reference, r);
      const got = evaluateRequest(impl, r);
      expect(got, `${replay(r)}: reference answers ${JSON.stringify(want).slice(0, 400)}`).toEqual(want);
      const code = codeOf(want);
      tally[code] = (tally[code] ?? 0) + 1;
      if ('error' in got && NAMED_BY_OP.has(got.error.code)) {
        // the op's own name (histogram_observer@2 carries its version, as reference names it), never another op's
        const op = r.op.split('@')[0]!;
        expect(got.error.message.startsWith(`${op}: `) || got.error.message.startsWith(`${r.op}: `), replay(r)).toBe(true);
      }
    }
    // non-vacuity: both refusals and the state checks occur, and most rows compute
    expect(tally['quant_range_beyond_int32']).toBeGreaterThanOrEqual(600);
    expect(tally['zero_point_beyond_int32']).toBeGreaterThanOrEqual(100);
    expect(tally['nan_observed']).toBeGreaterThanOrEqual(16);
    expect(tally['non_finite_observed']).toBe(3);
    for (const r of [...histogramBatchRequests(1), ...histogramBatchRequests(2)]) expect(codeOf(evaluateRequest(reference, r)), replay(r)).toBe(r.id.includes('nan') ? 'nan_observed' : 'non_finite_observed');
    expect(tally['min_greater_than_max']).toBeGreaterThanOrEqual(2);
    expect(tally['outputs']).toBeGreaterThanOrEqual(1000);
  });
});
