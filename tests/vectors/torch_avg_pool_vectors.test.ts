import { describe, expect, it } from 'vitest';
import { TORCH_AVG_POOL_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { hexToF64 } from '../../contract/wire.js';
import { differs, expectedY, implYWith } from '../support/vector_outputs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * avg_pool2d on quantized tensors from real PyTorch 1.13 (vectors/torch-1.13-avg-pool), one torch process per ATen CPU
 * capability: every case bit for bit through the reference and the impl. No torch is needed to run this. The
 * non-vacuity checks count the cases where what the model distinguishes decides torch's output: the kernel the layout
 * picks (NHWC rounds q - z, NCHW q), the capability (AVX512's QuantizeAvx512 stores repeated elements in its 16-lane
 * loop; with a scale whose float32 is 0 or inf the vector channels' minps gives other outputs than the scalar ones).
 */
const { manifest, files } = readVectorSet(TORCH_AVG_POOL_VECTORS_DIR);
const cases = files.flatMap((f) => f.cases).filter((c) => 'outputs' in c.expect);
const shape = (c: VectorCase) => (c.inputs!.x as { shape: number[] }).shape;
const nhwcEitherWay = (c: VectorCase) => shape(c).length === 4 && (shape(c)[1] === 1 || (shape(c)[2] === 1 && shape(c)[3] === 1));

describe(`quantized avg_pool2d vectors from ${manifest.oracle}`, () => {
  it('hold every capability, both layouts, 3-D inputs, ceil_mode, count_include_pad off and divisor_override (non-vacuity)', () => {
    for (const capability of ['default', 'avx2', 'avx512']) expect(cases.filter((c) => c.attrs!.cpu_capability === capability).length, capability).toBeGreaterThan(120);
    expect(cases.filter((c) => c.attrs!.memory_format === 'channels_last').length).toBeGreaterThan(150);
    expect(cases.filter((c) => shape(c).length === 3).length).toBeGreaterThan(20);
    expect(cases.filter((c) => c.attrs!.ceil_mode === true).length).toBeGreaterThan(50);
    expect(cases.filter((c) => c.attrs!.count_include_pad === false).length).toBeGreaterThan(50);
    expect(cases.filter((c) => c.attrs!.divisor_override !== undefined).length).toBeGreaterThan(20);
  });

  it("hold cases where the layout's kernel decides an output: a tie NHWC and NCHW round otherwise (non-vacuity)", () => {
    const parted = cases.filter((c) => shape(c).length === 4 && !nhwcEitherWay(c) && differs(implYWith(c, { memory_format: c.attrs!.memory_format === 'channels_last' ? 'contiguous' : 'channels_last' }), expectedY(c)));
    expect(parted.length).toBeGreaterThan(30);
  });

  it("hold avx512 cases whose outputs are QuantizeAvx512's repeated elements, and NaN multipliers the vector channels store otherwise (non-vacuity)", () => {
    const avx512 = cases.filter((c) => c.attrs!.cpu_capability === 'avx512');
    expect(avx512.filter((c) => differs(implYWith(c, { cpu_capability: 'avx2' }), expectedY(c))).length).toBeGreaterThan(10);
    const nanMultiplier = cases.filter((c) => {
      const s = Math.fround(hexToF64(c.attrs!.scale));
      return c.attrs!.cpu_capability !== 'default' && (s === 0 || s === Infinity) && differs(implYWith(c, { cpu_capability: 'default' }), expectedY(c));
    });
    expect(nanMultiplier.length).toBeGreaterThan(0);
  });

  itMatchesEveryCase('torch-1.13-avg-pool', files);
});
