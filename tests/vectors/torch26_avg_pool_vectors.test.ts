import { describe, expect, it } from 'vitest';
import { TORCH26_AVG_POOL_VECTORS_DIR, TORCH_AVG_POOL_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { differs, expectedY, implYWith } from '../support/vector_outputs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * avg_pool2d on quantized tensors from real PyTorch 2.6 (vectors/torch-2.6-avg-pool, quantized_avg_pool2d@2: Debian 13's
 * torch in its chroot, one process per ATen CPU capability, the requests of vectors/torch-1.13-avg-pool): every case bit
 * for bit through the reference and the impl. No torch is needed to run this. Non-vacuity: the avx512 cases where torch
 * 1.13's QuantizeAvx512 stores repeated elements answer otherwise here, as @2 models, and otherwise alike; and its
 * AVX512 vector blocks are still 16 channels.
 */
const v2 = readVectorSet(TORCH26_AVG_POOL_VECTORS_DIR);
const v1 = readVectorSet(TORCH_AVG_POOL_VECTORS_DIR);
const withOutputs = (files: typeof v2.files) => files.flatMap((f) => f.cases).filter((c) => 'outputs' in c.expect);
const cases2 = withOutputs(v2.files);
const cases1 = withOutputs(v1.files);
const idOf1 = (c: VectorCase) => c.id.replace('quantized_avg_pool2d2_', 'quantized_avg_pool2d_');

describe(`quantized avg_pool2d vectors from ${v2.manifest.oracle}`, () => {
  it("are 1.13's requests, under their own op, every capability (non-vacuity)", () => {
    expect(cases2.length).toBe(cases1.length);
    const byId = new Map(cases1.map((c) => [c.id, c]));
    for (const c of cases2) {
      expect(c.op).toBe('quantized_avg_pool2d@2');
      expect(c.inputs, c.id).toEqual(byId.get(idOf1(c))!.inputs);
    }
    for (const capability of ['default', 'avx2', 'avx512']) expect(cases2.filter((c) => c.attrs!.cpu_capability === capability).length, capability).toBeGreaterThan(120);
  });

  it("part from 1.13's answers exactly where 1.13's QuantizeAvx512 repeats elements: avx512 cases only, each one @1 models otherwise (non-vacuity)", () => {
    const byId = new Map(cases1.map((c) => [c.id, c]));
    const parted = cases2.filter((c) => differs(expectedY(c), expectedY(byId.get(idOf1(c))!)));
    expect(parted.length).toBeGreaterThan(10);
    for (const c of parted) {
      expect(c.attrs!.cpu_capability, c.id).toBe('avx512');
      expect(differs(implYWith(c, {}, 'quantized_avg_pool2d@1'), expectedY(c)), c.id).toBe(true);
    }
  });

  it("hold avx512 cases that 16-channel vector blocks decide: AVX2's blocks of 8 answer otherwise (non-vacuity; torch 2.6's cat uses 8, contract/quantized_cat.ts)", () => {
    const avx512 = cases2.filter((c) => c.attrs!.cpu_capability === 'avx512');
    expect(avx512.filter((c) => differs(implYWith(c, { cpu_capability: 'avx2' }), expectedY(c))).length).toBeGreaterThanOrEqual(2);
  });

  itMatchesEveryCase('torch-2.6-avg-pool', v2.files);
});
