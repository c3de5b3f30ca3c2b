/**
 * impl's WebAssembly conv (impl/conv/wasm_conv.ts) against its JavaScript path, bit for bit, on layers larger
 * than the property generator draws: many channels (so every kernel's 4-channel blocks and 3-vector blocks
 * run, with remainders), odd input-channel counts, widths from 1 to 61, strides, dilations, padding, groups,
 * depthwise with a channel multiplier, batches, per-channel weight zero points, relu, every scheme on
 * int32_wrap, exact, sat16_pairs and sat16_pairs_im2col (whose saturation must change some outputs). The JavaScript path is the one the vectors and the reference check everywhere else
 * (tests/properties/conv_agreement.prop.test.ts also runs both against the reference). Seeded; each failure
 * names its seed and geometry.
 */
import { describe, expect, it } from 'vitest';
import { type Conv2dArgs, REQUANT_SCHEMES } from '../../contract/conv.js';
import { f64Tensor, intTensor } from '../../contract/tensor.js';
import { CaseRandom } from '../../conformance/cases/random.js';
import { KINDS, convFor, drawGeometry, outcome } from '../support/conv_draw.js';
import { implOnConvPath } from '../../impl/index.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import { channelQuant } from '../../impl/conv/channel_quant.js';
import { WASM_REQUANT, wasmRequantMode } from '../../impl/conv/wasm/requant_mode.js';
import type { WasmKernelCounts } from '../../impl/conv/wasm_conv.js';
import { REQUANT_IMPL } from '../../impl/requant/index.js';

const counter = { wasm: 0, kernels: {} as WasmKernelCounts };
const wasm = implOnConvPath('wasm', counter);
const js = implOnConvPath('js');

describe('impl conv: WebAssembly path == JavaScript path on larger layers', () => {
  it('agrees on every scheme, int32_wrap, exact, sat16_pairs and sat16_pairs_im2col, dense / depthwise (and its 3x3 fast path) / pointwise / grouped, not vacuously', () => {
    let compared = 0;
    let withOutputs = 0;
    let sat16Changed = 0;
    const inWasm = { int32_wrap: 0, exact: 0, sat16_pairs: 0, sat16_pairs_im2col: 0 };
    const onFastPath = new Set<string>();
    const before = counter.wasm;
    for (const scheme of REQUANT_SCHEMES) {
      for (const accumulator of ['int32_wrap', 'exact', 'sat16_pairs', 'sat16_pairs_im2col'] as const) {
        for (const kind of KINDS) {
          const seed = `wasm-conv ${scheme} ${accumulator} ${kind}`;
          const r = new CaseRandom(seed);
          for (let i = 0; i < 3; i++) {
            const g = drawGeometry(r, kind);
            const fastBefore = counter.kernels.depthwise_3x3 ?? 0;
            const a = convFor(r, g, scheme, accumulator);
            const wasmBefore = counter.wasm;
            const got = outcome(() => wasm.quantizedConv2d(a));
            const want = outcome(() => js.quantizedConv2d(a));
            if (counter.wasm > wasmBefore) inWasm[accumulator]++;
            if ((counter.kernels.depthwise_3x3 ?? 0) > fastBefore) onFastPath.add(`${scheme} ${accumulator}`);
            compared++;
            if (!want.startsWith('error')) withOutputs++;
            expect(got, `seed "${seed}" case ${i}: ${JSON.stringify(g)}`).toBe(want);
            if (accumulator.startsWith('sat16') && !want.startsWith('error') && want !== outcome(() => js.quantizedConv2d({ ...a, accumulator: 'int32_wrap' }))) sat16Changed++;
          }
        }
      }
    }
    expect(compared).toBe(REQUANT_SCHEMES.length * 4 * KINDS.length * 3);
    // the depthwise 3x3 kernel ran for every scheme on int32_wrap, exact and sat16_pairs (one input channel per group: int32_wrap's sum)
    for (const scheme of REQUANT_SCHEMES) for (const acc of ['int32_wrap', 'exact', 'sat16_pairs']) expect(onFastPath.has(`${scheme} ${acc}`), `${scheme} ${acc} on the depthwise 3x3 kernel`).toBe(true);
    expect(withOutputs / compared).toBeGreaterThan(0.8);
    expect(counter.wasm - before).toBeGreaterThan(0.7 * withOutputs);
    expect(sat16Changed).toBeGreaterThan(10); // the int16 saturation changed some outputs
    for (const [accumulator, n] of Object.entries(inWasm)) expect(n, accumulator).toBeGreaterThan(20); // each model ran in WebAssembly
  });

  it('agrees on both tflite schemes across the multiplier range (left shifts to 30, right shifts to 31, single-rounding shifts on both sides of 32), not vacuously', () => {
    let compared = 0;
    let inside = 0;
    let inKernel = 0;
    let withOutputs = 0;
    const before = counter.wasm;
    for (const scheme of ['tflite-double-rounding@1', 'tflite-single-rounding@1'] as const) {
      const seed = `wasm-conv ${scheme} multiplier range`;
      const r = new CaseRandom(seed);
      for (let e = -34; e <= 30; e += 2) {
        const g = drawGeometry(r, r.int(0, 1) === 0 ? 'dense' : 'depthwise 3x3');
        const base = convFor(r, g, scheme, 'int32_wrap');
        // effective scale xScale * wScale / yScale near 2^e; with large scales, mostly zero-point weights keep some accumulators small
        const sparse = e > -8;
        const weight = intTensor('qint8', base.weight.shape, Array.from(base.weight.data, (v) => (sparse && r.int(0, 7) !== 0 ? 0 : v)));
        const zpCount = base.weightScales.data.length;
        const a: Conv2dArgs = {
          ...base,
          weight,
          weightZeroPoints: intTensor('int64', [zpCount], new Array(zpCount).fill(0)),
          xScale: Math.fround(0.5 + r.next()),
          weightScales: f64Tensor([zpCount], Array.from({ length: zpCount }, () => Math.fround(2 ** e * (1 + r.next())))),
          yScale: 1,
        };
        const got = outcome(() => wasm.quantizedConv2d(a));
        const want = outcome(() => js.quantizedConv2d(a));
        expect(got, `seed "${seed}" 2^${e}: ${JSON.stringify(g)}`).toBe(want);
        compared++;
        if (want.startsWith('error')) continue;
        withOutputs++;
        const geometry = checkConv2d(a);
        const params = Array.from({ length: geometry.oc }, (_, oc) => REQUANT_IMPL[scheme].prepare(channelQuant(a, geometry, oc)));
        if (wasmRequantMode(scheme, true, params) !== WASM_REQUANT.none) inKernel++;
        const [lo, hi] = a.x.dtype === 'quint8' ? [0, 255] : [-128, 127];
        inside += want.split(',').filter((v) => Number(v) > lo && Number(v) < hi).length;
      }
    }
    expect(compared).toBe(2 * 33);
    expect(withOutputs).toBeGreaterThan(0.8 * compared);
    expect(counter.wasm - before).toBe(withOutputs);
    expect(inKernel).toBeGreaterThan(0.9 * withOutputs); // the kernel requantized them (left <= 30, right <= 31)
    expect(inside).toBeGreaterThan(1000);
  });

  it('declines an exact accumulator it cannot prove within int32, and the JavaScript path raises accumulator_overflow', () => {
    // 64 x 23 x 23 taps of |x - z_x| = 255 and |w - z_w| = 255: |acc| reaches 2.2e9 > 2^31 - 1
    const c = 64;
    const k = 23;
    const a: Conv2dArgs = {
      x: intTensor('quint8', [1, c, k, k], new Array(c * k * k).fill(255)),
      xScale: 1, xZeroPoint: 0,
      weight: intTensor('qint8', [1, c, k, k], new Array(c * k * k).fill(127)),
      weightQuantization: 'per_tensor', weightScales: f64Tensor([1], [1]), weightZeroPoints: intTensor('int64', [1], [-128]),
      bias: null, stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, relu: false,
      yScale: 1, yZeroPoint: 0, scheme: 'exact@1', accumulator: 'exact',
    };
    const before = counter.wasm;
    expect(outcome(() => wasm.quantizedConv2d(a))).toBe('error accumulator_overflow');
    expect(counter.wasm).toBe(before);
    expect(outcome(() => wasm.quantizedConv2d({ ...a, accumulator: 'int32_wrap' }))).toBe(outcome(() => js.quantizedConv2d({ ...a, accumulator: 'int32_wrap' })));
    expect(counter.wasm).toBe(before + 1);
  });

  it('gives the JavaScript path\'s typed error for an input value outside its dtype, alone or with a later broken rule', () => {
    const r = new CaseRandom('wasm-conv invalid input');
    const a = convFor(r, drawGeometry(r, 'dense'), 'onnxruntime@1', 'int32_wrap');
    const data = a.x.data.slice();
    data[data.length - 1] = a.x.dtype === 'quint8' ? 256 : 128;
    const bad = { ...a, x: { ...a.x, data } };
    for (const b of [bad, { ...bad, yScale: -1 }, { ...bad, weightScales: f64Tensor([bad.weightScales.data.length], new Array(bad.weightScales.data.length).fill(1e30)) }]) {
      const want = outcome(() => js.quantizedConv2d(b));
      expect(want).toMatch(/^error /);
      expect(outcome(() => wasm.quantizedConv2d(b))).toBe(want);
    }
    expect(outcome(() => wasm.quantizedConv2d(bad))).toBe('error invalid_integer');
  });

  it('gives the JavaScript path\'s typed error for a weight outside qint8, alone, with a later broken rule, and written in place after a cached call', () => {
    for (const kind of ['dense', 'depthwise 3x3'] as const) {
      const r = new CaseRandom(`wasm-conv invalid weight ${kind}`);
      const a = convFor(r, drawGeometry(r, kind), 'onnxruntime@1', 'int32_wrap');
      const weight = a.weight.data.slice();
      weight[weight.length - 1] = 128;
      const bad = { ...a, weight: { ...a.weight, data: weight } };
      for (const b of [bad, { ...bad, yScale: -1 }]) {
        const want = outcome(() => js.quantizedConv2d(b));
        expect(want, kind).toMatch(/^error /);
        expect(outcome(() => wasm.quantizedConv2d(b)), kind).toBe(want);
      }
      expect(outcome(() => wasm.quantizedConv2d(bad)), kind).toBe('error invalid_integer');
      const before = counter.wasm;
      expect(outcome(() => wasm.quantizedConv2d(a)), kind).not.toMatch(/^error /); // packs and caches the valid weights
      expect(counter.wasm, kind).toBe(before + 1);
      const saved = a.weight.data[0] as number;
      a.weight.data[0] = -129;
      expect(outcome(() => wasm.quantizedConv2d(a)), kind).toBe('error invalid_integer');
      a.weight.data[0] = saved;
    }
  });

  it('repacks weights written in place between calls (the prepack cache never serves stale values)', () => {
    const r = new CaseRandom('wasm-conv weights in place');
    const a = convFor(r, drawGeometry(r, 'dense'), 'xnnpack-fp32@1', 'int32_wrap');
    const first = outcome(() => wasm.quantizedConv2d(a));
    expect(first).toBe(outcome(() => js.quantizedConv2d(a)));
    a.weight.data.reverse();
    const second = outcome(() => wasm.quantizedConv2d(a));
    expect(second).toBe(outcome(() => js.quantizedConv2d(a)));
    expect(second).not.toBe(first);
  });
});

describe('impl conv: the depthwise 3x3 WebAssembly kernel (impl/conv/wasm/depthwise_3x3_kernels.c) == JavaScript path', () => {
  it('agrees on every scheme and accumulator it serves, both strides, every padding and width remainder, with the requantization in the kernel or after it, not vacuously', () => {
    const fast = () => counter.kernels.depthwise_3x3 ?? 0;
    const modes = new Set<number>();
    const geometries = new Set<string>();
    let compared = 0;
    let onFastPath = 0;
    let inside = 0;
    for (const scheme of REQUANT_SCHEMES) {
      for (const accumulator of ['int32_wrap', 'exact', 'sat16_pairs', 'sat16_pairs_im2col'] as const) {
        const seed = `wasm-conv depthwise 3x3 kernel ${scheme} ${accumulator}`;
        const r = new CaseRandom(seed);
        for (let i = 0; i < 6; i++) {
          const g = drawGeometry(r, 'depthwise 3x3 fast');
          const drawn = convFor(r, g, scheme, accumulator);
          // torch-qnnpack@1 runs as the float-scale epilogue when M < 1 (wasm/requant_mode.ts qnnpackIsFloatScale); every other case
          // takes M = wScale / 0.0005 >= 2, so the kernel's cvtps2dq emulation (REQUANT_QNNPACK) runs too
          const a = scheme === 'torch-qnnpack@1' && i % 2 === 1 ? { ...drawn, yScale: drawn.xScale * 0.0005 } : drawn;
          const before = fast();
          const got = outcome(() => wasm.quantizedConv2d(a));
          const want = outcome(() => js.quantizedConv2d(a));
          expect(got, `seed "${seed}" case ${i}: ${JSON.stringify(g)}`).toBe(want);
          compared++;
          const ran = fast() > before;
          // sat16_pairs_im2col pairs along K across taps when Cg is odd: the JavaScript path runs it (wasm_conv.ts)
          if (accumulator === 'sat16_pairs_im2col') expect(ran, `seed "${seed}" case ${i}: sat16_pairs_im2col stays in JavaScript`).toBe(false);
          if (!ran) continue;
          onFastPath++;
          const geometry = checkConv2d(a);
          const oh = geometry.oh;
          geometries.add(`stride ${g.stride[0]} pad ${g.padding[0]} ${oh % 2 === 0 ? 'even' : 'odd'} rows ow%4=${geometry.ow % 4}`);
          const params = Array.from({ length: geometry.oc }, (_, oc) => REQUANT_IMPL[scheme].prepare(channelQuant(a, geometry, oc)));
          modes.add(wasmRequantMode(scheme, accumulator !== 'exact', params));
          const [lo, hi] = a.x.dtype === 'quint8' ? [0, 255] : [-128, 127];
          inside += want.split(',').filter((v) => Number(v) > lo && Number(v) < hi).length;
        }
      }
    }
    expect(compared).toBe(REQUANT_SCHEMES.length * 4 * 6);
    expect(onFastPath).toBeGreaterThan(0.6 * compared); // every case but sat16_pairs_im2col's and the schemes' refusals
    expect([...modes].sort()).toEqual([0, 1, 2, 3, 4]); // requantized after the kernel (exact), float scale, qnnpack, tflite double and single rounding in it
    for (const stride of [1, 2]) for (const pad of [0, 1, 2]) expect([...geometries].some((k) => k.startsWith(`stride ${stride} pad ${pad} `)), `stride ${stride} pad ${pad}`).toBe(true);
    for (const rows of ['even', 'odd']) for (const rem of [0, 1, 2, 3]) expect([...geometries].some((k) => k.includes(`${rows} rows ow%4=${rem}`)), `${rows} rows, ow % 4 = ${rem}`).toBe(true);
    expect(inside).toBeGreaterThan(5000);
  });

  it('takes the input range while packing: a value outside the dtype anywhere (first, middle, last; beyond int16 too) is the JavaScript path\'s typed error', () => {
    let refused = 0;
    for (const dtypeScheme of ['onnxruntime@1', 'tflite-double-rounding@1'] as const) {
      const r = new CaseRandom(`wasm-conv depthwise 3x3 kernel invalid input ${dtypeScheme}`);
      for (let i = 0; i < 6; i++) {
        const a = convFor(r, drawGeometry(r, 'depthwise 3x3 fast'), dtypeScheme, 'int32_wrap');
        const [lo, hi] = a.x.dtype === 'quint8' ? [0, 255] : [-128, 127];
        const before = counter.kernels.depthwise_3x3 ?? 0;
        expect(outcome(() => wasm.quantizedConv2d(a))).toBe(outcome(() => js.quantizedConv2d(a)));
        expect(counter.kernels.depthwise_3x3, 'the valid conv ran on the depthwise 3x3 kernel').toBe(before + 1);
        const n = a.x.data.length;
        for (const at of [0, n >> 1, n - 1]) {
          for (const value of [lo - 1, hi + 1, 70000, -70000]) {
            const data = a.x.data.slice();
            data[at] = value;
            const bad = { ...a, x: { ...a.x, data } };
            expect(outcome(() => wasm.quantizedConv2d(bad)), `${dtypeScheme} case ${i}: x[${at}] = ${value}`).toBe('error invalid_integer');
            expect(outcome(() => js.quantizedConv2d(bad))).toBe('error invalid_integer');
            refused++;
          }
        }
      }
    }
    expect(refused).toBe(2 * 6 * 3 * 4);
  });
});
