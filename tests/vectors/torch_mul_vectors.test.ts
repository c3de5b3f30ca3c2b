import { describe, expect, it } from 'vitest';
import { TORCH_MUL_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { differs, expectedY } from '../support/vector_outputs.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { IntTensor } from '../../contract/tensor.js';
import { decodeTensor, hexToF64 } from '../../contract/wire.js';
import { clampInt, f32Div, f32Mul, lrintfToInt64 } from '../../impl/float32.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * quantized::mul / mul_relu from real PyTorch 1.13 (vectors/torch-1.13-mul: qmul_kernel), one torch process per ATen
 * CPU capability (natively on an AVX512 host): every case bit for bit through the reference and the impl. The
 * non-vacuity checks count what the cases exercise: broadcasts (MobileNetV3's gate), and products large enough that the
 * vector form's cvtps2dq and the scalar form's lrintf part, so that torch's outputs tell the forms apart.
 */
const { manifest, files } = readVectorSet(TORCH_MUL_VECTORS_DIR);
const all = files.flatMap((f) => f.cases);
const cases = all.filter((c) => 'outputs' in c.expect);
const shapeOf = (c: VectorCase, name: string) => (c.inputs![name] as { shape: number[] }).shape;
const broadcasts = (c: VectorCase) => JSON.stringify(shapeOf(c, 'a')) !== JSON.stringify(shapeOf(c, 'b'));

describe(`quantized mul vectors from ${manifest.oracle}`, () => {
  it('hold every capability, both dtypes, ReLU, broadcasts (the [N, C, 1, 1] gate among them), channels_last and two threads (non-vacuity)', () => {
    for (const capability of ['default', 'avx2', 'avx512']) expect(cases.filter((c) => c.attrs!.cpu_capability === capability).length, capability).toBeGreaterThan(100);
    expect(cases.filter((c) => (c.inputs!.a as { dtype: string }).dtype === 'qint8').length).toBeGreaterThan(30);
    expect(cases.filter((c) => c.attrs!.relu === true).length).toBeGreaterThan(60);
    expect(cases.filter(broadcasts).length).toBeGreaterThan(80);
    expect(cases.filter((c) => broadcasts(c) && shapeOf(c, 'a').length === 4 && shapeOf(c, 'a')[2] === 1 && shapeOf(c, 'a')[3] === 1 && shapeOf(c, 'b')[2]! * shapeOf(c, 'b')[3]! > 1).length).toBeGreaterThan(15);
    expect(cases.filter((c) => c.attrs!.memory_format === 'channels_last').length).toBeGreaterThan(20);
    expect(cases.filter((c) => c.attrs!.threads === 2).length).toBe(3);
  });

  it("hold cases where torch's outputs are a vector form's and not the scalar form's, under every capability (non-vacuity)", () => {
    // the scalar form, requantize_from_int, written out here: z + lrintf(f32(c m)) clamped, ReLU as max(y, z)
    const scalarForm = (c: VectorCase): number[] => {
      const [a, b] = (['a', 'b'] as const).map((name) => decodeTensor(c.inputs![name], name) as IntTensor);
      const at = c.attrs!;
      const m = f32Mul(f32Mul(Math.fround(hexToF64(at.a_scale)), Math.fround(hexToF64(at.b_scale))), f32Div(1, Math.fround(hexToF64(at.scale))));
      const { min, max } = DTYPE_RANGE[a!.dtype as 'quint8'];
      const z = at.zero_point as number;
      return Array.from(a!.data, (qa, i) => {
        const y = clampInt(z + lrintfToInt64(f32Mul(((qa as number) - (at.a_zero_point as number)) * ((b!.data[i] as number) - (at.b_zero_point as number)), m)), min, max);
        return at.relu ? Math.max(y, z) : y;
      });
    };
    for (const capability of ['default', 'avx2', 'avx512'] as const) {
      const parted = cases.filter((c) => c.attrs!.cpu_capability === capability && !broadcasts(c) && differs(scalarForm(c), expectedY(c)));
      expect(parted.length, capability).toBeGreaterThan(5);
    }
  });

  it("hold torch's refusals of a qint8 mul it sends to XNNPACK (an output zero point below 127), refused alike (non-vacuity)", () => {
    expect(all.filter((c) => 'error' in c.expect && (c.expect as { error: { code: string } }).error.code === 'unsupported_by_scheme').length).toBeGreaterThan(3);
  });

  itMatchesEveryCase('torch-1.13-mul', files);
});
