import { describe, expect, it } from 'vitest';
import { TORCH_QNNPACK_AVG_POOL_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { differs, expectedY, implYWith } from '../support/vector_outputs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * avg_pool2d on quint8 tensors under torch 1.13's qnnpack engine (QNNPACK's average pooling,
 * vectors/torch-1.13-qnnpack-avg-pool): every case bit for bit through the reference and the impl. No torch is needed
 * to run this. Non-vacuity: the cases hold what the model distinguishes: count_include_pad off and divisor_override,
 * which ATen's kernels honour and this path ignores; padded windows; ties; channel counts below and from 8; kernels of
 * more than 9 elements; and torch's refusals.
 */
const { manifest, files } = readVectorSet(TORCH_QNNPACK_AVG_POOL_VECTORS_DIR);
const all = files.flatMap((f) => f.cases);
const cases = all.filter((c) => 'outputs' in c.expect);
const pair = (c: VectorCase, name: string) => c.attrs![name] as [number, number];
const channels = (c: VectorCase) => (c.inputs!.x as { shape: number[] }).shape[1]!;
const padded = (c: VectorCase) => pair(c, 'padding').some((p) => p > 0);

/** The same request as ATen's kernel (quantized_avg_pool2d@1, contiguous, DEFAULT): the answer of another engine. */
const atenY = (c: VectorCase) => implYWith(c, { cpu_capability: 'default', memory_format: 'contiguous', ceil_mode: false }, 'quantized_avg_pool2d@1');

describe(`qnnpack avg_pool2d vectors from ${manifest.oracle}`, () => {
  it('hold padding, channel counts below and from 8, kernels past 9 elements, and refusals of each kind (non-vacuity)', () => {
    expect(cases.filter(padded).length).toBeGreaterThan(80);
    expect(cases.filter((c) => channels(c) < 8).length).toBeGreaterThan(30);
    expect(cases.filter((c) => channels(c) >= 8).length).toBeGreaterThan(150);
    expect(cases.filter((c) => pair(c, 'kernel_size')[0] * pair(c, 'kernel_size')[1] > 9).length).toBeGreaterThan(30);
    const errors = all.filter((c) => 'error' in c.expect).map((c) => (c.expect as { error: { code: string } }).error.code);
    for (const code of ['unsupported_by_scheme', 'invalid_dtype', 'shape_mismatch']) expect(errors.filter((e) => e === code).length, code).toBeGreaterThan(1);
  });

  it("hold padded windows with count_include_pad off, and divisor_override, where ATen's kernel answers otherwise: torch ignores both here (non-vacuity)", () => {
    const ignored = (c: VectorCase) => (padded(c) && c.attrs!.count_include_pad === false) || c.attrs!.divisor_override !== undefined;
    const parted = cases.filter((c) => ignored(c) && differs(atenY(c), expectedY(c)));
    expect(parted.length).toBeGreaterThan(20);
    // and with count_include_pad off the answer is the count_include_pad=True one: the attribute changes nothing
    for (const c of cases.filter(ignored)) expect(implYWith(c, { count_include_pad: true }), c.id).toEqual(expectedY(c));
  });

  itMatchesEveryCase('torch-1.13-qnnpack-avg-pool', files);
});
