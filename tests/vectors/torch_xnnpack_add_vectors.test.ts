import { describe, expect, it } from 'vitest';
import { TORCH_XNNPACK_ADD_VECTORS_DIR, type VectorCase, readVectorSet } from '../../conformance/vectors/vector_set.js';
import { hexToF64 } from '../../contract/wire.js';
import { integerAddMultipliers } from '../../impl/integer_add_multipliers.js';
import { itMatchesEveryCase } from '../support/vector_verdict.js';

/**
 * quantized::add / add_relu on qint8 under torch 1.13's qnnpack engine (XNNPACK's qs8 add,
 * vectors/torch-1.13-xnnpack-add): every case bit for bit through the reference and the impl. No torch is needed to run
 * this. Non-vacuity: ties whose rounding half up (not away from zero) decides, ReLU, ratios near 2^-10, refusals.
 */
const { manifest, files } = readVectorSet(TORCH_XNNPACK_ADD_VECTORS_DIR);
const all = files.flatMap((f) => f.cases);
const cases = all.filter((c) => 'outputs' in c.expect);
const f32 = Math.fround;
const ratio = (c: VectorCase, name: string) => f32(f32(hexToF64(c.attrs![name])) / f32(hexToF64(c.attrs!.scale)));

describe(`xnnpack add vectors from ${manifest.oracle}`, () => {
  it('hold ReLU, ratios near 2^-10 and refusals of each kind (non-vacuity)', () => {
    expect(cases.filter((c) => c.attrs!.relu === true).length).toBeGreaterThan(80);
    expect(cases.filter((c) => Math.max(ratio(c, 'a_scale'), ratio(c, 'b_scale')) < 2 ** -9).length).toBeGreaterThan(10);
    const errors = all.filter((c) => 'error' in c.expect).map((c) => (c.expect as { error: { code: string } }).error.code);
    for (const code of ['unsupported_by_scheme', 'invalid_dtype', 'shape_mismatch']) expect(errors.filter((e) => e === code).length, code).toBeGreaterThan(1);
  });

  it('hold exact ties of both signs: negative ones tell rounding half up from half away from zero (QNNPACK\'s), positive ones from half down or even (non-vacuity)', () => {
    const ties = cases.map(tieSigns);
    expect(ties.filter((t) => t.negative).length).toBeGreaterThan(20);
    expect(ties.filter((t) => t.positive).length).toBeGreaterThan(20);
  });

  itMatchesEveryCase('torch-1.13-xnnpack-add', files);
});

/** Whether some element's m_a (a - z_a) + m_b (b - z_b) is an odd multiple of 2^(shift - 1) (an exact tie), by sign. */
function tieSigns(c: VectorCase): { negative: boolean; positive: boolean } {
  const at = c.attrs!;
  const { aMultiplier, bMultiplier, shift } = integerAddMultipliers({ aScale: hexToF64(at.a_scale), bScale: hexToF64(at.b_scale), scale: hexToF64(at.scale), aZeroPoint: 0, bZeroPoint: 0, zeroPoint: 0, relu: false }, 20);
  const b = (c.inputs!.b as { values: number[] }).values;
  const signs = { negative: false, positive: false };
  (c.inputs!.a as { values: number[] }).values.forEach((qa, i) => {
    const acc = aMultiplier * (qa - (at.a_zero_point as number)) + bMultiplier * ((b[i] as number) - (at.b_zero_point as number));
    if (Math.abs(acc) % 2 ** shift === 2 ** (shift - 1)) signs[acc < 0 ? 'negative' : 'positive'] = true;
  });
  return signs;
}
