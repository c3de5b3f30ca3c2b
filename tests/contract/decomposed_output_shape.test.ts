/**
 * A vector case of the per-channel quantized_decomposed ops keeps the output shape torch 2.6 gives: the input's, its
 * axis dimension broadcast against C = scales.shape[0] (contract/decomposed_channel_broadcast.ts). The case validator
 * (conformance/vectors/case_validation.ts) took the input's shape for it and refused torch's answer to x [2, 1] with two
 * scales ([2, 2]); it must accept that and refuse the input's shape there.
 */
import { describe, expect, it } from 'vitest';
import { validateCase } from '../../conformance/vectors/case_validation.js';
import { RECORDED } from '../support/decomposed_layout_requests.js';

const broadcast = RECORDED.find((c) => c.request.id === 'x21-c2')!;
const vectorCase = (shape: number[], values: number[]) => ({ ...broadcast.request, id: 'decomposed_quantize_per_channel-00000', expect: { outputs: { q: { dtype: 'quint8', shape, values } } } });

describe('vector cases of decomposed_(de)quantize_per_channel@1 take the broadcast output shape', () => {
  it("accepts torch 2.6's [2, 2] for x [2, 1] and two scales (recorded from torch 2.6.0)", () => {
    expect(broadcast.torch).toEqual({ shape: [2, 2], values: [5, 101, 7, 102] });
    expect(() => validateCase(vectorCase([2, 2], [5, 101, 7, 102]), 'case:1')).not.toThrow();
  });
  it("refuses the input's shape there, naming the expected one", () => {
    expect(() => validateCase(vectorCase([2, 1], [5, 7]), 'case:1')).toThrow(/has shape \[2,1\]; decomposed_quantize_per_channel@1 returns here \[2,2\]/);
  });
});
