import { describe, expect, it } from 'vitest';
import { TORCH_ADD_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { decodeTensor, hexToF64 } from '../../contract/wire.js';
import type { IntTensor } from '../../contract/tensor.js';
import { differs, expectedY, implYWith } from '../support/vector_outputs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * quantized::add / add_relu from real PyTorch 1.13 (vectors/torch-1.13-add), one torch process per ATen CPU
 * capability (default, avx2, avx512, natively on an AVX512 host): every case bit for bit through the reference and the
 * impl. No torch is needed to run this. The non-vacuity checks count the cases where what the model distinguishes
 * decides the output: the form (torch's outputs are the capability's, not the scalar form's), the thread split and
 * the memory order.
 */
const { manifest, files } = readVectorSet(TORCH_ADD_VECTORS_DIR);
const cases = files.flatMap((f) => f.cases).filter((c) => 'outputs' in c.expect);


describe(`quantized add vectors from ${manifest.oracle}`, () => {
  it('hold every capability, ReLU, both dtypes, channels_last and two-thread cases (non-vacuity)', () => {
    for (const capability of ['default', 'avx2', 'avx512']) expect(cases.filter((c) => c.attrs!.cpu_capability === capability).length, capability).toBeGreaterThan(150);
    expect(cases.filter((c) => c.attrs!.relu === true).length).toBeGreaterThan(150);
    expect(cases.filter((c) => c.attrs!.memory_format === 'channels_last').length).toBeGreaterThan(40);
    expect(cases.filter((c) => c.attrs!.threads === 2).length).toBeGreaterThanOrEqual(6);
    expect(cases.filter((c) => (c.inputs!.a as { dtype: string }).dtype === 'qint8').length).toBeGreaterThan(150);
  });

  it("hold cases where torch's outputs are the vector form's and not the scalar form's, on avx2 and avx512 (non-vacuity)", () => {
    for (const capability of ['avx2', 'avx512'] as const) {
      const parted = cases.filter((c) => c.attrs!.cpu_capability === capability && differs(implYWith(c, { cpu_capability: 'default' }), expectedY(c)));
      expect(parted.length, capability).toBeGreaterThan(20);
    }
  });

  it('hold cases whose dequantized inputs overflow to inf and sum to NaN (non-vacuity)', () => {
    const hex = (c: VectorCase, name: string) => hexToF64(c.attrs![name]);
    const nanSums = cases.filter((c) => {
      const [sa, sb] = [Math.fround(hex(c, 'a_scale')), Math.fround(hex(c, 'b_scale'))];
      const a = decodeTensor(c.inputs!.a, 'a') as IntTensor;
      const b = decodeTensor(c.inputs!.b, 'b') as IntTensor;
      const [za, zb] = [c.attrs!.a_zero_point as number, c.attrs!.b_zero_point as number];
      return a.data.some((qa, i) => Number.isNaN(Math.fround(sa * (qa - za)) + Math.fround(sb * ((b.data[i] as number) - zb))));
    });
    expect(nanSums.length).toBeGreaterThan(5);
  });

  it('hold cases where the thread split and the memory order decide an output (non-vacuity)', () => {
    const vector = cases.filter((c) => c.attrs!.cpu_capability !== 'default');
    expect(vector.filter((c) => c.attrs!.threads === 2 && differs(implYWith(c, { threads: 1 }), expectedY(c))).length).toBeGreaterThan(0);
    expect(vector.filter((c) => c.attrs!.memory_format === 'channels_last' && differs(implYWith(c, { memory_format: 'contiguous' }), expectedY(c))).length).toBeGreaterThan(0);
  });

  itMatchesEveryCase('torch-1.13-add', files);
});
