import { describe, expect, it } from 'vitest';
import { TORCH_CAT_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { differs, expectedY, implYWith } from '../support/vector_outputs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * quantized::cat / cat_relu from real PyTorch 1.13 (vectors/torch-1.13-cat), one torch process per ATen CPU capability
 * (default, avx2, avx512, natively on an AVX512 host): every case bit for bit through the reference and the impl. No
 * torch is needed to run this. The non-vacuity checks count the cases where what the model distinguishes decides the
 * output: the form (torch's outputs are the capability's: vector blocks of 8 channels on AVX2, 16 on AVX512, none on
 * DEFAULT), the path (a literal dim 1 on channels_last inputs, or on contiguous [N, C, 1, 1] ones, against the generic
 * path of dim -3).
 */
const { manifest, files } = readVectorSet(TORCH_CAT_VECTORS_DIR);
const cases = files.flatMap((f) => f.cases).filter((c) => 'outputs' in c.expect);

const shapes = (c: VectorCase) => (c.inputs!.xs as Array<{ shape: number[]; dtype: string }>).map((x) => x.shape);
const fourD = (c: VectorCase) => shapes(c)[0]!.length === 4;

describe(`quantized cat vectors from ${manifest.oracle}`, () => {
  it('hold every capability, cat_relu, both dtypes, both formats, other dims and inputs copied as they are (non-vacuity)', () => {
    for (const capability of ['default', 'avx2', 'avx512']) expect(cases.filter((c) => c.attrs!.cpu_capability === capability).length, capability).toBeGreaterThan(120);
    expect(cases.filter((c) => c.attrs!.relu === true).length).toBeGreaterThan(80);
    expect(cases.filter((c) => (c.inputs!.xs as Array<{ dtype: string }>)[0]!.dtype === 'qint8').length).toBeGreaterThan(150);
    expect(cases.filter((c) => c.attrs!.memory_format === 'channels_last' && c.attrs!.dim === 1).length).toBeGreaterThan(200);
    expect(cases.filter((c) => c.attrs!.dim !== 1).length).toBeGreaterThan(60);
    expect(cases.filter((c) => !fourD(c)).length).toBeGreaterThan(20);
    const copied = cases.filter((c) => c.attrs!.dim === 1 && c.attrs!.relu === false && c.attrs!.memory_format === 'channels_last' && (c.attrs!.x_scales as string[]).some((s, k) => s === c.attrs!.scale && (c.attrs!.x_zero_points as number[])[k] === c.attrs!.zero_point));
    expect(copied.length).toBeGreaterThan(40);
  });

  it("hold cases where torch's outputs are its capability's vector form and not the scalar form or the other capability's blocks (non-vacuity)", () => {
    for (const [capability, other] of [['avx2', 'avx512'], ['avx512', 'avx2']] as const) {
      const mine = cases.filter((c) => c.attrs!.cpu_capability === capability);
      expect(mine.filter((c) => differs(implYWith(c, { cpu_capability: 'default' }), expectedY(c))).length, capability).toBeGreaterThan(15);
      expect(mine.filter((c) => differs(implYWith(c, { cpu_capability: other }), expectedY(c))).length, `${capability} against ${other}`).toBeGreaterThan(5);
    }
  });

  it('hold cases where the path decides an output: dim 1 against -3, channels_last and contiguous [N, C, 1, 1] inputs (non-vacuity)', () => {
    const fast = cases.filter((c) => c.attrs!.dim === 1 && fourD(c) && c.attrs!.cpu_capability !== 'default');
    expect(fast.filter((c) => differs(implYWith(c, { dim: -3 }), expectedY(c))).length).toBeGreaterThan(20);
    const generic = cases.filter((c) => c.attrs!.dim === -3 && c.attrs!.memory_format === 'channels_last' && c.attrs!.cpu_capability !== 'default');
    expect(generic.filter((c) => differs(implYWith(c, { dim: 1 }), expectedY(c))).length).toBeGreaterThan(0);
    const contiguousFast = fast.filter((c) => c.attrs!.memory_format === 'contiguous' && shapes(c).every((s) => s[1] === 1 || (s[2] === 1 && s[3] === 1)));
    expect(contiguousFast.filter((c) => differs(implYWith(c, { dim: -3 }), expectedY(c))).length).toBeGreaterThan(0);
  });

  itMatchesEveryCase('torch-1.13-cat', files);
});
