/**
 * The reference's exact exp and log intervals (reference/exact/transcendental.ts) and the QLinearSoftmax exp table
 * built on them: the intervals are narrow, contain the known values, and sit within one ulp of V8's faithful
 * Math.exp / Math.log; the reference table (correctly rounded log, exact exp, one rounding to float32) equals the
 * contract's pinned table (Math.exp with its neighbours) entry for entry, over reduce lengths and x_scales.
 */
import { describe, expect, it } from 'vitest';
import { CaseRandom } from '../../conformance/cases/random.js';
import { checkQLinearSoftmax } from '../../contract/qlinear_softmax_checks.js';
import { f32Tensor, intTensor } from '../../contract/tensor.js';
import { fromFloat64, toNumber } from '../../reference/exact/ieee_bits.js';
import { BINARY64, exactValue } from '../../reference/exact/ieee_value.js';
import { Rational } from '../../reference/exact/rational.js';
import { roundToFormat } from '../../reference/exact/round_to_format.js';
import { expInterval, logInterval } from '../../reference/exact/transcendental.js';
import { softmaxExpTable } from '../../reference/onnx/qlinear_softmax.js';

const exact = (x: number) => exactValue(fromFloat64(x));
const round64 = (r: Rational) => toNumber(roundToFormat(r, BINARY64));
const ulp = (x: number) => {
  const e = Math.floor(Math.log2(Math.abs(x)));
  return 2 ** (Math.max(e, -1022) - 52);
};

describe('exact exp and log intervals', () => {
  it('contain the known values and are narrow', () => {
    const one = expInterval(Rational.ZERO);
    expect(one.lo.le(Rational.ONE) && Rational.ONE.le(one.hi)).toBe(true);
    const zero = logInterval(Rational.ONE);
    expect(zero.lo.le(Rational.ZERO) && Rational.ZERO.le(zero.hi)).toBe(true);
    const e8 = expInterval(Rational.fromInt(8)); // ln(e^8) = 8 through both
    const back = logInterval(e8.lo);
    expect(back.lo.lt(Rational.fromInt(8)) && Rational.fromInt(8).sub(back.hi).lt(Rational.pow2(-200))).toBe(true);
    const width = e8.hi.sub(e8.lo).div(e8.lo);
    expect(width.lt(Rational.pow2(-200))).toBe(true);
  });

  it('are within one ulp of V8 Math.exp and Math.log (both faithful), not vacuously', () => {
    const r = new CaseRandom('transcendental');
    let notCorrectlyRounded = 0;
    for (let k = 0; k < 300; k++) {
      const x = (r.next() * 2 - 1) * 2 ** r.int(-20, 6);
      const e = round64(expInterval(exact(x)).lo);
      expect(Math.abs(e - Math.exp(x)), `exp(${x})`).toBeLessThanOrEqual(ulp(e));
      if (e !== Math.exp(x)) notCorrectlyRounded++;
      const y = Math.abs(x) * 2 ** r.int(-10, 60) || 1;
      const l = round64(logInterval(exact(y)).hi);
      expect(Math.abs(l - Math.log(y)), `log(${y})`).toBeLessThanOrEqual(ulp(l));
    }
    expect(notCorrectlyRounded, 'Math.exp results that are not the correctly rounded value').toBeGreaterThan(0);
  });
});

describe('the QLinearSoftmax exp table', () => {
  it('reference (exact) equals the contract (pinned Math.exp) entry for entry', () => {
    const r = new CaseRandom('softmax-table');
    for (let k = 0; k < 12; k++) {
      const d = r.pick([1, 2, 3, 7, 16, 100, 256, 1000]);
      const xs = Math.fround(2 ** (r.next() * 9 - 8));
      const g = checkQLinearSoftmax('t', { x: intTensor('quint8', [d], new Int32Array(d)), xScale: f32Tensor([], [xs]), xZeroPoint: null, yScale: f32Tensor([], [1 / 64]), yZeroPoint: intTensor('quint8', [], [0]), axis: 0, opset: 13 });
      const table = softmaxExpTable(d, xs).map(toNumber);
      expect(table, `D = ${d}, x_scale = ${xs}`).toEqual(Array.from(g.expTable));
      expect(table[255]! > 1e30 / d && table[0]! >= 0).toBe(true);
    }
  });
});
