/**
 * The WebAssembly conv kernels' requantization (impl/conv/wasm/conv_kernels.h, through conv_kernels.c requant_values)
 * equals the exact reference on all 2^32 int32 accumulators, for every scheme whose epilogue runs in the kernel, by
 * the breakpoint proof of conformance/analysis/requant_proof.ts (the kernel's epilogue is monotone between the
 * scheme's cut points: positive multiplier, clamps, rounding). The channel grid mirrors
 * tests/properties/conv_requant_proof.test.ts: multipliers tiny, typical, exact powers of two (ties), just below 1
 * and >= 1 (torch-qnnpack@1 then keeps its cvtps2dq overflow emulation, REQUANT_QNNPACK; below 1 it runs as the
 * float-scale epilogue, impl/conv/wasm/requant_mode.ts qnnpackIsFloatScale), zero points at both dtype ends and the middle,
 * no bias, a small one and one near INT32_MAX (wrap point inside the range), ReLU. Not vacuous: each scheme proves
 * channels with output steps, in each kernel mode it can take.
 */
import { describe, expect, it } from 'vitest';
import type { RequantScheme } from '../../contract/conv.js';
import { SCHEME_RULES } from '../../contract/conv_schemes.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { ChannelQuantF } from '../../impl/requant/types.js';
import { WASM_REQUANT, wasmRequantMode } from '../../impl/conv/wasm/requant_mode.js';
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
});
