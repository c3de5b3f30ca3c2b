import { describe, expect, it } from 'vitest';
import { TORCH_MEAN_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { numel } from '../../contract/tensor.js';
import { differs, expectedY, implYWith } from '../support/vector_outputs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * Tensor.mean over H and W of quantized tensors from real PyTorch 1.13 (vectors/torch-1.13-mean), one torch process
 * per ATen CPU capability (natively on an AVX512 host): every case bit for bit through the reference and the impl. The
 * non-vacuity checks count the cases where what the model distinguishes decides an output: the path (the memory
 * format), the summation order of the float path's channels (the vector width, and the thread split of a tensor of
 * GRAIN_SIZE elements or more).
 */
const { manifest, files } = readVectorSet(TORCH_MEAN_VECTORS_DIR);
const all = files.flatMap((f) => f.cases);
const cases = all.filter((c) => 'outputs' in c.expect);
const shapeOf = (c: VectorCase) => (c.inputs!.x as { shape: number[] }).shape;

describe(`quantized mean vectors from ${manifest.oracle}`, () => {
  it('hold every capability, both dtypes and paths, every dims spelling, keepdim and split tensors (non-vacuity)', () => {
    expect(all.length).toBe(390);
    for (const capability of ['default', 'avx2', 'avx512']) expect(all.filter((c) => c.attrs!.cpu_capability === capability).length, capability).toBe(130);
    expect(cases.filter((c) => c.attrs!.memory_format === 'contiguous').length).toBeGreaterThan(40);
    expect(cases.filter((c) => (c.inputs!.x as { dtype: string }).dtype === 'qint8').length).toBeGreaterThan(150);
    expect(cases.filter((c) => c.attrs!.keepdim === true).length).toBeGreaterThan(60);
    for (const dims of [[2, 3], [3, 2], [-2, -1], [-1, -2]]) expect(cases.filter((c) => JSON.stringify(c.attrs!.dim) === JSON.stringify(dims)).length, String(dims)).toBeGreaterThan(40);
    expect(cases.filter((c) => (c.attrs!.threads as number) > 1 && numel(shapeOf(c)) >= 32768).length).toBeGreaterThan(25);
  });

  it("hold cases where torch's outputs are the float path's and not the inner path's, and the other way round (non-vacuity)", () => {
    const floatPath = cases.filter((c) => c.attrs!.memory_format === 'channels_last' && differs(implYWith(c, { memory_format: 'contiguous' }), expectedY(c)));
    const innerPath = cases.filter((c) => c.attrs!.memory_format === 'contiguous' && differs(implYWith(c, { memory_format: 'channels_last' }), expectedY(c)));
    expect([floatPath.length > 100, innerPath.length > 20]).toEqual([true, true]);
  });

  it('hold cases where the vector width and the thread split decide a channel\'s summation order and its output (non-vacuity)', () => {
    const floatCases = cases.filter((c) => c.attrs!.memory_format === 'channels_last');
    const byWidth = floatCases.filter((c) => c.attrs!.cpu_capability === 'avx512' && differs(implYWith(c, { cpu_capability: 'avx2' }), expectedY(c)));
    const byWidth8 = floatCases.filter((c) => c.attrs!.cpu_capability !== 'avx512' && differs(implYWith(c, { cpu_capability: 'avx512' }), expectedY(c)));
    // (under DEFAULT and AVX2 the 32-channel ranges align with the 32-channel vector blocks: the split changes no order there)
    const bySplit = floatCases.filter((c) => c.attrs!.cpu_capability === 'avx512' && (c.attrs!.threads as number) > 1 && differs(implYWith(c, { threads: 1 }), expectedY(c)));
    expect([byWidth.length, byWidth8.length, bySplit.length].map((n) => n > 3)).toEqual([true, true, true]);
  });

  it("hold torch's refusal of a channels_last x of one channel or one pixel without keepdim (non-vacuity)", () => {
    const refused = all.filter((c) => 'error' in c.expect);
    expect(refused.length).toBeGreaterThan(2);
    for (const c of refused) {
      const [, ch, h, w] = shapeOf(c) as [number, number, number, number];
      expect([c.expect, c.attrs!.memory_format, c.attrs!.keepdim, ch === 1 || h * w === 1]).toEqual([expect.objectContaining({ error: expect.objectContaining({ code: 'shape_mismatch' }) }), 'channels_last', false, true]);
    }
  });

  itMatchesEveryCase('torch-1.13-mean', files);
});
