/**
 * torch's conv output size on real torch: (H + 2p - d(KH-1) - 1) / stride + 1 in C division, which truncates toward
 * zero (contract/conv.ts torchConvOutputSize). qconform floored, so a numerator in (-stride, 0) gave 0 rows where torch
 * gives 1, and one in (-2 stride, -stride) -1 where torch gives 0. Requests with such numerators (on H, W or both; with
 * padding, dilation, channels, zero points, per-channel weights, bias and relu) on N = 0, 1 and 2, through torch 1.13.0
 * (qnnpack, onednn) and torch 2.6 in its chroot (qnnpack, onednn@2): every implementation must give torch's output
 * bit for bit (onednn reads the taps past the padding as padding) or its error code (qnnpack's INTERNAL ASSERT on
 * N >= 1, which the adapter maps to empty_output), except onednn's empty output of N >= 1, a recorded contract rejection.
 * Fails on the floor formula.
 */
import { describe, expect, it } from 'vitest';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { IMPLEMENTATIONS, IMPL_ON_BYTES } from '../support/implementations.js';
import { torch13Responses, torch26Available, torch26Responses } from '../support/live_torch.js';
import { convRequest, expectTorchAnswers } from '../support/torch_wire_requests.js';

const ALL = [...IMPLEMENTATIONS, IMPL_ON_BYTES];

interface Axis { readonly size: number; readonly kernel: number; readonly stride: number; readonly padding: number; readonly dilation: number }

const numerator = (a: Axis) => a.size + 2 * a.padding - a.dilation * (a.kernel - 1) - 1;

/** Axes whose numerator lies in (-2 stride, 0), each stride 2..4, dilation 1..2, padding 0..1 (a fixed grid, no randomness). */
function negativeAxes(): Axis[] {
  const out: Axis[] = [];
  for (const stride of [2, 3, 4]) {
    for (const dilation of [1, 2]) {
      for (const padding of [0, 1]) {
        for (const kernel of [3, 4, 5]) {
          for (let size = 1; size <= 8; size++) {
            const a = { size, kernel, stride, padding, dilation };
            const t = numerator(a);
            if (t < 0 && t > -2 * stride) out.push(a);
          }
        }
      }
    }
  }
  return out;
}

const ORDINARY: Axis = { size: 5, kernel: 3, stride: 1, padding: 1, dilation: 1 };

function requests(onednn: 'torch-onednn@1' | 'torch-onednn@2'): WireRequest[] {
  const axes = negativeAxes();
  const out: WireRequest[] = [];
  let i = 0;
  for (const scheme of ['torch-qnnpack@1', onednn]) {
    for (const [j, a] of axes.entries()) {
      // on H, on W, or on both (with another negative axis); channels, qparams and batch vary with j
      const other = axes[(j * 7 + 3) % axes.length]!;
      const [h, w] = j % 3 === 0 ? [a, ORDINARY] : j % 3 === 1 ? [ORDINARY, a] : [a, other];
      const n = j % 4 === 3 ? 2 : j % 4 === 0 ? 0 : 1;
      const c = j % 5 === 0 ? 8 : 1 + (j % 3);
      const oc = j % 5 === 0 ? 16 : 1 + (j % 2);
      const q = convRequest(`size-${String(i++).padStart(5, '0')}`, {
        scheme, x: [n, c, h.size, w.size], weight: [oc, c, h.kernel, w.kernel], perChannel: j % 2 === 1, bias: j % 3 === 1, relu: j % 5 === 2,
      });
      out.push({ ...q, attrs: { ...q.attrs, stride: [h.stride, w.stride], padding: [h.padding, w.padding], dilation: [h.dilation, w.dilation], x_zero_point: j % 6, y_zero_point: 100 + j } });
    }
  }
  return out;
}

/**
 * torch's answers, checked: every implementation gives each one, except onednn's empty output of N >= 1 (an output height
 * or width of 0), which qconform refuses with empty_output (contract/errors.ts CONTRACT_REJECTIONS), checked as such.
 */
function expectAnswers(qs: readonly WireRequest[], torch: readonly WireResponse[], replay: string): void {
  const rejected = (i: number) => (qs[i]!.inputs!['x'] as { shape: number[] }).shape[0]! > 0 && (shapeOf(torch[i]!) ?? [1]).includes(0);
  const kept = qs.flatMap((_, i) => (rejected(i) ? [] : [i]));
  expectTorchAnswers(kept.map((i) => qs[i]!), kept.map((i) => torch[i]!), ALL, replay);
  const refusals = qs.flatMap((q, i) => (rejected(i) ? [q] : []));
  expect(refusals.length).toBeGreaterThan(0);
  for (const q of refusals) {
    for (const [name, ops] of ALL) {
      const got = evaluateRequest(ops, q);
      expect('error' in got ? got.error.code : 'outputs', `${q.id} on ${name}; replay: echo '${JSON.stringify(q)}' | npx qconform eval --backend reference`).toBe('empty_output');
    }
  }
}

const shapeOf = (r: WireResponse) => ('outputs' in r ? (r.outputs['y'] as { shape: number[] }).shape : null);

function expectNonVacuous(qs: readonly WireRequest[], torch: readonly WireResponse[]): void {
  // onednn computes N >= 1 convs with a row or column torch's division gives and floor does not; qnnpack refuses them
  const computed = qs.filter((q, i) => q.attrs!['scheme'] !== 'torch-qnnpack@1' && (q.inputs!['x'] as { shape: number[] }).shape[0]! > 0 && shapeOf(torch[i]!) !== null);
  expect(computed.length).toBeGreaterThan(20);
  const refused = qs.filter((q, i) => q.attrs!['scheme'] === 'torch-qnnpack@1' && 'error' in torch[i]! && torch[i]!.error.code === 'empty_output');
  expect(refused.length).toBeGreaterThan(20);
  // empty batches whose floor size would be 0 or -1 but torch's is 1 or 0
  const empty = qs.filter((q, i) => (q.inputs!['x'] as { shape: number[] }).shape[0] === 0 && shapeOf(torch[i]!) !== null);
  expect(empty.length).toBeGreaterThan(20);
}

describe("torch's conv output size (C division) on real torch", () => {
  it('torch 1.13: every implementation gives torch\'s output or error code', { timeout: 300_000 }, async () => {
    const qs = requests('torch-onednn@1');
    const torch = await torch13Responses(qs);
    expectAnswers(qs, torch, 'torch 1.13 via runThroughTorch');
    expectNonVacuous(qs, torch);
    // the probe's case: x [1, 1, 1, 2], weight [1, 1, 4, 1], stride [3, 1], padding [1, 0] gives one row on onednn
    const probe = convRequest('probe', { scheme: 'torch-onednn@1', x: [1, 1, 1, 2], weight: [1, 1, 4, 1] });
    const p = { ...probe, attrs: { ...probe.attrs, stride: [3, 1], padding: [1, 0], x_zero_point: 3 } };
    const [answer] = await torch13Responses([p]);
    expect(shapeOf(answer!)).toEqual([1, 1, 1, 2]);
    expectTorchAnswers([p], [answer!], ALL, 'torch 1.13 via runThroughTorch');
  });

  it('torch 2.6 (qnnpack, onednn@2): the same', { timeout: 600_000, skip: !torch26Available() }, async () => {
    const qs = requests('torch-onednn@2');
    const torch = await torch26Responses(qs);
    expectAnswers(qs, torch, 'torch 2.6 in its chroot');
    expectNonVacuous(qs, torch);
  });
});
