import { describe, expect, it } from 'vitest';
import { TORCH_QNNPACK_HARDSIGMOID_VECTORS_DIR, TORCH_QNNPACK_HARDSWISH_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { decodeTensor, hexToF64 } from '../../contract/wire.js';
import type { IntTensor } from '../../contract/tensor.js';
import { differs, expectedY, implYWith } from '../support/vector_outputs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * The qnnpack engine's Hardswish and Hardsigmoid of quint8 from real PyTorch 1.13 (vectors/torch-1.13-qnnpack-hardswish,
 * -qnnpack-hardsigmoid: QNNPACK's lookup tables, torch's qnnpack engine): every case bit for bit through the reference
 * and the impl. The non-vacuity checks count what the cases exercise: whole tables (every byte), outputs that ATen's
 * kernels (the other engines', scalar form) give otherwise, hardswish's NaN entries, and torch's refusals.
 */
for (const [fn, dir] of [
  ['hardswish', TORCH_QNNPACK_HARDSWISH_VECTORS_DIR],
  ['hardsigmoid', TORCH_QNNPACK_HARDSIGMOID_VECTORS_DIR],
] as const) {
  const { manifest, files } = readVectorSet(dir);
  const all = files.flatMap((f) => f.cases);
  const cases = all.filter((c) => 'outputs' in c.expect);
  const x = (c: VectorCase) => decodeTensor(c.inputs!.x, 'x') as IntTensor;

  describe(`QNNPACK ${fn} vectors from ${manifest.oracle}`, () => {
    it('hold whole tables, shapes of 1 to 4 dimensions, and torch\'s refusals (non-vacuity)', () => {
      expect(cases.filter((c) => new Set(x(c).data).size === 256).length).toBeGreaterThan(40);
      for (const rank of [1, 2, 4]) expect(cases.filter((c) => x(c).shape.length === rank).length, `rank ${rank}`).toBeGreaterThan(40);
      const refusals = all.filter((c) => 'error' in c.expect).map((c) => (c.expect as { error: { code: string } }).error.code);
      for (const code of ['invalid_dtype', 'shape_mismatch', 'unsupported_by_scheme']) expect(refusals.filter((r) => r === code).length, code).toBeGreaterThan(0);
    });

    const aten = (c: VectorCase, capability: 'default' | 'avx2') => implYWith(c, { cpu_capability: capability }, `quantized_${fn}@1`);
    if (fn === 'hardswish') {
      it("hold outputs ATen's kernel (the other engines', its scalar form) gives otherwise: QNNPACK adds the zero point before rounding (non-vacuity)", () => {
        expect(cases.filter((c) => differs(aten(c, 'default'), expectedY(c))).length).toBeGreaterThan(10);
      });
    } else {
      it("equal ATen's scalar form on every case (output zero point 0 and an exact x256: the same roundings), and part from its vector form's fma (non-vacuity)", () => {
        expect(cases.filter((c) => differs(aten(c, 'default'), expectedY(c))).length).toBe(0);
        expect(cases.filter((c) => differs(aten(c, 'avx2'), expectedY(c))).length).toBeGreaterThan(0);
      });
    }

    if (fn === 'hardswish') {
      it('hold tables with NaN entries (d = -inf: -inf * 0), which torch gives 0 (non-vacuity)', () => {
        const nan = cases.filter((c) => !Number.isFinite(Math.fround(hexToF64(c.attrs!.x_scale) * 255)) && x(c).data.some((q) => (q as number) < (c.attrs!.x_zero_point as number)));
        expect(nan.length).toBeGreaterThan(3);
      });
    }

    itMatchesEveryCase(`torch-1.13-qnnpack-${fn}`, files);
  });
}
