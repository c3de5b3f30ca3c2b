/**
 * torch's qnnpack dynamic linear (quantized::linear_dynamic through the adapter: linear_prepack, then the call) on
 * inputs wrong in two ways, live: torch 1.13.0 (/usr/bin/python3) and torch 2.6 (its chroot, when set up) refuse them
 * in the same order: the bias's shape (prepack), x's rank, x's NaN / infinity, the weight scales' requantization
 * scales; x's K is never compared with the weight's. qconform's torch-qnnpack@1 (the scheme both answer) checked x's
 * rank and K first and the bias last, so it named another error than torch on a bad bias beside a bad scale, rank, K or
 * NaN, and on a bad weight scale or a NaN beside a mismatched K. With N = 0 torch checks no weight scale (no output
 * channel) and returns the empty output, where qconform refused a weight scale of 0, -1 or inf (contract/linear_checks.ts
 * qnnpackDynamicOrder).
 */
import { describe, expect, it } from 'vitest';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { IMPLEMENTATIONS, IMPL_ON_BYTES } from '../support/implementations.js';
import { torch13Responses, torch26Available, torch26Responses } from '../support/live_torch.js';
import { expectTorchAnswers, f32, f64, ints } from '../support/torch_wire_requests.js';

const ALL = [...IMPLEMENTATIONS, IMPL_ON_BYTES];
const numel = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);

interface Spec {
  readonly x: readonly number[];
  readonly w: readonly [number, number];
  readonly scale?: number;
  readonly perChannel?: boolean;
  readonly bias?: readonly number[];
  /** x's second value */
  readonly special?: number;
}

/** torch's first refusal (the adapter's code for it), or 'outputs'. */
const CASES: ReadonlyArray<[string, Spec, string]> = [
  ['scale0+K', { x: [2, 5], w: [4, 3], scale: 0 }, 'scale_not_positive'],
  ['scaleneg+K', { x: [2, 5], w: [4, 3], scale: -0.05 }, 'scale_not_positive'],
  ['scale0+bias', { x: [2, 3], w: [4, 3], scale: 0, bias: [5] }, 'shape_mismatch'],
  ['scale0-per-channel+bias', { x: [2, 3], w: [4, 3], scale: 0, perChannel: true, bias: [1, 4] }, 'shape_mismatch'],
  ['K+bias', { x: [2, 5], w: [4, 3], bias: [5] }, 'shape_mismatch'],
  ['rank1+bias', { x: [3], w: [4, 3], bias: [5] }, 'shape_mismatch'],
  ['nan+bias', { x: [1, 3], w: [4, 3], bias: [5], special: Number.NaN }, 'shape_mismatch'],
  ['nan+K', { x: [1, 3], w: [4, 5], special: Number.NaN }, 'nan_observed'],
  ['inf+K', { x: [1, 3], w: [4, 5], special: Number.POSITIVE_INFINITY }, 'non_finite_observed'],
  ['M0+scale0+K', { x: [0, 5], w: [4, 3], scale: 0 }, 'scale_not_positive'],
  ['scale0+rank1', { x: [3], w: [4, 3], scale: 0 }, 'shape_mismatch'],
  ['nan+scale0', { x: [1, 3], w: [4, 3], scale: 0, special: Number.NaN }, 'nan_observed'],
  ['N0+scale0', { x: [2, 3], w: [0, 3], scale: 0 }, 'outputs'],
  ['N0+scaleneg', { x: [2, 3], w: [0, 3], scale: -1 }, 'outputs'],
  ['N0+scaleinf', { x: [2, 3], w: [0, 3], scale: Number.POSITIVE_INFINITY }, 'outputs'],
  ['N0+scale0-3d', { x: [2, 2, 3], w: [0, 3], scale: 0 }, 'outputs'],
  ['N0+M0+scale0', { x: [0, 3], w: [0, 3], scale: 0 }, 'outputs'],
  ['N0+scale0+rank1', { x: [3], w: [0, 3], scale: 0 }, 'shape_mismatch'],
];

function request(id: string, s: Spec): WireRequest {
  const [n, k] = s.w;
  const scales = s.perChannel ? Array(n).fill(s.scale ?? 0.05) : [s.scale ?? 0.05];
  const xs = Array.from({ length: numel(s.x) }, (_, i) => (i === 1 && s.special !== undefined ? s.special : ((i * 7) % 11) / 4 - 1.2));
  return {
    id,
    op: 'quantized_linear_dynamic@1',
    attrs: { scheme: 'torch-qnnpack@1', accumulator: 'int32_wrap', relu: false, reduce_range: false, weight_quantization: s.perChannel ? 'per_channel' : 'per_tensor' },
    inputs: {
      x: f32(s.x, xs),
      weight: ints('qint8', [n, k], Array.from({ length: n * k }, (_, i) => ((i * 13) % 50) - 25)),
      weight_scales: f64([scales.length], scales),
      weight_zero_points: ints('int64', [scales.length], scales.map(() => 0)),
      ...(s.bias ? { bias: f32(s.bias, Array(numel(s.bias)).fill(0.5)) } : {}),
    },
  } as WireRequest;
}

const requests = CASES.map(([tag, s]) => request(`quantized_linear_dynamic-qnnpack-order-${tag}`, s));

function check(torch: readonly WireResponse[], who: string): void {
  // torch's own answers are the measured ones above
  torch.forEach((t, i) => expect('error' in t ? t.error.code : 'outputs', `${who}: ${requests[i]!.id} (${'error' in t ? t.error.message : ''})`).toBe(CASES[i]![2]));
  expectTorchAnswers(requests, torch, ALL, `${who}; replay: npx vitest run tests/backends/torch_qnnpack_dynamic_order.test.ts`);
}

describe('torch-qnnpack@1 dynamic linear: inputs wrong in two ways are refused with the error torch gives first', () => {
  it('torch 1.13.0', { timeout: 300_000 }, async () => {
    check(await torch13Responses(requests), 'torch 1.13 via runThroughTorch');
  });

  it('torch 2.6 (chroot)', { timeout: 600_000, skip: !torch26Available() }, async () => {
    check(await torch26Responses(requests), 'torch 2.6 in its chroot');
  });
});
