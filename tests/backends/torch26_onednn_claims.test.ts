/**
 * torch 2.6's onednn convs (torch-onednn@2) are claimed on every CPU except those on which oneDNN 3.7's brgemm conv
 * reads memory it never wrote (onednn37_unwritten_reads.ts, torch26_builtins.ts).
 * The rule is checked on the committed vectors: the 5 onednn convs an AMX Xeon answered otherwise are refused, each
 * of the rule's two branches refuses some vectors, and most are still claimed.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { torch26OnednnConvRefusal } from '../../conformance/backends/torch/torch26_builtins.js';
import { onednn37UnwrittenReads } from '../../conformance/backends/torch/onednn37_unwritten_reads.js';
import { unclaimedReason } from '../../conformance/runner/claims.js';
import { TORCH26_VECTORS_DIR } from '../../conformance/vectors/vector_set.js';
import type { WireRequest } from '../../conformance/protocol/messages.js';

/** the onednn convs of vectors/torch-2.6 that real torch 2.6 answered otherwise on an AMX Xeon */
const AMX_DIFFERING = ['quantized_conv2d-00365', 'quantized_conv2d-01025', 'quantized_conv2d-01143', 'quantized_conv2d-01851', 'quantized_conv2d-02185'];

const base = { h: 5, w: 5, kh: 3, kw: 3, stride: [1, 1] as const, padding: [0, 0] as const, dilation: [1, 1] as const, xZeroPoint: 7 };

describe('torch26-onednn conv claims', () => {
  it('leaves out the vectors oneDNN 3.7 reads unwritten memory on, the 5 an AMX Xeon answered otherwise among them', () => {
    const refusal = torch26OnednnConvRefusal;
    const requests = readFileSync(join(TORCH26_VECTORS_DIR, 'quantized_conv2d.v1.jsonl'), 'utf8').trim().split('\n').map((l) => JSON.parse(l) as WireRequest);
    const onednn = requests.filter((r) => r.attrs?.scheme === 'torch-onednn@2');
    const refused = onednn.filter((r) => refusal(r) !== null);
    for (const id of AMX_DIFFERING) expect(refused.map((r) => r.id)).toContain(id);
    // both branches of the rule refuse some vectors, and most onednn convs stay claimed
    expect(refused.filter((r) => refusal(r)!.includes('one output column')).length).toBeGreaterThan(0);
    expect(refused.filter((r) => refusal(r)!.includes('kernel window')).length).toBeGreaterThan(0);
    expect(onednn.length - refused.length).toBeGreaterThan(onednn.length / 2);
    // qnnpack convs are never refused, and the runner's claims use the rule
    expect(requests.filter((r) => r.attrs?.scheme === 'torch-qnnpack@1' && refusal(r) !== null)).toEqual([]);
    const caps = { ops: ['quantized_conv2d@1'], unclaimedCase: refusal };
    expect(unclaimedReason(caps, refused[0]!)).toMatch(/not a function of the inputs/);
    expect(unclaimedReason(caps, onednn.find((r) => refusal(r) === null)!)).toBeNull();
  });

  it('the rule: one output column over several rows with stride_w > 1, or a window wholly in padding with a source zero point', () => {
    expect(onednn37UnwrittenReads(base)).toBeNull(); // 3x3 output
    expect(onednn37UnwrittenReads({ ...base, stride: [1, 3] })).toMatch(/one output column/); // 3x1 output, stride_w 3
    expect(onednn37UnwrittenReads({ ...base, w: 3, stride: [1, 1] })).toBeNull(); // 3x1 output, stride_w 1
    expect(onednn37UnwrittenReads({ ...base, h: 3, stride: [1, 3] })).toBeNull(); // 1x1 output
    expect(onednn37UnwrittenReads({ ...base, kh: 2, kw: 2, padding: [2, 2] })).toMatch(/kernel window/); // corners in padding
    expect(onednn37UnwrittenReads({ ...base, kh: 2, kw: 2, padding: [2, 2], xZeroPoint: 0 })).toBeNull(); // no source zero point
    expect(onednn37UnwrittenReads({ ...base, h: 1, kh: 2, kw: 2, padding: [1, 0], dilation: [2, 2] })).toMatch(/kernel window/); // 00365: kh 2 dilated over one row
    expect(onednn37UnwrittenReads({ ...base, kh: 2, kw: 2, padding: [1, 1] })).toBeNull(); // every window touches the input
    // torch's output size divides as C does: a width numerator of -1 with stride 2 is one column (floor said 0, no output)
    expect(onednn37UnwrittenReads({ ...base, h: 5, w: 2, kh: 1, kw: 3, stride: [1, 2], padding: [0, 0], dilation: [1, 1] })).toMatch(/one output column/);
  });
});
