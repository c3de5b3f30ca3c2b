import { describe, expect, it } from 'vitest';
import {
  TORCH26_HARDSIGMOID_VECTORS_DIR,
  TORCH26_HARDSWISH_VECTORS_DIR,
  TORCH26_MUL_VECTORS_DIR,
  TORCH_HARDSIGMOID_VECTORS_DIR,
  TORCH_HARDSWISH_VECTORS_DIR,
  TORCH_MUL_VECTORS_DIR,
  type VectorCase,
  readVectorSet,
} from '../../conformance/vectors/vector_set.js';
import { expectedY } from '../support/vector_outputs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * Hardswish, Hardsigmoid and mul on quantized tensors from real PyTorch 2.6 (vectors/torch-2.6-hardswish, -hardsigmoid,
 * -mul: quantized_hardswish@2, quantized_hardsigmoid@2, quantized_mul@2; Debian 13's torch in its chroot, one process
 * per ATEN_CPU_CAPABILITY): every case bit for bit through the reference and the impl. The requests are those of the
 * torch 1.13 sets, case for case: under default and avx2 torch 2.6 answers each as 1.13 does; under avx512 its loop
 * splits at multiples of 64 elements, not 1.13's 128, and the non-vacuity check counts the cases where that changes
 * torch's outputs (for the mul only where a product passes 2^31: fewer).
 */
for (const [op, dir26, dir13, minAvx512Differing] of [
  ['hardswish', TORCH26_HARDSWISH_VECTORS_DIR, TORCH_HARDSWISH_VECTORS_DIR, 10],
  ['hardsigmoid', TORCH26_HARDSIGMOID_VECTORS_DIR, TORCH_HARDSIGMOID_VECTORS_DIR, 10],
  ['mul', TORCH26_MUL_VECTORS_DIR, TORCH_MUL_VECTORS_DIR, 2],
] as const) {
  const v2 = readVectorSet(dir26);
  const v1 = readVectorSet(dir13);
  const cases2 = v2.files.flatMap((f) => f.cases);
  const byId1 = new Map(v1.files.flatMap((f) => f.cases).map((c) => [c.id, c]));
  /** the torch 1.13 case with the same request */
  const twin = (c: VectorCase) => byId1.get(c.id.replace(`quantized_${op}2_`, `quantized_${op}_`))!;
  const withOutputs = cases2.filter((c) => 'outputs' in c.expect);

  describe(`quantized ${op} vectors from ${v2.manifest.oracle}`, () => {
    it("are torch 1.13's requests, case for case, with the same refusals (non-vacuity of the comparison below)", () => {
      expect(cases2.length).toBe(390);
      for (const c of cases2) {
        expect(JSON.stringify([c.attrs, c.inputs]), c.id).toBe(JSON.stringify([twin(c).attrs, twin(c).inputs]));
        expect('outputs' in c.expect, c.id).toBe('outputs' in twin(c).expect);
      }
    });

    it(`give 1.13's outputs under default and avx2, and other outputs than 1.13's in ${minAvx512Differing} or more avx512 cases (its 64-element split)`, () => {
      const differs = (c: VectorCase) => {
        const theirs = expectedY(twin(c));
        return expectedY(c).some((v, i) => v !== theirs[i]);
      };
      for (const capability of ['default', 'avx2']) expect(withOutputs.filter((c) => c.attrs!.cpu_capability === capability && differs(c)).length, capability).toBe(0);
      expect(withOutputs.filter((c) => c.attrs!.cpu_capability === 'avx512' && differs(c)).length).toBeGreaterThanOrEqual(minAvx512Differing);
    });

    itMatchesEveryCase(`torch-2.6-${op}`, v2.files);
  });
}
