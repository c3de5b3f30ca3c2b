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
import type { TosaParams } from '../../reference/requant/tosa_rescale.js';
import type { ChannelQuant } from '../../reference/requant/types.js';
import { isQconformError } from '../../contract/errors.js';
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
    const outputs = { tflite: 0, tosa: 0 };
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
        outputs[scheme.startsWith('tosa-') ? 'tosa' : 'tflite']++;
        for (const v of (ref.outputs.y as { values: number[] }).values) expect(v >= (lo as number) && v <= (hi as number)).toBe(true);
      },
      500,
    );
    expect(outputs.tflite).toBeGreaterThan(150);
    expect(outputs.tosa).toBeGreaterThan(60); // TOSA REQUIREs more: shift <= 29, acc within +-2^(30 - shift), 8-bit zero points
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
          qnnpackPath: 'gemm',
        };
        const requant = REQUANT_REFERENCE[scheme];
        const params = requant.prepare(c);
        // TOSA's (multiplier, right shift) from computeMultiplierAndShiftTosaScale32, as TFLite's exponent 31 - s
        const { m, e } = scheme.startsWith('tosa-')
          ? { m: (params as TosaParams).multiplier, e: 31 - (params as TosaParams).shift }
          : quantizeMultiplier(tfliteEffectiveScale(c), scheme === 'tflite-single-rounding@1');
        const got = evaluateRequest(reference, request(scheme, acc, Number(m), e, zp, -128, 127));
        let expected: number[];
        try {
          expected = acc.map((a) => Number(requant.requantize(BigInt(a), params, 'wrap')));
        } catch (err) {
          // TOSA's REQUIRE on the value range: the same typed error from both
          expect(isQconformError(err) && err.code).toBe('requant_precondition');
          expect('error' in got && got.error.code).toBe('requant_precondition');
          return;
        }
        expect(got).toEqual({ id: 'r', outputs: { y: { dtype: 'int32', shape: [acc.length], values: expected } } });
      },
      200,
    );
  });

  it('tells TOSA single_round from double_round (shift > 31 ties) and refuses what TOSA REQUIREs', () => {
    const tie = (scheme: string) => evaluateRequest(reference, request(scheme, [3 * 2 ** 1, -(3 * 2 ** 1), 5], 2 ** 30, -1, 0, INT32_MIN, INT32_MAX));
    // m = 2^30, s = 32: acc / 4; 6 / 4 = 1.5 rounds up once (2) and, from the high half, away twice (2); -6 / 4 = -1.5: -1 vs -2; 5 / 4 = 1.25: 1 vs 2 (1.25 -> 2.5 at bit 31 -> 3, then 1.5 away -> 2)
    expect(tie('tosa-single-round@1')).toEqual({ id: 'r', outputs: { y: { dtype: 'int32', shape: [3], values: [2, -1, 1] } } });
    expect(tie('tosa-double-round@1')).toEqual({ id: 'r', outputs: { y: { dtype: 'int32', shape: [3], values: [2, -2, 2] } } });
    for (const [acc, shift, zp] of [[[2 ** 29], 1, 0], [[0], 30, 0], [[0], 0, 256]] as const) {
      for (const scheme of ['tosa-single-round@1', 'tosa-double-round@1']) {
        const r = evaluateRequest(impl, request(scheme, [...acc], 2 ** 30, shift, zp, INT32_MIN, INT32_MAX));
        expect('error' in r && r.error.code).toBe('requant_precondition');
      }
    }
  });
});
