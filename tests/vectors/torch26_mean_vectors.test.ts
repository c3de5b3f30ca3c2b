import { describe, expect, it } from 'vitest';
import { TORCH26_MEAN_VECTORS_DIR, TORCH_MEAN_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { differs, expectedY, implYWith } from '../support/vector_outputs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * Tensor.mean over H and W of quantized tensors from real PyTorch 2.6 (vectors/torch-2.6-mean: quantized_mean@2; Debian
 * 13's torch in its chroot, one process per ATEN_CPU_CAPABILITY): every case bit for bit through the reference and the
 * impl. The requests are those of vectors/torch-1.13-mean, case for case, with the same refusals: under default and avx2
 * torch 2.6 answers each as 1.13 does; under avx512 its float sums take AVX2's vector width (8 floats, not 1.13's 16),
 * and the non-vacuity check counts the cases where that changes torch's outputs.
 */
const v2 = readVectorSet(TORCH26_MEAN_VECTORS_DIR);
const v1 = readVectorSet(TORCH_MEAN_VECTORS_DIR);
const cases2 = v2.files.flatMap((f) => f.cases);
const byId1 = new Map(v1.files.flatMap((f) => f.cases).map((c) => [c.id, c]));
/** the torch 1.13 case with the same request */
const twin = (c: VectorCase) => byId1.get(c.id.replace('quantized_mean2_', 'quantized_mean_'))!;
const withOutputs = cases2.filter((c) => 'outputs' in c.expect);

describe(`quantized mean vectors from ${v2.manifest.oracle}`, () => {
  it("are torch 1.13's requests, case for case, with the same refusals (non-vacuity of the comparison below)", () => {
    expect(cases2.length).toBe(390);
    for (const c of cases2) {
      expect(JSON.stringify([c.attrs, c.inputs]), c.id).toBe(JSON.stringify([twin(c).attrs, twin(c).inputs]));
      expect('outputs' in c.expect, c.id).toBe('outputs' in twin(c).expect);
    }
  });

  it("give 1.13's outputs under default and avx2, and under avx512 other outputs than 1.13's where the vector width orders a sum", () => {
    const fromTwin = (c: VectorCase) => differs(expectedY(twin(c)), expectedY(c));
    for (const capability of ['default', 'avx2']) expect(withOutputs.filter((c) => c.attrs!.cpu_capability === capability && fromTwin(c)).length, capability).toBe(0);
    expect(withOutputs.filter((c) => c.attrs!.cpu_capability === 'avx512' && fromTwin(c)).length).toBeGreaterThan(10);
    // and those are the outputs of AVX2's width: the model under avx2 gives them
    expect(withOutputs.filter((c) => c.attrs!.cpu_capability === 'avx512' && differs(implYWith(c, { cpu_capability: 'avx2' }), expectedY(c))).length).toBe(0);
  });

  itMatchesEveryCase('torch-2.6-mean', v2.files);
});
