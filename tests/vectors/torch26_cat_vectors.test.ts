import { describe, expect, it } from 'vitest';
import { TORCH26_CAT_VECTORS_DIR, TORCH_CAT_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { expectedY } from '../support/vector_outputs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * quantized::cat / cat_relu from real PyTorch 2.6 (vectors/torch-2.6-cat, quantized_cat@2: Debian 13's torch in its
 * chroot, one process per ATEN_CPU_CAPABILITY): every case bit for bit through the reference and the impl. The requests
 * are those of vectors/torch-1.13-cat, case for case: under default and avx2 torch 2.6 answers each as 1.13 does; under
 * avx512 its vector blocks are AVX2's (8 channels, not 1.13's 16), and the non-vacuity check counts the cases where that
 * changes torch's outputs.
 */
const v2 = readVectorSet(TORCH26_CAT_VECTORS_DIR);
const v1 = readVectorSet(TORCH_CAT_VECTORS_DIR);
const cases2 = v2.files.flatMap((f) => f.cases).filter((c) => 'outputs' in c.expect);
const byId1 = new Map(v1.files.flatMap((f) => f.cases).map((c) => [c.id, c]));
/** the torch 1.13 case with the same request */
const twin = (c: VectorCase) => byId1.get(c.id.replace('quantized_cat2_', 'quantized_cat_'))!;

describe(`quantized cat vectors from ${v2.manifest.oracle}`, () => {
  it("are torch 1.13's requests, case for case (non-vacuity of the comparison below)", () => {
    expect(cases2.length).toBe(390);
    for (const c of cases2) expect(JSON.stringify([c.attrs, c.inputs]), c.id).toBe(JSON.stringify([twin(c).attrs, twin(c).inputs]));
  });

  it("give 1.13's outputs under default and avx2, and other outputs than 1.13's in some avx512 cases (AVX2's blocks)", () => {
    const differs = (c: VectorCase) => {
      const theirs = expectedY(twin(c));
      return expectedY(c).some((v, i) => v !== theirs[i]);
    };
    for (const capability of ['default', 'avx2']) expect(cases2.filter((c) => c.attrs!.cpu_capability === capability && differs(c)).length, capability).toBe(0);
    expect(cases2.filter((c) => c.attrs!.cpu_capability === 'avx512' && differs(c)).length).toBeGreaterThan(5);
  });

  itMatchesEveryCase('torch-2.6-cat', v2.files);
});
