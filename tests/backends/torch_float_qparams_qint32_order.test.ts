/**
 * quantize_per_channel_float_qparams@1 and dequantize_per_channel_float_qparams@1 with qint32, on real torch 1.13.0
 * (/usr/bin/python3) and torch 2.6.0 (the chroot of npm run setup:torch26), through the torch adapter. torch checks the
 * axis and one scale and zero point per channel (AffineQuantizer.cpp) before its kernel, which dies of SIGILL on qint32
 * (8 / bit_width is 0) only when it stores an element: a bad axis is axis_out_of_range, a bad length shape_mismatch, an
 * empty tensor is computed (x [1, 0] gives q qint32 [1, 0]), as for every other dtype, on both versions. qconform refused
 * qint32 (invalid_dtype) before everything; it now follows torch's order and refuses only a non-empty qint32 tensor
 * (tests/backends/torch_sub_byte_and_qint32_qparams.test.ts shows torch's SIGILL there). quint8, qint8 and quint4x2 rows
 * are the control. A NaN or negative scale on an empty tensor is computed by torch and refused by qconform's contract
 * (scale_not_finite / scale_not_positive, CONTRACT_REJECTIONS), whatever the dtype. Fixed grid, no randomness.
 * Skipped, saying why, without torch 1.13 or the chroot.
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { CONTRACT_REJECTIONS, type ErrorCode } from '../../contract/errors.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { torch13Available, torch13Responses, torch13Skipped, torch26Available, torch26Responses, torch26Skipped } from '../support/live_torch.js';
import { describeAnswer, expectTorchAnswers, f32, ints } from '../support/torch_wire_requests.js';

/** [name, shape, axis, scales, zero points]: empty tensors (valid, bad axis, bad lengths, bad scales), non-empty refusals. */
const ROWS: ReadonlyArray<readonly [string, number[], number, number[], number[]]> = [
  ['empty-1x0', [1, 0], 0, [1], [0]],
  ['empty-0x2-axis1', [0, 2], 1, [1, 0.5], [0, 1]],
  ['empty-0', [0], 0, [], []],
  ['empty-2x0x3-axis2', [2, 0, 3], 2, [1, 1, 1], [0, 0, 0]],
  ['empty-2x0x3-axis0', [2, 0, 3], 0, [1, 1], [0, 0]],
  ['empty-0x3-axis0', [0, 3], 0, [], []],
  ['empty-0x2-axis0', [0, 2], 0, [], []],
  ['empty-scale-zero', [1, 0], 0, [0], [0]],
  ['empty-axis-2', [1, 0], 2, [1], [0]],
  ['empty-axis-negative', [1, 0], -1, [1], [0]],
  ['empty-axis-minus2', [3, 0], -2, [1, 1, 1], [0, 0, 0]],
  ['empty-too-many-scales', [1, 0], 0, [1, 1], [0, 0]],
  ['empty-0x2-three-scales', [0, 2], 1, [1, 1, 1], [0, 0, 0]],
  ['empty-zero-points-longer', [1, 0], 0, [1], [0, 0]],
  ['axis-minus3', [2], -3, [1, 1], [0, 0]],
  ['axis-5', [2], 5, [1, 1], [0, 0]],
  ['three-scales', [2], 0, [1, 1, 1], [0, 0, 0]],
  ['2x3-two-scales-axis1', [2, 3], 1, [1, 1], [0, 0]],
  ['empty-scale-nan', [1, 0], 0, [NaN], [0]],
  ['empty-scale-negative', [1, 0], 0, [-1], [0]],
];
const DTYPES = ['qint32', 'quint8', 'qint8', 'quint4x2'] as const;
const count = (shape: readonly number[]) => shape.reduce((a, b) => a * b, 1);

function requests(): WireRequest[] {
  return DTYPES.flatMap((dtype) =>
    ROWS.flatMap(([name, shape, axis, scales, zps]) => {
      const params = { scales: f32([scales.length], scales), zero_points: f32([zps.length], zps) };
      return [
        { id: `q-${dtype}-${name}`, op: 'quantize_per_channel_float_qparams@1', attrs: { axis, dtype }, inputs: { x: f32(shape, Array(count(shape)).fill(1.5)), ...params } },
        { id: `dq-${dtype}-${name}`, op: 'dequantize_per_channel_float_qparams@1', attrs: { axis }, inputs: { q: ints(dtype, shape, Array(count(shape)).fill(1)), ...params } },
      ] as WireRequest[];
    }),
  );
}

/** Rows torch computes and qconform's contract refuses (a bad scale): every implementation gives the rejection. */
function check(q: readonly WireRequest[], torch: readonly WireResponse[], label: string): void {
  expect(torch.length).toBe(q.length);
  const rejected = (r: WireRequest) => r.id.includes('scale-nan') || r.id.includes('scale-negative');
  for (const [i, r] of q.entries()) {
    if (!rejected(r)) continue;
    expect('outputs' in torch[i]!, `${r.id}: ${label} gave ${describeAnswer(torch[i]!)}`).toBe(true);
    for (const [name, ops] of IMPLEMENTATIONS) {
      const got = evaluateRequest(ops, r);
      const code = 'error' in got ? (got.error.code as ErrorCode) : null;
      expect(code !== null && CONTRACT_REJECTIONS[code] !== undefined, `${r.id} on ${name}: got ${describeAnswer(got)} (replay: echo '${JSON.stringify(r)}' | npx qconform eval --backend reference)`).toBe(true);
    }
  }
  const kept = q.flatMap((r, i) => (rejected(r) ? [] : [[r, torch[i]!] as const]));
  expectTorchAnswers(kept.map(([r]) => r), kept.map(([, a]) => a), IMPLEMENTATIONS, label);
  // not vacuous: qint32 rows computed (empty) and refused by torch's own checks
  const qint32 = kept.filter(([r]) => r.id.includes('-qint32-'));
  expect(qint32.filter(([, a]) => 'outputs' in a).length).toBeGreaterThanOrEqual(16);
  expect(new Set(qint32.flatMap(([, a]) => ('error' in a ? [a.error.code] : [])))).toEqual(new Set(['axis_out_of_range', 'shape_mismatch']));
}

describe('per-channel float qparams with qint32: torch\'s checks first, SIGILL only on a non-empty tensor', () => {
  it.skipIf(!torch13Available())(`torch 1.13${torch13Skipped()}`, { timeout: 300_000 }, async () => {
    const q = requests();
    check(q, await torch13Responses(q), 'torch 1.13');
  });

  it.skipIf(!torch26Available())(`torch 2.6${torch26Skipped()}`, { timeout: 300_000 }, async () => {
    const q = requests();
    check(q, await torch26Responses(q), 'torch 2.6 in its chroot');
  });

  it('a non-empty qint32 tensor with a valid axis and lengths is still refused (torch dies of SIGILL there)', () => {
    const params = { scales: f32([2], [0.1, 0.5]), zero_points: f32([2], [3.3, 7.5]) };
    const rows = [
      { id: 'q', op: 'quantize_per_channel_float_qparams@1', attrs: { axis: 1, dtype: 'qint32' }, inputs: { x: f32([1, 2], [0.1, -0.3]), ...params } },
      { id: 'dq', op: 'dequantize_per_channel_float_qparams@1', attrs: { axis: 0 }, inputs: { q: ints('qint32', [2, 1], [0, 15]), ...params } },
      { id: 'q-bad-scale', op: 'quantize_per_channel_float_qparams@1', attrs: { axis: 0, dtype: 'qint32' }, inputs: { x: f32([2], [1, 2]), scales: f32([2], [NaN, -1]), zero_points: f32([2], [0, 0]) } },
    ] as WireRequest[];
    for (const [name, ops] of IMPLEMENTATIONS) {
      for (const r of rows) expect(describeAnswer(evaluateRequest(ops, r)), `${r.id} on ${name}`).toMatch(/^error invalid_dtype: .*SIGILL/);
    }
  });
});
