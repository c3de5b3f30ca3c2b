import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fromFloat32 } from '../../reference/exact/ieee_bits.js';
import { describe as describeValue } from '../../reference/exact/ieee_value.js';
import { quantizationError } from '../../reference/observers/histogram/quantization_error.js';
import { checkProperty } from '../support/property.js';

/**
 * The reference's _compute_quantization_error leaves out the bins with h = 0 when emptyBinNormsAreZero proves their
 * norm is +0. Every model here is computed both ways, bin by bin and with the shortcut, and must give the same float32
 * bits (the sign of zero and NaN included). The models reach the guard's edges: ranges near 2^30 and far above it
 * (cubes that overflow), tiny ranges whose float32 bin width underflows to 0, NaN and infinite bins, qint32's 2^32
 * destination bins.
 */
const f32 = (x: number) => fromFloat32(Math.fround(x));
const magnitude = fc.constantFrom(1e-40, 1e-30, 1e-3, 1, 1e6, 2 ** 29, 2 ** 30, 2 ** 31, 1e13, 1e30);
const binValue = fc.oneof(
  { weight: 6, arbitrary: fc.constantFrom(0, -0) },
  { weight: 6, arbitrary: fc.integer({ min: 1, max: 1000 }) },
  { weight: 1, arbitrary: fc.constantFrom(NaN, Infinity, 0.5, 1e-45) },
);
const modelArb = fc
  .record({
    histogram: fc.array(binValue, { minLength: 1, maxLength: 40 }),
    min: fc.double({ min: -1, max: 1, noNaN: true }),
    width: fc.double({ min: 0, max: 4, noNaN: true }),
    scale: magnitude,
    dstBins: fc.constantFrom(256, 2 ** 32),
    a: fc.nat(),
    b: fc.nat(),
  })
  .map(({ histogram, min, width, scale, dstBins, a, b }) => {
    const bins = histogram.length;
    const [s, e] = [a % bins, b % bins].sort((x, y) => x - y) as [number, number];
    const model = { histogram: histogram.map(f32), minVal: f32(min * scale), maxVal: f32((min + width) * scale), dstBins, lanes: 8 as const };
    return { model, s, e, hasEmptyBin: histogram.some((h) => h === 0), scale };
  });

describe('quantizationError: the empty-bin shortcut changes no bit', () => {
  it('gives the bits of the bin-by-bin computation on every model', () => {
    let withEmptyBins = 0;
    let nonFinite = 0;
    let hugeRange = 0;
    checkProperty('quantizationError empty-bin shortcut', modelArb, ({ model, s, e, hasEmptyBin, scale }) => {
      const fast = describeValue(quantizationError(model, s, e));
      const full = describeValue(quantizationError(model, s, e, false));
      expect(fast, `bins ${s}..${e}`).toBe(full);
      if (hasEmptyBin) withEmptyBins++;
      if (hasEmptyBin && /nan|inf/i.test(full)) nonFinite++;
      if (hasEmptyBin && scale >= 2 ** 31) hugeRange++;
    }, 400);
    // not vacuous: empty bins were skipped, and models where skipping them would be wrong (NaN or inf) were met
    expect(withEmptyBins).toBeGreaterThan(200);
    expect(nonFinite).toBeGreaterThan(5);
    expect(hugeRange).toBeGreaterThan(20);
  });
});
