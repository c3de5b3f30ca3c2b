/**
 * torch's onednn dynamic linear (quantized::linear_dynamic through the adapter: the weight's construction,
 * linear_prepack, then the call) on inputs wrong in two ways, live: torch 1.13.0 (/usr/bin/python3, torch-onednn@1)
 * and torch 2.6 (its chroot, torch-onednn@2) refuse them in the same order: the per-channel weight's scales against its
 * zero points, the weight's rank, its zero points (up to N; fewer than N is an IndexError), the bias's shape (prepack),
 * x's rank, a NaN in x, then K; a weight scale and an infinite x are never checked (qconform's refusals of them come
 * after K). qconform checked x's rank and K first, the NaN before the zero points and the bias last, so it named
 * another error than torch on a nonzero weight zero point beside a rank-1 x (replay
 * /tmp/p4/scripts/p4_min/torch_onednn_dlinear_zp_then_rank.json), a K, a NaN, and on a bad bias beside a NaN
 * (contract/linear_checks.ts onednnDynamicOrder). Every refusal of the reference on these onednn calls names onednn's
 * rule, never qnnpack's; so does the static onednn linear's rank refusal (rank 0: torch's "qlinear (ONEDNN): input dim
 * should be at least 1").
 */
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { f64ToHex } from '../../contract/wire.js';
import { IMPLEMENTATIONS, IMPL_ON_BYTES } from '../support/implementations.js';
import { torch13Responses, torch26Available, torch26Responses } from '../support/live_torch.js';
import { expectTorchAnswers, f32, f64, ints } from '../support/torch_wire_requests.js';

const ALL = [...IMPLEMENTATIONS, IMPL_ON_BYTES];
const numel = (s: readonly number[]) => s.reduce((a, b) => a * b, 1);
const NAN = Number.NaN;
const INF = Number.POSITIVE_INFINITY;

interface Spec {
  readonly x: readonly number[];
  readonly w: readonly number[];
  readonly scale?: number;
  readonly zp?: number;
  readonly perChannel?: boolean;
  /** per-channel scales / zero points, when not N of `scale` / `zp` */
  readonly scales?: readonly number[];
  readonly zps?: readonly number[];
  readonly bias?: readonly number[];
  /** x's second value */
  readonly special?: number;
}

/** torch's first refusal (the adapter's code for it), or 'outputs'; measured on torch 1.13.0 and 2.6 alike. */
const CASES: ReadonlyArray<[string, Spec, string]> = [
  ['zp+rank1', { x: [2], w: [1, 2], zp: 5 }, 'unsupported_by_scheme'],
  ['zp+bias', { x: [2, 3], w: [4, 3], zp: 5, bias: [5] }, 'unsupported_by_scheme'],
  ['zp+nan', { x: [1, 3], w: [4, 3], zp: 5, special: NAN }, 'unsupported_by_scheme'],
  ['zp+inf', { x: [1, 3], w: [4, 3], zp: 5, special: INF }, 'unsupported_by_scheme'],
  ['zp+scaleinf', { x: [2, 3], w: [4, 3], zp: 5, scale: INF }, 'unsupported_by_scheme'],
  ['zp+K', { x: [2, 5], w: [4, 3], zp: 5 }, 'unsupported_by_scheme'],
  ['zp+N0', { x: [2, 3], w: [0, 3], zp: 5 }, 'unsupported_by_scheme'],
  ['zp+M0', { x: [0, 3], w: [4, 3], zp: 5 }, 'unsupported_by_scheme'],
  ['zp300+K', { x: [2, 5], w: [4, 3], zp: 300 }, 'unsupported_by_scheme'],
  ['zp-per-channel+rank1', { x: [3], w: [4, 3], zp: 5, perChannel: true }, 'unsupported_by_scheme'],
  ['zp2-per-channel+rank1', { x: [3], w: [4, 3], perChannel: true, zps: [0, 0, 5, 0] }, 'unsupported_by_scheme'],
  ['zp-per-channel-short+nan', { x: [1, 3], w: [4, 3], perChannel: true, scales: [0.05, 0.05], zps: [0, 5], special: NAN }, 'unsupported_by_scheme'],
  ['wrank3+zp', { x: [2, 3], w: [4, 3, 1], zp: 5 }, 'shape_mismatch'],
  ['wrank3+bias', { x: [2, 3], w: [4, 3, 1], bias: [5] }, 'shape_mismatch'],
  ['wrank3+rank1', { x: [3], w: [4, 3, 1] }, 'shape_mismatch'],
  ['per-channel-count+zp', { x: [2, 3], w: [4, 3], perChannel: true, scales: [0.05, 0.05, 0.05, 0.05], zps: [5, 0] }, 'shape_mismatch'],
  ['per-channel-short+rank1', { x: [3], w: [4, 3], perChannel: true, scales: [0.05, 0.05] }, 'shape_mismatch'],
  ['per-channel-short+nan', { x: [1, 3], w: [4, 3], perChannel: true, scales: [0.05, 0.05], special: NAN }, 'shape_mismatch'],
  ['per-channel-short+K', { x: [2, 5], w: [4, 3], perChannel: true, scales: [0.05, 0.05] }, 'shape_mismatch'],
  ['rank1+bias', { x: [3], w: [4, 3], bias: [5] }, 'shape_mismatch'],
  ['rank1+nan', { x: [3], w: [4, 3], special: NAN }, 'shape_mismatch'],
  ['rank1+scaleinf', { x: [3], w: [4, 3], scale: INF }, 'shape_mismatch'],
  ['rank1+K', { x: [5], w: [4, 3] }, 'shape_mismatch'],
  ['rank1+N0', { x: [3], w: [0, 3] }, 'shape_mismatch'],
  ['rank0', { x: [], w: [4, 3] }, 'shape_mismatch'],
  ['bias+nan', { x: [1, 3], w: [4, 3], bias: [5], special: NAN }, 'shape_mismatch'],
  ['bias+K', { x: [2, 5], w: [4, 3], bias: [5] }, 'shape_mismatch'],
  ['bias+scaleinf', { x: [2, 3], w: [4, 3], bias: [5], scale: INF }, 'shape_mismatch'],
  ['bias2d+M0', { x: [0, 3], w: [4, 3], bias: [1, 4] }, 'shape_mismatch'],
  ['nan+K', { x: [1, 3], w: [4, 5], special: NAN }, 'nan_observed'],
  ['nan+scaleinf', { x: [1, 3], w: [4, 3], scale: INF, special: NAN }, 'nan_observed'],
  ['nan+N0', { x: [2, 3], w: [0, 3], special: NAN }, 'nan_observed'],
  ['inf+K', { x: [1, 3], w: [4, 5], special: INF }, 'inner_dim_mismatch'],
  ['scaleinf+K', { x: [2, 5], w: [4, 3], scale: INF }, 'inner_dim_mismatch'],
  ['scalenan+K', { x: [2, 5], w: [4, 3], scale: NAN }, 'inner_dim_mismatch'],
  ['scaleinf-per-channel+K', { x: [2, 5], w: [4, 3], perChannel: true, scales: [0.05, INF, 0.05, 0.05] }, 'inner_dim_mismatch'],
  ['rank3+K', { x: [2, 2, 5], w: [4, 3] }, 'inner_dim_mismatch'],
  ['N0+scaleneg', { x: [2, 3], w: [0, 3], scale: -1 }, 'outputs'],
  ['M0+scaleneg', { x: [0, 3], w: [4, 3], scale: -1 }, 'outputs'],
];

function request(id: string, scheme: string, s: Spec): WireRequest {
  const n = s.w[0] ?? 1;
  const scales = s.scales ?? (s.perChannel ? Array(n).fill(s.scale ?? 0.05) : [s.scale ?? 0.05]);
  const zps = s.zps ?? scales.map(() => s.zp ?? 0);
  const xs = Array.from({ length: numel(s.x) }, (_, i) => (i === 1 && s.special !== undefined ? s.special : ((i * 7) % 11) / 4 - 1.2));
  return {
    id,
    op: 'quantized_linear_dynamic@1',
    attrs: { scheme, relu: false, reduce_range: false, weight_quantization: s.perChannel ? 'per_channel' : 'per_tensor' },
    inputs: {
      x: f32(s.x, xs),
      weight: ints('qint8', s.w, Array.from({ length: numel(s.w) }, (_, i) => ((i * 13) % 50) - 25)),
      weight_scales: f64([scales.length], scales),
      weight_zero_points: ints('int64', [zps.length], zps),
      ...(s.bias ? { bias: f32(s.bias, Array(numel(s.bias)).fill(0.5)) } : {}),
    },
  } as WireRequest;
}

/** The static onednn linear on a rank-0 x: torch "qlinear (ONEDNN): input dim should be at least 1, but got 0". */
function staticRank0(scheme: string): WireRequest {
  return {
    id: `quantized_linear-onednn-rank0-${scheme}`,
    op: 'quantized_linear@1',
    attrs: { scheme, accumulator: 'int32_wrap', relu: false, x_scale: f64ToHex(0.05), x_zero_point: 7, y_scale: f64ToHex(0.2), y_zero_point: 120, weight_quantization: 'per_tensor' },
    inputs: { x: ints('quint8', [], [9]), weight: ints('qint8', [4, 1], [1, 2, 3, 4]), weight_scales: f64([1], [0.01]), weight_zero_points: ints('int64', [1], [0]) },
  } as WireRequest;
}

const requestsFor = (scheme: string) => [...CASES.map(([tag, s]) => request(`quantized_linear_dynamic-onednn-order-${tag}-${scheme}`, scheme, s)), staticRank0(scheme)];
const expected = [...CASES.map((c) => c[2]), 'shape_mismatch'];

function check(requests: readonly WireRequest[], torch: readonly WireResponse[], who: string): void {
  const replay = `${who}; replay: npx vitest run tests/backends/torch_onednn_dynamic_order.test.ts`;
  // torch's own answers are the measured ones above
  torch.forEach((t, i) => expect('error' in t ? t.error.code : 'outputs', `${who}: ${requests[i]!.id} (${'error' in t ? t.error.message : ''})`).toBe(expected[i]));
  expectTorchAnswers(requests, torch, ALL, replay);
  // the refusals name the engine whose rule it is: never qnnpack's on onednn
  for (const [name, ops] of ALL) {
    for (const r of requests) {
      const got = evaluateRequest(ops, r);
      if ('error' in got) expect(got.error.message, `${r.id} on ${name} (${replay})`).not.toMatch(/qnnpack/i);
    }
  }
}

describe('torch-onednn dynamic linear: inputs wrong in two ways are refused with the error torch gives first', () => {
  it('torch 1.13.0 (torch-onednn@1)', { timeout: 300_000 }, async () => {
    const requests = requestsFor('torch-onednn@1');
    check(requests, await torch13Responses(requests), 'torch 1.13 via runThroughTorch');
  });

  it('torch 2.6 (chroot, torch-onednn@2)', { timeout: 600_000, skip: !torch26Available() }, async () => {
    const requests = requestsFor('torch-onednn@2');
    check(requests, await torch26Responses(requests), 'torch 2.6 in its chroot');
  });
});
