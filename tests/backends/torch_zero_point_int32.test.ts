/**
 * Custom quant ranges beyond int32, on real torch 1.13.0 (/usr/bin/python3, the @1 ops) and torch 2.6.0 (Debian 13's
 * python3-torch in the chroot of npm run setup:torch26, the @2 ops and decomposed_choose_qparams@1), through the torch
 * adapter. Measured alike on both (contract/op_checks.ts checkQparamsZeroPoint), once the state is valid (an unobserved
 * state gives the default qparams, a NaN one nan_observed first):
 * - an affine qscheme computes its zero point in int32 with quant_min and quant_max (after reduce_range): one outside
 *   int32 raises "value cannot be converted to type int without overflow", quant_range_beyond_int32 by the adapter's
 *   table. qconform computed a zero point (wrapped, clamped) instead.
 * - per_tensor_symmetric / per_channel_symmetric quint8 with a custom range returns the int64 zero point
 *   (quant_min + quant_max) // 2 exactly, also beyond int32 ([0, 2^32] gives 2^31). qconform wrapped it to 32 bits
 *   (silently wrong); it now refuses it, zero_point_beyond_int32 (a contract rejection) naming torch's value.
 * Every other row must be answered as torch answers it. Fixed grids, no randomness; failures print a replay line.
 * Skipped, saying why, without torch 1.13 or the chroot.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { torch13Available, torch13Responses, torch13Skipped, torch26Available, torch26Responses, torch26Skipped } from '../support/live_torch.js';
import { describeAnswer, expectTorchAnswers, f32 } from '../support/torch_wire_requests.js';
import { BATCH, BATCH_2D, DTYPES, P31, P32, RANGES, type Version, decomposedChooseRequests, observerRequest } from '../support/zero_point_int32_requests.js';

const PER_TENSOR_OPS = ['calculate_qparams', 'min_max_observer', 'moving_average_min_max_observer', 'histogram_observer'] as const;
/** torch's HistogramObserver takes about 0.6 s a request: quint8 on the ranges that tell the rules apart. */
const HISTOGRAM_RANGES = new Set([0, 1, 2, 5, 9, 10]);
const inGrid = (op: string, dtype: string, range: number) => op !== 'histogram_observer' || (dtype === 'quint8' && HISTOGRAM_RANGES.has(range));
const PER_CHANNEL_OPS = ['calculate_qparams', 'per_channel_min_max_observer'] as const;

/** The grid for one version: every op, dtype, qscheme, range and reduce_range; then unobserved and NaN states. */
function requests(v: Version): WireRequest[] {
  const out: WireRequest[] = [];
  for (const dtype of DTYPES) {
    for (const [k, [quant_min, quant_max]] of RANGES.entries()) {
      for (const reduce_range of [false, true]) {
        for (const qscheme of ['per_tensor_affine', 'per_tensor_symmetric']) {
          for (const op of PER_TENSOR_OPS.filter((o) => inGrid(o, dtype, k))) out.push(observerRequest(op, v, { dtype, qscheme, reduce_range, quant_min, quant_max }, op === 'calculate_qparams' ? 'state' : [BATCH]));
        }
        for (const qscheme of ['per_channel_affine', 'per_channel_symmetric', 'per_channel_affine_float_qparams']) {
          for (const op of PER_CHANNEL_OPS) out.push(observerRequest(op, v, { dtype, qscheme, reduce_range, quant_min, quant_max }, op === 'calculate_qparams' ? 'state' : [BATCH_2D]));
        }
      }
    }
  }
  // torch computes the zero point only from a valid state: never observed gives the default qparams, NaN nan_observed
  for (const [quant_min, quant_max] of [[-1, P32 - 2], [0, 2 ** 40]] as const) {
    for (const qscheme of ['per_tensor_affine', 'per_tensor_symmetric']) {
      for (const op of ['min_max_observer', 'histogram_observer']) {
        out.push(observerRequest(op, v, { dtype: 'quint8', qscheme, reduce_range: false, quant_min, quant_max }, []));
        out.push(observerRequest(op, v, { dtype: 'quint8', qscheme, reduce_range: false, quant_min, quant_max }, [f32([2], [NaN, 1])]));
      }
    }
  }
  return out;
}

const zeroPoints = (r: WireResponse): number[] => ('outputs' in r ? ((r.outputs['zero_point'] as { values?: number[] }).values ?? []) : []);
const outsideInt32 = (z: number) => z < -P31 || z >= P31;

/**
 * torch's answers, row by row: where torch returns a zero point outside int32 every implementation must refuse it with
 * zero_point_beyond_int32, naming torch's value; every other row as torch answers it. Returns the tally per answer kind.
 */
function check(requests: readonly WireRequest[], torch: readonly WireResponse[], label: string): Record<string, number> {
  expect(torch.length).toBe(requests.length);
  const tally: Record<string, number> = {};
  const same: [WireRequest, WireResponse][] = [];
  for (const [i, request] of requests.entries()) {
    const want = torch[i]!;
    const beyond = zeroPoints(want).filter(outsideInt32);
    const kind = beyond.length > 0 ? 'zero_point_beyond_int32' : 'error' in want ? want.error.code : 'outputs';
    tally[kind] = (tally[kind] ?? 0) + 1;
    if (beyond.length === 0) {
      same.push([request, want]);
      continue;
    }
    for (const [name, ops] of IMPLEMENTATIONS) {
      const got = evaluateRequest(ops, request);
      const where = `${request.id} on ${name}: ${label} gave ${describeAnswer(want)}; got ${describeAnswer(got)} (replay: echo '${JSON.stringify(request)}' | npx qconform eval --backend reference)`;
      expect('error' in got ? got.error.code : 'outputs', where).toBe('zero_point_beyond_int32');
      expect('error' in got && got.error.message.includes(`= ${beyond[0]} `), where).toBe(true);
    }
  }
  expectTorchAnswers(
    same.map(([r]) => r),
    same.map(([, a]) => a),
    IMPLEMENTATIONS,
    label,
  );
  return tally;
}

describe('quant ranges beyond int32: the zero point torch computes, refuses or returns beyond int32', () => {
  it.skipIf(!torch13Available())(`@1 ops on torch 1.13${torch13Skipped()}`, { timeout: 600_000 }, async () => {
    const q = requests(1);
    const tally = check(q, await torch13Responses(q), 'torch 1.13');
    expect(tally['quant_range_beyond_int32']).toBeGreaterThanOrEqual(50);
    expect(tally['zero_point_beyond_int32']).toBeGreaterThanOrEqual(20);
    expect(tally['outputs']).toBeGreaterThanOrEqual(100);
  });

  it.skipIf(!torch26Available())(`@2 ops and decomposed_choose_qparams@1 on torch 2.6${torch26Skipped()}`, { timeout: 600_000 }, async () => {
    const q = [...requests(2), ...decomposedChooseRequests()];
    const tally = check(q, await torch26Responses(q), 'torch 2.6 in its chroot');
    expect(tally['quant_range_beyond_int32']).toBeGreaterThanOrEqual(60);
    expect(tally['zero_point_beyond_int32']).toBeGreaterThanOrEqual(20);
    expect(tally['outputs']).toBeGreaterThanOrEqual(100);
  });
});
