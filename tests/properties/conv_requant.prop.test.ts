/**
 * Requantization, scheme by scheme: the exact reference and the fast impl map every adversarial int32
 * accumulator to the same output (or the same typed error), under both int32 policies; every output lies
 * in the clamp range (the dtype range, raised to the zero point with ReLU), whatever the parameters.
 * Not vacuous: half of each case's accumulators are aimed inside the output range (and at exact ties
 * when the multiplier is a power of two), and the run must see every scheme, mostly unsaturated outputs
 * and over 150 distinct values.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { REQUANT_SCHEMES } from '../../contract/conv.js';
import { adversarialAccumulator, requantCase } from '../arbitraries/requant_channel.js';
import { checkProperty } from '../support/property.js';
import { requantPair } from '../../conformance/analysis/requant_pair.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;

/** Accumulators whose real output lands on q (and on the tie q + 1/2) for the channel's nominal multiplier. */
const aimedAccumulators = fc.array(fc.tuple(fc.double({ min: 0, max: 1, noNaN: true }), fc.integer({ min: -1, max: 1 })), { minLength: 10, maxLength: 30 });

describe('conv requantization: reference and impl agree on every scheme', () => {
  it('agree on adversarial accumulators, stay in the clamp range, and are not vacuous', () => {
    const schemes = new Set<string>();
    const distinct = new Set<number>();
    let outputs = 0;
    let inside = 0;
    let errors = 0;
    checkProperty(
      'conv requantization agrees',
      fc.record({ c: requantCase, accs: fc.array(adversarialAccumulator, { minLength: 10, maxLength: 30 }), aims: aimedAccumulators, wrap: fc.boolean() }),
      ({ c, accs, aims, wrap }) => {
        const ch = c.channel;
        const pair = requantPair(c.scheme, ch, wrap ? 'wrap' : 'check');
        const m = (ch.xScale * ch.wScale) / ch.yScale;
        const aimed = aims.map(([u, d]) => {
          const q = ch.outMin + u * (ch.outMax - ch.outMin) - ch.yZeroPoint + 0.5;
          return Math.max(INT32_MIN, Math.min(INT32_MAX, Math.round(q / m) + d - (ch.bias?.kind === 'int32' ? ch.bias.value : 0)));
        });
        schemes.add(c.scheme);
        for (const acc of [...accs, ...aimed]) {
          const [r, i] = [pair.ref(acc), pair.impl(acc)];
          if (r !== i) throw new Error(`${c.scheme} acc ${acc}: reference ${r}, impl ${i}`);
          if (typeof r === 'string') {
            errors++;
            continue;
          }
          if (r < ch.outMin || r > ch.outMax) throw new Error(`${c.scheme} acc ${acc}: output ${r} outside [${ch.outMin}, ${ch.outMax}]`);
          outputs++;
          distinct.add(r);
          if (r > ch.outMin && r < ch.outMax) inside++;
        }
      },
      1500,
    );
    expect([...schemes].sort()).toEqual([...REQUANT_SCHEMES].sort());
    expect(outputs).toBeGreaterThan(5 * errors);
    expect(inside / outputs).toBeGreaterThan(0.2);
    expect(distinct.size).toBeGreaterThan(150); // of the 384 values quint8 and qint8 hold
  });
});
