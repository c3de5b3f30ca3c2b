/**
 * The 2^32 proof (requant_proof.ts) for every scheme over a grid of channels: multipliers tiny, typical,
 * exact powers of two (ties), just below 1 and >= 1; zero points at both dtype ends; no bias, a small one,
 * one within 70,000 of INT32_MAX (its wrap point inside the accumulator range); ReLU. Each proof also
 * asserts it was not vacuous: it found output steps to check.
 */
import { describe, expect, it } from 'vitest';
import { REQUANT_SCHEMES, type RequantScheme } from '../../contract/conv.js';
import { SCHEME_RULES } from '../../contract/conv_schemes.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { ChannelQuantF } from '../../impl/requant/types.js';
import { requantCuts } from '../../conformance/analysis/requant_cuts.js';
import { requantPair } from '../../conformance/analysis/requant_pair.js';
import { proveOnAllInt32 } from '../../conformance/analysis/requant_proof.js';

const MULTIPLIERS = [2 ** -29.3, 0.00037, 2 ** -9, 0.4999, 0.999, 1.7, 6];

function channels(scheme: RequantScheme): ChannelQuantF[] {
  const rules = SCHEME_RULES[scheme];
  const dtype = rules.activations[rules.activations.length - 1]!;
  const { min, max } = DTYPE_RANGE[dtype];
  const xScale = Math.fround(0.05);
  const wScale = Math.fround(0.003);
  return MULTIPLIERS.map((m, k) => {
    const zp = [min, max, Math.round((min + max) / 2) + 1][k % 3]!;
    const unit = xScale * wScale;
    const biasValue = [0, 1234, 2 ** 31 - 1 - 60000][k % 3]!;
    const bias = k % 3 === 0 ? null : { kind: rules.bias[0]!, value: rules.bias[0] === 'int32' ? biasValue : Math.fround(biasValue * unit) };
    const relu = k % 2 === 1;
    return { xScale, wScale, yScale: Math.fround((Math.fround(xScale * wScale)) / m), perChannel: k % 2 === 0, yZeroPoint: zp, bias, relu, outMin: relu ? Math.max(min, zp) : min, outMax: max, qnnpackPath: relu ? 'indirect' : 'gemm' };
  });
}

describe('requantization equals its reference on all 2^32 accumulators (breakpoint proof)', () => {
  for (const scheme of REQUANT_SCHEMES) {
    it(`${scheme}`, () => {
      let proved = 0;
      let steps = 0;
      for (const c of channels(scheme)) {
        const pair = requantPair(scheme, c, 'wrap');
        if (pair.prepareError) continue; // a multiplier the scheme refuses (same error on both sides)
        const report = proveOnAllInt32(pair, requantCuts(scheme, c, pair.implParams));
        expect(report.mismatches, JSON.stringify(c)).toEqual([]);
        proved++;
        steps += report.breakpoints;
      }
      expect(proved).toBeGreaterThanOrEqual(5);
      expect(steps).toBeGreaterThan(500);
    });
  }
});
