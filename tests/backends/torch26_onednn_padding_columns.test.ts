/**
 * torch 2.6's onednn engine (oneDNN 3.7 brg_conv_fwd) dies of SIGSEGV on convs whose every output column lies wholly in
 * the padding (contract/onednn37_padding_columns.ts). A fixed grid of W-axis geometries (W 1..3, KW 1..2, stride_w 1..5,
 * padding_w 0..3, dilation_w 1..3; every one whose output width is >= 1), each with OH 1 or 3, per-tensor or per-channel
 * weights, x_zero_point 0 or 7, and the same grid on the H axis, through torch 2.6 in its chroot (each conv in a forked
 * child with a 20 s alarm) and torch 1.13.0:
 * - torch 2.6: every death is within the rule and the adapter names it unsupported_by_scheme, the contract's code; every
 *   conv outside the rule is torch's bit for bit in every implementation; the rule's convs that torch computed (the
 *   rule is a superset: which of them die moves with the process's state) are refused, and counted; the convs
 *   torch26-onednn leaves unclaimed (onednn37_unwritten_reads.ts) are not compared;
 * - torch 1.13 (torch-onednn@1): every conv of the grid, the rule's too, is computed as torch computes it.
 * Fails on the old contract (it computed the rule's convs on torch-onednn@2) and on the old adapter (backend_error).
 */
import { describe, expect, it } from 'vitest';
import type { WireRequest, WireResponse } from '../../conformance/protocol/messages.js';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { onednn37UnwrittenReadsOf } from '../../conformance/backends/torch/onednn37_unwritten_reads.js';
import { onednn37PaddingColumnsDie } from '../../contract/onednn37_padding_columns.js';
import { torchConvOutputSize } from '../../contract/conv.js';
import { IMPLEMENTATIONS, IMPL_ON_BYTES } from '../support/implementations.js';
import { torch13Responses, torch26Available, torch26Responses } from '../support/live_torch.js';
import { convRequest, describeAnswer, expectTorchAnswers } from '../support/torch_wire_requests.js';

const ALL = [...IMPLEMENTATIONS, IMPL_ON_BYTES];

interface Axis { readonly size: number; readonly kernel: number; readonly stride: number; readonly padding: number; readonly dilation: number }

/** The W-axis grid (fixed, no randomness): every axis with an output size >= 1. */
function axes(): Axis[] {
  const out: Axis[] = [];
  for (let size = 1; size <= 3; size++) {
    for (const kernel of [1, 2]) {
      for (let stride = 1; stride <= 5; stride++) {
        for (let padding = 0; padding <= 3; padding++) {
          for (let dilation = 1; dilation <= 3; dilation++) {
            const a = { size, kernel, stride, padding, dilation };
            if (torchConvOutputSize(size, kernel, stride, padding, dilation) >= 1) out.push(a);
          }
        }
      }
    }
  }
  return out;
}

/** The other axis: one output row (5 rows, kernel 5, stride 3) or three (3 rows, kernel 1). */
const OTHER: readonly Axis[] = [{ size: 5, kernel: 5, stride: 3, padding: 0, dilation: 1 }, { size: 3, kernel: 1, stride: 1, padding: 0, dilation: 1 }];

const inRule = (q: WireRequest) => {
  const x = (q.inputs!['x'] as { shape: number[] }).shape;
  const w = (q.inputs!['weight'] as { shape: number[] }).shape;
  const [s, p, d] = ['stride', 'padding', 'dilation'].map((k) => q.attrs![k] as number[]);
  return onednn37PaddingColumnsDie(x[3]!, w[3]!, s![1]!, p![1]!, d![1]!);
};

function requests(scheme: 'torch-onednn@1' | 'torch-onednn@2'): WireRequest[] {
  const out: WireRequest[] = [];
  for (const [j, a] of axes().entries()) {
    const other = OTHER[j % 2]!;
    for (const onW of [true, false]) {
      const [h, w] = onW ? [other, a] : [a, other];
      const perChannel = (j >> 1) % 2 === 1;
      const q = convRequest(`pad-cols-${onW ? 'w' : 'h'}-${String(j).padStart(4, '0')}`, { scheme, x: [1, 1 + (j % 3 === 2 ? 2 : 0), h.size, w.size], weight: [perChannel ? 2 : 1, 1 + (j % 3 === 2 ? 2 : 0), h.kernel, w.kernel], perChannel, bias: j % 5 === 1 });
      out.push({ ...q, attrs: { ...q.attrs, stride: [h.stride, w.stride], padding: [h.padding, w.padding], dilation: [h.dilation, w.dilation], x_zero_point: (j >> 2) % 2 === 0 ? 0 : 7, y_zero_point: 100 } });
    }
  }
  return out;
}

const died = (r: WireResponse) => 'error' in r && /torch crashed \(signal SIG/.test(r.error.message);

describe("torch 2.6 onednn's death on convs whose every output column lies in the padding", () => {
  it('torch 2.6: every death is within the rule and refused with its code; every other conv is torch\'s', { timeout: 600_000, skip: !torch26Available() }, async () => {
    const qs = requests('torch-onednn@2');
    const torch = await torch26Responses(qs);
    const replay = 'torch 2.6 in its chroot';
    for (const [i, q] of qs.entries()) {
      const t = torch[i]!;
      if (died(t)) expect(inRule(q), `${q.id}: torch 2.6 died outside the rule (${describeAnswer(t)}; replay: echo '${JSON.stringify(q)}' | npx qconform eval --backend reference)`).toBe(true);
    }
    // outside the rule: torch's answers, except the convs torch26-onednn does not claim (oneDNN 3.7 reads memory it
    // never wrote on them: onednn37_unwritten_reads.ts; e.g. one output column in the padding with x_zero_point 7)
    const outside = qs.flatMap((q, i) => (inRule(q) || onednn37UnwrittenReadsOf(q) !== null ? [] : [i]));
    expectTorchAnswers(outside.map((i) => qs[i]!), outside.map((i) => torch[i]!), ALL, replay);
    const within = qs.flatMap((q, i) => (inRule(q) ? [i] : []));
    for (const i of within) {
      const t = torch[i]!;
      // torch's answer on the rule: its death, named as the contract names it, or outputs (the rule is a superset)
      if ('error' in t) expect(t.error.code, `${qs[i]!.id}: ${describeAnswer(t)}`).toBe('unsupported_by_scheme');
      // what it computed when it did not die is torch-onednn@1's answer (torch 1.13's)
      else expect(t.outputs, `${qs[i]!.id}: torch 2.6 computed it otherwise than torch-onednn@1`).toEqual((evaluateRequest(ALL[0]![1], { ...qs[i]!, attrs: { ...qs[i]!.attrs, scheme: 'torch-onednn@1' } }) as { outputs: unknown }).outputs);
      for (const [name, ops] of ALL) {
        const got = evaluateRequest(ops, qs[i]!);
        expect('error' in got ? got.error.code : 'outputs', `${qs[i]!.id} on ${name} (${replay}; replay: echo '${JSON.stringify(qs[i])}' | npx qconform eval --backend reference)`).toBe('unsupported_by_scheme');
      }
    }
    const deaths = within.filter((i) => 'error' in torch[i]!).length;
    expect(deaths).toBeGreaterThan(10);
    // per-channel and x_zero_point != 0 die too
    expect(within.some((i) => 'error' in torch[i]! && qs[i]!.attrs!['weight_quantization'] === 'per_channel')).toBe(true);
    expect(within.some((i) => 'error' in torch[i]! && qs[i]!.attrs!['x_zero_point'] !== 0)).toBe(true);
    console.log(`torch 2.6: ${qs.length} convs, ${within.length} within the rule, ${deaths} of them died, ${within.length - deaths} computed`);
  });

  it('torch 1.13 (torch-onednn@1): every conv of the grid is computed, as torch computes it', { timeout: 600_000 }, async () => {
    const qs = requests('torch-onednn@1');
    const torch = await torch13Responses(qs);
    expect(qs.filter(inRule).length).toBeGreaterThan(20);
    expect(torch.filter((r) => 'error' in r).map(describeAnswer)).toEqual([]);
    expectTorchAnswers(qs, torch, ALL, 'torch 1.13 via runThroughTorch');
  });
});
