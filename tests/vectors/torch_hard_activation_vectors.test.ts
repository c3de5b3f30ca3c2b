import { describe, expect, it } from 'vitest';
import { TORCH_HARDSIGMOID_VECTORS_DIR, TORCH_HARDSWISH_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { decodeTensor, hexToF64 } from '../../contract/wire.js';
import type { IntTensor } from '../../contract/tensor.js';
import { differs, expectedY, implYWith } from '../support/vector_outputs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * quantized::hardswish and hardsigmoid on quantized tensors from real PyTorch 1.13 (vectors/torch-1.13-hardswish,
 * vectors/torch-1.13-hardsigmoid), one torch process per ATen CPU capability (natively on an AVX512 host): every case
 * bit for bit through the reference and the impl. The non-vacuity checks count the cases where what the model
 * distinguishes decides the output: the form, the thread split, the memory order, and dequantized values that
 * overflow to inf.
 */
for (const [name, dir] of [
  ['hardswish', TORCH_HARDSWISH_VECTORS_DIR],
  ['hardsigmoid', TORCH_HARDSIGMOID_VECTORS_DIR],
] as const) {
  const { manifest, files } = readVectorSet(dir);
  const cases = files.flatMap((f) => f.cases).filter((c) => 'outputs' in c.expect);

  describe(`quantized ${name} vectors from ${manifest.oracle}`, () => {
    it('hold every capability, both dtypes, channels_last and two-thread cases (non-vacuity)', () => {
      expect(cases.length).toBe(390);
      for (const capability of ['default', 'avx2', 'avx512']) expect(cases.filter((c) => c.attrs!.cpu_capability === capability).length, capability).toBe(130);
      expect(cases.filter((c) => c.attrs!.memory_format === 'channels_last').length).toBeGreaterThan(20);
      expect(cases.filter((c) => c.attrs!.threads === 2).length).toBe(3);
      expect(cases.filter((c) => (c.inputs!.x as { dtype: string }).dtype === 'qint8').length).toBeGreaterThan(150);
    });

    it("hold cases where torch's outputs are the vector form's and not the scalar form's, on avx2 and avx512 (non-vacuity)", () => {
      for (const capability of ['avx2', 'avx512'] as const) {
        const parted = cases.filter((c) => c.attrs!.cpu_capability === capability && differs(implYWith(c, { cpu_capability: 'default' }), expectedY(c)));
        expect(parted.length, capability).toBeGreaterThan(15);
      }
    });

    it('hold cases whose dequantized inputs overflow to inf (non-vacuity)', () => {
      const overflowing = (c: VectorCase) => {
        const s = Math.fround(hexToF64(c.attrs!.x_scale));
        const x = decodeTensor(c.inputs!.x, 'x') as IntTensor;
        return x.data.some((q) => !Number.isFinite(Math.fround(s * (q - (c.attrs!.x_zero_point as number)))));
      };
      expect(cases.filter(overflowing).length).toBeGreaterThan(5);
    });

    it('hold cases where the thread split and the memory order decide an output (non-vacuity)', () => {
      const vector = cases.filter((c) => c.attrs!.cpu_capability !== 'default');
      expect(vector.filter((c) => c.attrs!.threads === 2 && differs(implYWith(c, { threads: 1 }), expectedY(c))).length).toBeGreaterThan(0);
      expect(vector.filter((c) => c.attrs!.memory_format === 'channels_last' && differs(implYWith(c, { memory_format: 'contiguous' }), expectedY(c))).length).toBeGreaterThan(0);
    });

    itMatchesEveryCase(`torch-1.13-${name}`, files);
  });
}
