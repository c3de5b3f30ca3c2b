import { describe, expect, it } from 'vitest';
import { TORCH_QNNPACK_ADD_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { qnnpackAddScalarLoopStart } from '../../contract/qnnpack_add_shift.js';
import { hexToF64 } from '../../contract/wire.js';
import { expectedY } from '../support/vector_outputs.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * quantized::add / add_relu on torch 1.13's qnnpack engine (QNNPACK's add, vectors/torch-1.13-qnnpack-add): every case
 * bit for bit through the reference and the impl. No torch is needed to run this. Non-vacuity: the cases hold what
 * the model distinguishes: exact half-integers (rounded away from zero), shifts of 32 or more on both code paths
 * (the SSE2 body and the scalar loop part), ReLU, and torch's refusals.
 */
const { manifest, files } = readVectorSet(TORCH_QNNPACK_ADD_VECTORS_DIR);
const all = files.flatMap((f) => f.cases);
const cases = all.filter((c) => 'outputs' in c.expect);
const f32 = Math.fround;
const maxRatio = (c: VectorCase) => Math.max(f32(f32(hexToF64(c.attrs!.a_scale)) / f32(hexToF64(c.attrs!.scale))), f32(f32(hexToF64(c.attrs!.b_scale)) / f32(hexToF64(c.attrs!.scale))));
const numelOf = (c: VectorCase) => (c.inputs!.a as { shape: number[] }).shape.reduce((p, d) => p * d, 1);

describe(`qnnpack add vectors from ${manifest.oracle}`, () => {
  it('hold ReLU, every length class and refusals of each kind (non-vacuity)', () => {
    expect(cases.filter((c) => c.attrs!.relu === true).length).toBeGreaterThan(80);
    expect(cases.filter((c) => numelOf(c) < 8).length).toBeGreaterThan(20);
    expect(cases.filter((c) => numelOf(c) > 4096 && qnnpackAddScalarLoopStart(numelOf(c)) < numelOf(c)).length).toBeGreaterThan(10);
    const errors = all.filter((c) => 'error' in c.expect).map((c) => (c.expect as { error: { code: string } }).error.code);
    for (const code of ['unsupported_by_scheme', 'invalid_dtype', 'shape_mismatch']) expect(errors.filter((e) => e === code).length, code).toBeGreaterThan(1);
  });

  it('hold exact ties of both signs, so that rounding half away from zero is told from half up (negative ties) and half down or even (positive ones) (non-vacuity)', () => {
    const inRange = cases.filter((c) => maxRatio(c) >= 2 ** -10);
    expect(inRange.filter((c) => tieSigns(c).negative).length).toBeGreaterThan(20);
    expect(inRange.filter((c) => tieSigns(c).positive).length).toBeGreaterThan(20);
  });

  it('hold shifts of 32 to 35 that the SSE2 body and the scalar loop compute otherwise (non-vacuity)', () => {
    const wide = cases.filter((c) => maxRatio(c) < 2 ** -10);
    expect(wide.filter((c) => numelOf(c) >= 8 && qnnpackAddScalarLoopStart(numelOf(c)) === numelOf(c)).length).toBeGreaterThan(10);
    expect(wide.filter((c) => qnnpackAddScalarLoopStart(numelOf(c)) < numelOf(c)).length).toBeGreaterThan(5);
    // on the scalar loop the outputs are not the rounded quotients: most positive sums give 255
    const garbage = wide.filter((c) => qnnpackAddScalarLoopStart(numelOf(c)) < numelOf(c) && expectedY(c).slice(qnnpackAddScalarLoopStart(numelOf(c))).some((v) => v === 255));
    expect(garbage.length).toBeGreaterThan(2);
    // on the SSE2 body |acc| / 2^shift < 1/2 always, which any rounding takes to 0, so y = z; psrad's sign fill gives
    // z - 1 for negative sums
    const signFill = wide.filter((c) => numelOf(c) >= 8 && expectedY(c).some((v) => v === (c.attrs!.zero_point as number) - 1));
    expect(signFill.length).toBeGreaterThan(5);
  });

  itMatchesEveryCase('torch-1.13-qnnpack-add', files);
});

/** Whether some element's m_a (a - z_a) + m_b (b - z_b) is an odd multiple of 2^(shift - 1) (an exact tie), by sign. */
function tieSigns(c: VectorCase): { negative: boolean; positive: boolean } {
  const a = (c.inputs!.a as { values: number[] }).values;
  const b = (c.inputs!.b as { values: number[] }).values;
  const s = f32(hexToF64(c.attrs!.scale));
  const ra = f32(f32(hexToF64(c.attrs!.a_scale)) / s);
  const rb = f32(f32(hexToF64(c.attrs!.b_scale)) / s);
  const shift = 21 - Math.floor(Math.log2(Math.max(ra, rb)));
  const ma = Math.round(ra * 2 ** shift);
  const mb = Math.round(rb * 2 ** shift);
  const signs = { negative: false, positive: false };
  a.forEach((qa, i) => {
    const acc = ma * (qa - (c.attrs!.a_zero_point as number)) + mb * ((b[i] as number) - (c.attrs!.b_zero_point as number));
    if (Math.abs(acc) % 2 ** shift === 2 ** (shift - 1)) signs[acc < 0 ? 'negative' : 'positive'] = true;
  });
  return signs;
}
