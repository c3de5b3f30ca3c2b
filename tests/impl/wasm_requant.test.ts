/**
 * The WebAssembly conv kernels' requantization (impl/conv/wasm/conv_kernels.h, through conv_kernels.c requant_values)
 * equals the exact reference on all 2^32 int32 accumulators, for every scheme whose epilogue runs in the kernel, by
 * the breakpoint proof of conformance/analysis/requant_proof.ts (the kernel's epilogue is monotone between the
 * scheme's cut points: positive multiplier, clamps, rounding). The channel grid mirrors
 * tests/properties/conv_requant_proof.test.ts: multipliers tiny, typical, exact powers of two (ties), just below 1
 * and >= 1 (torch-qnnpack@1 then keeps its cvtps2dq overflow emulation, REQUANT_QNNPACK; below 1 it runs as the
 * float-scale epilogue, impl/conv/wasm/requant_mode.ts qnnpackIsFloatScale), zero points at both dtype ends and the middle,
 * no bias, a small one and one near INT32_MAX (wrap point inside the range), ReLU. Not vacuous: each scheme proves
 * channels with output steps, in each kernel mode it can take. tflite-double-rounding@1's bounded form
 * (REQUANT_TFLITE_DOUBLE_BOUNDED) is proved on the accumulators its conditions admit, and shown wrong outside them.
 */
import { describe, expect, it } from 'vitest';
import type { RequantScheme } from '../../contract/conv.js';
import { SCHEME_RULES } from '../../contract/conv_schemes.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import { hexToF64 } from '../../contract/wire.js';
import type { ChannelQuantF } from '../../impl/requant/types.js';
import { WASM_REQUANT, tfliteDoubleBoundedHolds, wasmRequantMode } from '../../impl/conv/wasm/requant_mode.js';
import type { TfliteParamsF } from '../../impl/requant/tflite_double_rounding.js';
import { wasmRequantize } from '../../impl/conv/wasm/wasm_requantize.js';
import { requantCuts } from '../../conformance/analysis/requant_cuts.js';
import { requantPair } from '../../conformance/analysis/requant_pair.js';
import { proveOnAllInt32 } from '../../conformance/analysis/requant_proof.js';

const MULTIPLIERS = [2 ** -29.3, 0.00037, 2 ** -9, 0.4999, 0.999, 1.7, 6, 2 ** -4];
const KERNEL_SCHEMES: readonly RequantScheme[] = ['onnxruntime@1', 'xnnpack-fp32@1', 'torch-qnnpack@1', 'tflite-double-rounding@1', 'tflite-single-rounding@1'];

function channels(scheme: RequantScheme): ChannelQuantF[] {
  const rules = SCHEME_RULES[scheme];
  const out: ChannelQuantF[] = [];
  for (const dtype of rules.activations) {
    const { min, max } = DTYPE_RANGE[dtype];
    const xScale = Math.fround(0.05);
    const wScale = Math.fround(0.003);
    MULTIPLIERS.forEach((m, k) => {
      const zp = [min, max, Math.round((min + max) / 2) + 1][k % 3]!;
      const unit = xScale * wScale;
      const biasValue = [0, 1234, 2 ** 31 - 1 - 60000][k % 3]!;
      const bias = k % 3 === 0 ? null : { kind: rules.bias[0]!, value: rules.bias[0] === 'int32' ? biasValue : Math.fround(biasValue * unit) };
      const relu = k % 2 === 1;
      out.push({ xScale, wScale, yScale: Math.fround(Math.fround(xScale * wScale) / m), perChannel: k % 2 === 0, yZeroPoint: zp, bias, relu, outMin: relu ? Math.max(min, zp) : min, outMax: max, qnnpackPath: relu ? 'indirect' : 'gemm' });
    });
  }
  return out;
}

describe('the WebAssembly kernels\' requantization equals the reference on all 2^32 accumulators (breakpoint proof)', () => {
  for (const scheme of KERNEL_SCHEMES) {
    it(scheme, () => {
      let proved = 0;
      let steps = 0;
      const modes = new Set<number>();
      for (const c of channels(scheme)) {
        const pair = requantPair(scheme, c, 'wrap');
        if (pair.prepareError) continue; // a multiplier the scheme refuses
        const mode = wasmRequantMode(scheme, true, [pair.implParams]);
        if (mode === WASM_REQUANT.none) continue; // the JavaScript scheme requantizes (a shift or bound the kernel does not take)
        modes.add(mode);
        const wasmImpl = (acc: number) => wasmRequantize(scheme, pair.implParams, Int32Array.of(acc))![0]!;
        const report = proveOnAllInt32({ ...pair, impl: wasmImpl }, requantCuts(scheme, c, pair.implParams));
        expect(report.mismatches, JSON.stringify(c)).toEqual([]);
        proved++;
        steps += report.breakpoints;
      }
      expect(proved).toBeGreaterThanOrEqual(6);
      expect(steps).toBeGreaterThan(500);
      // torch-qnnpack@1 took both epilogues: the float-scale one (M < 1) and the cvtps2dq emulation (M >= 1)
      if (scheme === 'torch-qnnpack@1') expect([...modes].sort()).toEqual([WASM_REQUANT.floatScale, WASM_REQUANT.qnnpack]);
    });
  }

  it('agrees with the JavaScript requantization on many accumulators at once (whole vectors and a tail), not vacuously', () => {
    let changed = 0;
    const accs = Int32Array.from({ length: 4099 }, (_, i) => (Math.imul(i, 2654435761) >> (i % 23)) | 0);
    for (const scheme of KERNEL_SCHEMES) {
      for (const c of channels(scheme)) {
        const pair = requantPair(scheme, c, 'wrap');
        if (pair.prepareError || wasmRequantMode(scheme, true, [pair.implParams]) === WASM_REQUANT.none) continue;
        const got = wasmRequantize(scheme, pair.implParams, accs)!;
        const want = Array.from(accs, (a) => pair.impl(a));
        expect(Array.from(got), `${scheme} ${JSON.stringify(c)}`).toEqual(want);
        changed += new Set(want).size > 2 ? 1 : 0;
      }
    }
    expect(changed).toBeGreaterThan(20);
  });

  it('tflite-double-rounding@1 in its bounded form equals the reference on every accumulator its conditions admit, and not beyond them', () => {
    const scheme: RequantScheme = 'tflite-double-rounding@1';
    // besides the grid: no ReLU and zero points inside the range, so negative outputs (RDBPOT's away-from-zero ties)
    // are not clamped away, small biases of both signs, multipliers with right >= 1 including exact powers of two
    const unclamped: ChannelQuantF[] = [2 ** -9, 0.00037, 0.3, 2 ** -20, 0.4999, 2 ** -1.5].map((m, k) => {
      const [xScale, wScale] = [Math.fround(0.05), Math.fround(0.003)];
      const bias = [0, -1234, 56789][k % 3]!;
      return { xScale, wScale, yScale: Math.fround(Math.fround(xScale * wScale) / m), perChannel: false, yZeroPoint: [0, -60, 100][k % 3]!, bias: bias === 0 ? null : { kind: 'int32', value: bias }, relu: false, outMin: -128, outMax: 127, qnnpackPath: 'gemm' };
    });
    let proved = 0;
    let steps = 0;
    let refusedRight0 = 0;
    let differsBeyond = 0;
    for (const c of [...channels(scheme), ...unclamped]) {
      const pair = requantPair(scheme, c, 'wrap');
      if (pair.prepareError || wasmRequantMode(scheme, true, [pair.implParams]) !== WASM_REQUANT.tfliteDouble) continue;
      const p = pair.implParams as TfliteParamsF;
      const bounded = (accs: Int32Array) => wasmRequantize(scheme, p, accs, WASM_REQUANT.tfliteDoubleBounded)!;
      // the largest accumulator bound the conditions admit: bound + |bias| < 2^30 (with right >= 1, left is 0)
      const bound = 2 ** 30 - Math.abs(p.bias) - 1;
      if (p.right === 0) {
        // right >= 1 is a condition: with right 0 the bounded form adds 2^(r - 1) = 1/2, which is not an integer shift
        expect(tfliteDoubleBoundedHolds([p], 0)).toBe(false);
        const accs = Int32Array.from({ length: 4001 }, (_, i) => i - 2000);
        const want = Array.from(accs, (a) => pair.impl(a));
        if (Array.from(bounded(accs)).some((y, i) => y !== want[i])) refusedRight0++;
        continue;
      }
      expect(p.left).toBe(0);
      if (bound < 1) {
        expect(tfliteDoubleBoundedHolds([p], 0)).toBe(false); // a bias near INT32_MAX leaves no room
        continue;
      }
      expect(tfliteDoubleBoundedHolds([p], bound)).toBe(true);
      expect(tfliteDoubleBoundedHolds([p], bound + 1)).toBe(false);
      // the breakpoint proof on [-bound, bound]; outside it the JavaScript scheme (itself proved on all 2^32) stands in
      const inside = (acc: number) => (Math.abs(acc) <= bound ? bounded(Int32Array.of(acc))[0]! : pair.impl(acc));
      const report = proveOnAllInt32({ ...pair, impl: inside }, [...requantCuts(scheme, c, pair.implParams), -bound, bound + 1]);
      expect(report.mismatches, JSON.stringify(c)).toEqual([]);
      proved++;
      steps += report.breakpoints;
      // whole vectors and a tail (every lane, not only lane 0 as above): 4099 accumulators across the span where the
      // outputs move (about 300 output steps of 1 / M around 0, within the bound), each jittered by -3..3
      const span = Math.min(bound, Math.ceil(300 / (p.m / 2 ** (31 + p.right))));
      const spread = Int32Array.from({ length: 4099 }, (_, i) => Math.max(-bound, Math.min(bound, Math.round(-span + (2 * span * i) / 4098) + (i % 7) - 3)));
      expect(Array.from(bounded(spread)), JSON.stringify(c)).toEqual(Array.from(spread, (a) => pair.impl(a)));
      // beyond the bound 2a wraps: some accumulator there comes out differently
      const beyond = Int32Array.from({ length: 64 }, (_, i) => (i % 2 === 0 ? 1 : -1) * Math.min(2 ** 31 - 1, bound + 1 + i * 2 ** 20));
      const want = Array.from(beyond, (a) => pair.impl(a));
      if (Array.from(bounded(beyond)).some((y, i) => y !== want[i])) differsBeyond++;
    }
    expect(proved).toBeGreaterThanOrEqual(12);
    expect(steps).toBeGreaterThan(300);
    expect(refusedRight0).toBeGreaterThanOrEqual(1);
    expect(differsBeyond).toBeGreaterThanOrEqual(1);
  });

  it('the tflite schemes\' zero-point add wraps in the kernel as in the reference (contract/tflite_output_stage.ts): proved on all 2^32 accumulators where MultiplyByQuantizedMultiplier reaches within the zero point of +-2^31, not vacuously', () => {
    // single rounding at scale 1 (r = the biased accumulator); double rounding at float32 scales whose effective scale
    // lies within 2^-24 below 1 (QuantizeMultiplier's exponent 0, multiplier above 2^31 - 128: tests/backends/litert_zero_point_wrap.test.ts)
    const near = { xScale: hexToF64('401142b240000000'), wScale: hexToF64('3fe585e3a0000000'), yScale: hexToF64('400737fa00000000') };
    let proved = 0;
    let wrapsAtEnds = 0;
    for (const scheme of ['tflite-single-rounding@1', 'tflite-double-rounding@1'] as const)
      for (const dtype of ['qint8', 'quint8'] as const) {
        const { min, max } = DTYPE_RANGE[dtype];
        for (const zp of [min, min + 1, Math.round((min + max) / 2), max - 1, max])
          for (const biasValue of [0, 2 ** 31 - 1 - 60000, -(2 ** 31) + 60000]) {
            const scales = scheme === 'tflite-single-rounding@1' ? { xScale: 1, wScale: 1, yScale: 1 } : near;
            const c: ChannelQuantF = { ...scales, perChannel: false, yZeroPoint: zp, bias: biasValue === 0 ? null : { kind: 'int32', value: biasValue }, relu: false, outMin: min, outMax: max, qnnpackPath: 'gemm' };
            const pair = requantPair(scheme, c, 'wrap');
            expect(wasmRequantMode(scheme, true, [pair.implParams]), JSON.stringify(c)).not.toBe(WASM_REQUANT.none);
            const wasmImpl = (acc: number) => wasmRequantize(scheme, pair.implParams, Int32Array.of(acc))![0]!;
            const report = proveOnAllInt32({ ...pair, impl: wasmImpl }, requantCuts(scheme, c, pair.implParams));
            expect(report.mismatches, `${scheme} ${JSON.stringify(c)}`).toEqual([]);
            proved++;
            // the accumulator whose biased value is -2^31 comes out at the maximum when the int8 kernel's zero point is negative
            const zpKernel = zp - (dtype === 'quint8' ? 128 : 0);
            if (zpKernel < 0 && wasmImpl((-(2 ** 31) - biasValue) | 0) === max) wrapsAtEnds++;
          }
      }
    expect(proved).toBe(2 * 2 * 5 * 3);
    expect(wrapsAtEnds).toBeGreaterThanOrEqual(12);
  });
});
