/**
 * calculate_qparams@2 on min/max state of every shape, on real torch 2.6.0 (Debian 13's python3-torch, in the chroot of
 * npm run setup:torch26) through the torch adapter: the requests of torch_calculate_qparams_shapes.test.ts (the same
 * seeded draws) under the @2 op name. torch 2.6's UniformQuantizationObserverBase._calculate_qparams (observer.py
 * l.325) and utils.py check_min_max_valid take the same steps as 1.13's, and torch 2.6 answers every request as torch
 * 1.13 does, bit for bit and error for error, except a qint32 custom range of 2^32 values, which 1.13 refuses
 * (quant_range_too_wide) and 2.6 computes (contract/qrange.ts). So calculate_qparams@2 takes what @1 takes: a state of
 * any one shape whatever the qscheme (qparams of its shape, [1] for a 0-dim one), an empty min_val or max_val beside
 * any shape; shape_mismatch where torch raises, min_max_shapes_differ where it broadcasts. qconform's @2 took only []
 * for per_tensor_* and [C] for per_channel_* (shape_mismatch for the rest). Skipped, saying why, without the chroot.
 */
import { describe, expect, it } from 'vitest';
import type { WireResponse } from '../../conformance/protocol/messages.js';
import { CALCULATE_QPARAMS_SHAPES_SEED as SEED, expectMismatchedAnswers, expectOneShapeCoverage, mismatchedRequests, oneShapeRequests } from '../support/calculate_qparams_shape_requests.js';
import { IMPLEMENTATIONS } from '../support/implementations.js';
import { torch13Responses, torch26Available, torch26Responses, torch26Skipped } from '../support/live_torch.js';
import { expectTorchAnswers } from '../support/torch_wire_requests.js';

const answer = (a: WireResponse) => ('error' in a ? a.error.code : a.outputs);

describe('calculate_qparams@2 state shapes, as torch 2.6 takes them', () => {
  it.skipIf(!torch26Available())(`state of one shape, any rank, any qscheme (and an empty one beside any shape): every implementation gives torch 2.6's qparams, which are torch 1.13's${torch26Skipped()}`, { timeout: 600_000 }, async () => {
    const q = oneShapeRequests('calculate_qparams@2');
    const torch = await torch26Responses(q);
    expectTorchAnswers(q, torch, IMPLEMENTATIONS, `torch 2.6 in its chroot, seed ${SEED}`);
    // errors only from the drawn NaN / min > max states: 2.6 computes drawConfig's qint32 range of 2^32 values
    expectOneShapeCoverage(q, torch, ['min_greater_than_max', 'nan_observed']);
    // where @2 differs from @1: torch 1.13 answers the same draws alike but for that qint32 range
    const old = await torch13Responses(oneShapeRequests('calculate_qparams@1'));
    const differ = q.flatMap((r, i) => (JSON.stringify(answer(old[i]!)) === JSON.stringify(answer(torch[i]!)) ? [] : [r]));
    expect(differ.length).toBeGreaterThanOrEqual(3);
    for (const r of differ) {
      const i = q.indexOf(r);
      expect([r.attrs!['dtype'], Number(r.attrs!['quant_max']) - Number(r.attrs!['quant_min']) + 1, answer(old[i]!), 'outputs' in torch[i]!], r.id).toEqual(['qint32', 2 ** 32, 'quant_range_too_wide', true]);
    }
  });

  it.skipIf(!torch26Available())(`different state shapes: torch 2.6's shape_mismatch where it raises, min_max_shapes_differ (a contract rejection) where it broadcasts, as torch 1.13${torch26Skipped()}`, { timeout: 600_000 }, async () => {
    const q = mismatchedRequests('calculate_qparams@2');
    const torch = await torch26Responses(q);
    expectMismatchedAnswers(q, torch, 'torch 2.6');
    // CONTRACT_REJECTIONS.min_max_shapes_differ describes both: torch 2.6 broadcasts to 1.13's outputs, bit for bit
    const old = await torch13Responses(mismatchedRequests('calculate_qparams@1'));
    expect(torch.map(answer)).toEqual(old.map(answer));
  });
});
