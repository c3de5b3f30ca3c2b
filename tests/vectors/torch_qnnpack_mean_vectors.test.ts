import { describe, expect, it } from 'vitest';
import { TORCH_QNNPACK_MEAN_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { differs, expectedY, implYWith } from '../support/vector_outputs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * x.mean([2, 3]) of quint8 tensors under torch 1.13's qnnpack engine (QNNPACK's global average pooling,
 * vectors/torch-1.13-qnnpack-mean): every case bit for bit through the reference and the impl. No torch is needed to
 * run this. Non-vacuity: the cases hold channel counts below and from the ukernels' 8, planes of one pixel, of up to 7
 * and of more (the multipass ukernel), keepdim both ways, torch's refusals and this op's, and means on which
 * quantized_mean@1's kernels (what the other engines, and [-2, -1] on this one, run) answer otherwise.
 */
const { manifest, files } = readVectorSet(TORCH_QNNPACK_MEAN_VECTORS_DIR);
const all = files.flatMap((f) => f.cases);
const cases = all.filter((c) => 'outputs' in c.expect);
const shape = (c: VectorCase) => (c.inputs!.x as { shape: number[] }).shape;
const pixels = (c: VectorCase) => shape(c)[2]! * shape(c)[3]!;

/** The same tensor through quantized_mean@1 (contiguous: its integer inner path, which no capability or thread count changes). */
const atenY = (c: VectorCase) => implYWith(c, { cpu_capability: 'default', memory_format: 'contiguous', threads: 1 }, 'quantized_mean@1');

describe(`qnnpack mean vectors from ${manifest.oracle}`, () => {
  it('hold channel counts below and from 8, planes of 1, up to 7 and past 7 pixels, keepdim both ways, and refusals of each kind (non-vacuity)', () => {
    expect(cases.filter((c) => shape(c)[1]! < 8).length).toBeGreaterThan(50);
    expect(cases.filter((c) => shape(c)[1]! >= 8).length).toBeGreaterThan(150);
    expect(cases.filter((c) => pixels(c) === 1).length).toBeGreaterThan(10);
    expect(cases.filter((c) => pixels(c) > 1 && pixels(c) <= 7).length).toBeGreaterThan(30);
    expect(cases.filter((c) => pixels(c) > 7).length).toBeGreaterThan(150);
    expect(cases.filter((c) => c.attrs!.keepdim === true).length).toBeGreaterThan(80);
    expect(cases.filter((c) => c.attrs!.keepdim === false).length).toBeGreaterThan(80);
    const errors = all.filter((c) => 'error' in c.expect).map((c) => (c.expect as { error: { code: string } }).error.code);
    for (const code of ['unsupported_by_scheme', 'invalid_dtype', 'shape_mismatch']) expect(errors.filter((e) => e === code).length, code).toBeGreaterThan(1);
  });

  it("hold means on which quantized_mean@1's kernels answer otherwise (a centered tie with an odd zero point): QNNPACK's rounding is its own (non-vacuity)", () => {
    const parted = cases.filter((c) => differs(atenY(c), expectedY(c)));
    expect(parted.length).toBeGreaterThan(30);
  });

  itMatchesEveryCase('torch-1.13-qnnpack-mean', files);
});
