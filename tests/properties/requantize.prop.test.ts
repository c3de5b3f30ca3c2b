/**
 * requantize@1: the exact reference and the fast impl agree on adversarial accumulators for both TFLite
 * schemes, across the whole multiplier and shift range (typed errors included), outputs stay in
 * [output_min, output_max]; and the op is the conv schemes' arithmetic: with the multiplier and shift
 * QuantizeMultiplier derives, it gives what the conv requantization of reference/requant gives.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { evaluateRequest } from '../../conformance/protocol/dispatch.js';
import { impl } from '../../impl/index.js';
import { reference } from '../../reference/index.js';
import { REQUANT_REFERENCE } from '../../reference/requant/index.js';
import { fromFloat64 } from '../../reference/exact/ieee_bits.js';
import { quantizeMultiplier, tfliteEffectiveScale } from '../../reference/requant/tflite_multiplier.js';
import type { ChannelQuant } from '../../reference/requant/types.js';
import { REQUANTIZE_SCHEMES } from '../../contract/requantize.js';
import { adversarialAccumulator } from '../arbitraries/requant_channel.js';
import { checkProperty } from '../support/property.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

const request = (scheme: string, acc: number[], multiplier: number, shift: number, zp: number, lo: number, hi: number) => ({
  id: 'r',
  op: 'requantize@1',
  attrs: { scheme, multiplier, shift, zero_point: zp, output_min: lo, output_max: hi },
  inputs: { acc: { dtype: 'int32', shape: [acc.length], values: acc } },
});

const multiplier = fc.oneof(
  { weight: 6, arbitrary: fc.integer({ min: 2 ** 30, max: INT32_MAX }) },
  { weight: 2, arbitrary: fc.constantFrom(0, 1, 2 ** 30, INT32_MAX) },
  { weight: 2, arbitrary: fc.integer({ min: 0, max: INT32_MAX }) },
  { weight: 1, arbitrary: fc.constantFrom(-1, 2 ** 31) },
);
const shift = fc.oneof({ weight: 10, arbitrary: fc.integer({ min: -31, max: 30 }) }, { weight: 1, arbitrary: fc.constantFrom(-32, 31) });
const range = fc.oneof({ weight: 10, arbitrary: fc.constantFrom([-128, 127], [0, 255], [INT32_MIN, INT32_MAX]) }, { weight: 1, arbitrary: fc.constant([5, 3]) });

describe('requantize@1', () => {
  it('reference and impl agree (outputs and typed errors) and outputs lie in the clamp range', () => {
    let outputs = 0;
    let errors = 0;
    checkProperty(
      'requantize@1 reference = impl',
      fc.record({
        scheme: fc.constantFrom(...REQUANTIZE_SCHEMES),
        acc: fc.array(adversarialAccumulator, { minLength: 1, maxLength: 20 }),
        multiplier,
        shift,
        zp: fc.integer({ min: -200, max: 200 }),
        range,
      }),
      ({ scheme, acc, multiplier: m, shift, zp, range: [lo, hi] }) => {
        const req = request(scheme, acc, m, shift, zp, lo as number, hi as number);
        const ref = evaluateRequest(reference, req);
        expect(evaluateRequest(impl, req)).toEqual(ref);
        if ('error' in ref) {
          errors++;
          expect(ref.error.code).toBe('requant_precondition');
          return;
        }
        outputs++;
        for (const v of (ref.outputs.y as { values: number[] }).values) expect(v >= (lo as number) && v <= (hi as number)).toBe(true);
      },
      500,
    );
    expect(outputs).toBeGreaterThan(300);
    expect(errors).toBeGreaterThan(10);
  });

  it('is the conv schemes\' requantization with QuantizeMultiplier\'s (multiplier, shift)', () => {
    checkProperty(
      'requantize@1 = conv requantization',
      fc.record({ scheme: fc.constantFrom(...REQUANTIZE_SCHEMES), scale: fc.double({ min: 1e-6, max: 0.9, noNaN: true }), acc: fc.array(adversarialAccumulator, { minLength: 1, maxLength: 10 }), zp: fc.integer({ min: -128, max: 127 }) }),
      ({ scheme, scale, acc, zp }) => {
        const one = fromFloat64(1);
        const c: ChannelQuant = {
          xScale: fromFloat64(scale),
          wScale: one,
          yScale: one,
          perChannel: false,
          yZeroPoint: BigInt(zp),
          bias: null,
          relu: false,
          outMin: -128n,
          outMax: 127n,
        };
        const { m, e } = quantizeMultiplier(tfliteEffectiveScale(c), scheme === 'tflite-single-rounding@1');
        const requant = REQUANT_REFERENCE[scheme];
        const params = requant.prepare(c);
        const expected = acc.map((a) => Number(requant.requantize(BigInt(a), params, 'wrap')));
        const got = evaluateRequest(reference, request(scheme, acc, Number(m), e, zp, -128, 127));
        expect(got).toEqual({ id: 'r', outputs: { y: { dtype: 'int32', shape: [acc.length], values: expected } } });
      },
      200,
    );
  });
});
