import { describe, expect, it } from 'vitest';
import { TORCH26_ADD_VECTORS_DIR, TORCH_ADD_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { expectedY } from '../support/vector_outputs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * quantized::add / add_relu from real PyTorch 2.6 (vectors/torch-2.6-add, quantized_add@2: Debian 13's torch in its
 * chroot, one process per ATEN_CPU_CAPABILITY): every case bit for bit through the reference and the impl. The
 * requests are those of vectors/torch-1.13-add, case for case: under default and avx2 torch 2.6 answers each as 1.13
 * does; under avx512 its loop splits at multiples of 64 elements, not 1.13's 128, and the non-vacuity check counts the
 * cases where that changes torch's outputs.
 */
const v2 = readVectorSet(TORCH26_ADD_VECTORS_DIR);
const v1 = readVectorSet(TORCH_ADD_VECTORS_DIR);
const cases2 = v2.files.flatMap((f) => f.cases).filter((c) => 'outputs' in c.expect);
const byId1 = new Map(v1.files.flatMap((f) => f.cases).map((c) => [c.id, c]));
/** the torch 1.13 case with the same request */
const twin = (c: VectorCase) => byId1.get(c.id.replace('quantized_add2_', 'quantized_add_'))!;

describe(`quantized add vectors from ${v2.manifest.oracle}`, () => {
  it("are torch 1.13's requests, case for case (non-vacuity of the comparison below)", () => {
    expect(cases2.length).toBe(600);
    for (const c of cases2) expect(JSON.stringify([c.attrs, c.inputs]), c.id).toBe(JSON.stringify([twin(c).attrs, twin(c).inputs]));
  });

  it('give 1.13\'s outputs under default and avx2, and other outputs than 1.13\'s in over 20 avx512 cases (its 64-element split)', () => {
    const differs = (c: VectorCase) => {
      const theirs = expectedY(twin(c));
      return expectedY(c).some((v, i) => v !== theirs[i]);
    };
    for (const capability of ['default', 'avx2']) expect(cases2.filter((c) => c.attrs!.cpu_capability === capability && differs(c)).length, capability).toBe(0);
    expect(cases2.filter((c) => c.attrs!.cpu_capability === 'avx512' && differs(c)).length).toBeGreaterThan(20);
  });

  itMatchesEveryCase('torch-2.6-add', v2.files);
});
