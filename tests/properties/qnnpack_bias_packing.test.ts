/**
 * torch-qnnpack@1's packed bias per qnnpack path (contract/qnnpack_ukernel.ts): the 1x1 GEMM path copies the qint32
 * bias, the indirect paths (q8conv, q8dwconv) store (int32_t)(float)b, so a bias quantized to INT32_MAX (QuantizeBias
 * clamps) becomes 2^31 in float32 and INT32_MIN after cvttss2si. Below INT32_MIN nothing differs (-2^31 is a float32).
 *
 * The table's outputs were measured on torch 1.13.1 (Debian 1.13.1+dfsg-4, x86-64, qnnpack engine) by running the
 * same calls (x all x_q, weights all 1, per tensor, x_scale = w_scale = 0.001, y_scale 1); the model before this
 * test answered 255 on every '+bias, acc 0' row, torch 0 on the indirect paths (torch 2.6.0 in the chroot of
 * `npm run setup:torch26` answers the same table). The property then checks reference,
 * impl (JavaScript) and impl (WebAssembly) bit for bit on drawn geometries of both paths with biases at and beyond
 * both int32 limits, and that the reference's packed bias is INT32_MIN exactly where the path is indirect and the
 * quantized bias is INT32_MAX; not vacuous (both paths, both limits, WebAssembly computing).
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { Conv2dArgs } from '../../contract/conv.js';
import { checkConv2d } from '../../contract/conv_checks.js';
import { qnnpackPath } from '../../contract/qnnpack_ukernel.js';
import { f32Tensor, f64Tensor, intTensor } from '../../contract/tensor.js';
import { implOnConvPath } from '../../impl/index.js';
import { quantizedConv2d as referenceConv2d } from '../../reference/conv/conv2d.js';
import { channelQuant } from '../../reference/conv/channel_quant.js';
import { torchQnnpack } from '../../reference/requant/torch_qnnpack.js';
import { quantizeVal, prepareQuantizeVal } from '../../reference/ops/quantize_val.js';
import { f64Mul } from '../../reference/exact/float_arith.js';
import { checkProperty } from '../support/property.js';

const INT32_MIN = -(2 ** 31);
const INT32_MAX = 2 ** 31 - 1;
const f32FromBits = (bits: number) => new Float32Array(new Uint32Array([bits]).buffer)[0]!;
/** 2147.4839: quantizes to INT32_MAX (clamped) at scale 1e-6; 0x450637b0 is 14 float32 steps lower (2147480448 units) */
const B = f32FromBits(0x450637be);
const B_BELOW = f32FromBits(0x450637b0);

const counter = { wasm: 0 };
const wasm = implOnConvPath('wasm', counter);
const js = implOnConvPath('js');

interface Geo { readonly kh: number; readonly kw: number; readonly stride: [number, number]; readonly padding: [number, number]; readonly dilation: [number, number]; readonly groups: number }
interface Vals { readonly xq: number; readonly xzp: number; readonly bias: number; readonly relu: boolean; readonly yzp: number }

const GEOMETRIES: Record<string, Geo> = {
  '1x1': { kh: 1, kw: 1, stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 },
  '1x1 groups 2 dil 2': { kh: 1, kw: 1, stride: [1, 1], padding: [0, 0], dilation: [2, 2], groups: 2 },
  '1x1 padding (0,1)': { kh: 1, kw: 1, stride: [1, 1], padding: [0, 1], dilation: [1, 1], groups: 1 },
  '1x1 stride (1,2)': { kh: 1, kw: 1, stride: [1, 2], padding: [0, 0], dilation: [1, 1], groups: 1 },
  '2x2': { kh: 2, kw: 2, stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1 },
  '3x3 depthwise pad 1': { kh: 3, kw: 3, stride: [1, 1], padding: [1, 1], dilation: [1, 1], groups: 2 },
};

const VALUES: Record<string, Vals> = {
  'acc 0, +bias, relu': { xq: 3, xzp: 3, bias: B, relu: true, yzp: 0 },
  'acc 0, bias below, relu': { xq: 3, xzp: 3, bias: B_BELOW, relu: true, yzp: 0 },
  'acc 0, -bias, zp 128': { xq: 3, xzp: 3, bias: -B, relu: false, yzp: 128 },
  'acc < 0, +bias, relu': { xq: 0, xzp: 5, bias: B, relu: true, yzp: 0 },
  'acc < 0, -bias, zp 128': { xq: 0, xzp: 5, bias: -B, relu: false, yzp: 128 },
};

/** 2 channels x 3 rows of the padded 1x1 conv: the padding columns hold acc 0, the others acc -5. */
const PAD_COLUMNS_ZERO = Array.from({ length: 6 }, () => [0, 255, 255, 255, 0]).flat();

/** [geometry, values, torch 1.13.1's output: one value for every element, or all of them] */
const TORCH_1_13_1: ReadonlyArray<readonly [string, string, number | readonly number[]]> = [
  ['1x1', 'acc 0, +bias, relu', 255],
  ['1x1', 'acc 0, bias below, relu', 255],
  ['1x1', 'acc 0, -bias, zp 128', 0],
  ['1x1', 'acc < 0, +bias, relu', 255],
  ['1x1', 'acc < 0, -bias, zp 128', 255],
  ['1x1 groups 2 dil 2', 'acc 0, +bias, relu', 255],
  ['1x1 groups 2 dil 2', 'acc 0, bias below, relu', 255],
  ['1x1 groups 2 dil 2', 'acc 0, -bias, zp 128', 0],
  ['1x1 groups 2 dil 2', 'acc < 0, +bias, relu', 255],
  ['1x1 groups 2 dil 2', 'acc < 0, -bias, zp 128', 255],
  ['1x1 padding (0,1)', 'acc 0, +bias, relu', 0],
  ['1x1 padding (0,1)', 'acc 0, bias below, relu', 255],
  ['1x1 padding (0,1)', 'acc 0, -bias, zp 128', 0],
  ['1x1 padding (0,1)', 'acc < 0, +bias, relu', PAD_COLUMNS_ZERO],
  ['1x1 padding (0,1)', 'acc < 0, -bias, zp 128', PAD_COLUMNS_ZERO],
  ['1x1 stride (1,2)', 'acc 0, +bias, relu', 0],
  ['1x1 stride (1,2)', 'acc 0, bias below, relu', 255],
  ['1x1 stride (1,2)', 'acc 0, -bias, zp 128', 0],
  ['1x1 stride (1,2)', 'acc < 0, +bias, relu', 255],
  ['1x1 stride (1,2)', 'acc < 0, -bias, zp 128', 255],
  ['2x2', 'acc 0, +bias, relu', 0],
  ['2x2', 'acc 0, bias below, relu', 255],
  ['2x2', 'acc 0, -bias, zp 128', 0],
  ['2x2', 'acc < 0, +bias, relu', 255],
  ['2x2', 'acc < 0, -bias, zp 128', 255],
  ['3x3 depthwise pad 1', 'acc 0, +bias, relu', 0],
  ['3x3 depthwise pad 1', 'acc 0, bias below, relu', 255],
  ['3x3 depthwise pad 1', 'acc 0, -bias, zp 128', 0],
  ['3x3 depthwise pad 1', 'acc < 0, +bias, relu', 255],
  ['3x3 depthwise pad 1', 'acc < 0, -bias, zp 128', 255],
];

/** The table's call: x [1, 2, 3, 3] all xq, weight [2, 2 / groups, kh, kw] all 1, both channels' bias `bias`. */
function tableConv(g: Geo, v: Vals): Conv2dArgs {
  const icg = 2 / g.groups;
  return {
    x: intTensor('quint8', [1, 2, 3, 3], new Array(18).fill(v.xq)),
    xScale: 0.001,
    xZeroPoint: v.xzp,
    weight: intTensor('qint8', [2, icg, g.kh, g.kw], new Array(2 * icg * g.kh * g.kw).fill(1)),
    weightQuantization: 'per_tensor',
    weightScales: f64Tensor([1], [0.001]),
    weightZeroPoints: intTensor('int64', [1], [0]),
    bias: f32Tensor([2], [v.bias, v.bias]),
    stride: g.stride,
    padding: g.padding,
    dilation: g.dilation,
    groups: g.groups,
    relu: v.relu,
    yScale: 1,
    yZeroPoint: v.yzp,
    scheme: 'torch-qnnpack@1',
    accumulator: 'int32_wrap',
  };
}

function outputsOf(a: Conv2dArgs): { ref: number[]; js: number[]; wasm: number[] } {
  return { ref: Array.from(referenceConv2d(a).data), js: Array.from(js.quantizedConv2d(a).data), wasm: Array.from(wasm.quantizedConv2d(a).data) };
}

describe('torch-qnnpack@1 packs the bias as torch 1.13.1 does on each qnnpack path', () => {
  it('reproduces torch 1.13.1 on both paths and both signs (reference, impl JavaScript, impl WebAssembly)', () => {
    const paths = new Set<string>();
    let differsFromGemm = 0;
    const wasmBefore = counter.wasm;
    for (const [geo, vals, expected] of TORCH_1_13_1) {
      const a = tableConv(GEOMETRIES[geo]!, VALUES[vals]!);
      paths.add(qnnpackPath(a, checkConv2d(a)));
      const { ref, js: j, wasm: w } = outputsOf(a);
      const want = typeof expected === 'number' ? ref.map(() => expected) : [...expected];
      expect(ref, `${geo} | ${vals}: reference`).toEqual(want);
      expect(j, `${geo} | ${vals}: impl JavaScript`).toEqual(want);
      expect(w, `${geo} | ${vals}: impl WebAssembly`).toEqual(want);
      if (vals === 'acc 0, +bias, relu' && want.every((y) => y === 0)) differsFromGemm++;
    }
    expect([...paths].sort()).toEqual(['gemm', 'indirect']);
    expect(differsFromGemm).toBe(4); // the four indirect geometries answer 0 where a copied INT32_MAX gives 255
    expect(counter.wasm - wasmBefore).toBe(TORCH_1_13_1.length);
  });

  it('keeps the path in impl\'s prepared-parameter cache: one weight, weight-scale and bias tensor through both paths in turn', () => {
    // impl/conv/channel_params.ts caches the prepared parameters per weight tensor; the packed bias depends on the geometry
    const weightScales = f64Tensor([1], [0.001]);
    const bias = f32Tensor([2], [B, B]);
    const weight = tableConv(GEOMETRIES['1x1']!, VALUES['acc 0, +bias, relu']!).weight; // every 1x1 geometry with groups 1 takes it
    const order = ['1x1', '1x1 padding (0,1)', '1x1 stride (1,2)', '1x1', '1x1 padding (0,1)', '1x1 groups 2 dil 2', '2x2', '3x3 depthwise pad 1'];
    const paths: string[] = [];
    for (const impl of [js, wasm]) {
      for (const geo of order) {
        const own = tableConv(GEOMETRIES[geo]!, VALUES['acc 0, +bias, relu']!);
        const a = { ...own, weight: geo.startsWith('1x1') && GEOMETRIES[geo]!.groups === 1 ? weight : own.weight, weightScales, bias };
        const path = qnnpackPath(a, checkConv2d(a));
        if (a.weight === weight) paths.push(path);
        expect(Array.from(impl.quantizedConv2d(a).data).every((y) => y === (path === 'gemm' ? 255 : 0)), geo).toBe(true);
      }
    }
    // not vacuous: the shared weight's one cache entry went from one path to the other and back
    const onePass = ['gemm', 'indirect', 'indirect', 'gemm', 'indirect'];
    expect(paths).toEqual([...onePass, ...onePass]); // JavaScript, then WebAssembly
  });

  it('agrees bit for bit across reference and both impl paths on drawn geometries with biases at both int32 limits, and packs INT32_MAX as INT32_MIN exactly on the indirect paths', () => {
    const tally = { gemmClamped: 0, indirectClamped: 0, minClamped: 0, wasm: 0, cases: 0 };
    const wasmBefore = counter.wasm;
    const units = fc.oneof(
      fc.integer({ min: 2 ** 31 - 200, max: 2 ** 31 + 5000 }),
      fc.integer({ min: -(2 ** 31) - 5000, max: -(2 ** 31) + 200 }),
      fc.integer({ min: -5000, max: 5000 }),
    );
    const geo = fc.record({
      k: fc.constantFrom([1, 1], [1, 2], [2, 2], [3, 3]),
      stride: fc.constantFrom<[number, number]>([1, 1], [1, 2], [2, 1]),
      padding: fc.constantFrom<[number, number]>([0, 0], [0, 1], [1, 1]),
      depthwise: fc.boolean(),
      gemm: fc.boolean(), // forces the 1x1 GEMM geometry (stride 1, no padding) half the time, dilation 1 or 2
      dilation: fc.constantFrom<[number, number]>([1, 1], [2, 2]),
      c: fc.integer({ min: 1, max: 5 }),
      h: fc.integer({ min: 3, max: 6 }),
      w: fc.integer({ min: 3, max: 6 }),
    });
    checkProperty(
      'qnnpack bias packing: reference = impl js = impl wasm',
      fc.record({ geo, seed: fc.integer({ min: 0, max: 2 ** 30 }), units: fc.array(units, { minLength: 5, maxLength: 5 }), relu: fc.boolean(), xzp: fc.integer({ min: 0, max: 255 }), yzp: fc.integer({ min: 0, max: 255 }) }),
      ({ geo: gd, seed, units: us, relu, xzp, yzp }) => {
        const groups = gd.depthwise ? gd.c : 1;
        const oc = gd.c;
        const icg = gd.c / groups;
        let s = seed;
        const next = (lo: number, hi: number) => {
          s = (Math.imul(s, 1103515245) + 12345) >>> 0;
          return lo + (s % (hi - lo + 1));
        };
        const [kh, kw] = gd.gemm ? [1, 1] : (gd.k as [number, number]);
        const xScale = 0.001;
        const wScale = 0.001;
        const a: Conv2dArgs = {
          x: intTensor('quint8', [1, gd.c, gd.h, gd.w], Array.from({ length: gd.c * gd.h * gd.w }, () => next(0, 255))),
          xScale,
          xZeroPoint: xzp,
          weight: intTensor('qint8', [oc, icg, kh, kw], Array.from({ length: oc * icg * kh * kw }, () => next(-128, 127))),
          weightQuantization: 'per_tensor',
          weightScales: f64Tensor([1], [wScale]),
          weightZeroPoints: intTensor('int64', [1], [next(-5, 5)]),
          bias: f32Tensor([oc], Array.from({ length: oc }, (_, c) => Math.fround((us[c % us.length] as number) * xScale * wScale))),
          stride: gd.gemm ? [1, 1] : gd.stride,
          padding: gd.gemm ? [0, 0] : gd.padding,
          dilation: gd.gemm ? gd.dilation : [1, 1],
          groups,
          relu,
          yScale: 16, // M = 2^-24 * 1.05: a bias near either int32 limit requantizes to about +-134, inside or at the output ends
          yZeroPoint: yzp,
          scheme: 'torch-qnnpack@1',
          accumulator: 'int32_wrap',
        };
        const g = checkConv2d(a);
        const path = qnnpackPath(a, g);
        const { ref, js: j, wasm: w } = outputsOf(a);
        expect(j).toEqual(ref);
        expect(w).toEqual(ref);
        tally.cases++;
        for (let c = 0; c < oc; c++) {
          const cq = channelQuant(a, g, c);
          if (cq.bias?.kind !== 'float32') throw new Error('float bias expected');
          const quantized = quantizeVal(cq.bias.value, prepareQuantizeVal(f64Mul(cq.wScale, cq.xScale), 0n, 'qint32'));
          const packed = torchQnnpack.prepare(cq).biasQ;
          const clamped = quantized === BigInt(INT32_MAX);
          expect(packed).toBe(clamped && path === 'indirect' ? BigInt(INT32_MIN) : quantized);
          if (clamped) tally[path === 'gemm' ? 'gemmClamped' : 'indirectClamped']++;
          if (quantized === BigInt(INT32_MIN)) tally.minClamped++;
        }
      },
      120,
    );
    tally.wasm = counter.wasm - wasmBefore;
    expect(tally.gemmClamped, JSON.stringify(tally)).toBeGreaterThan(10);
    expect(tally.indirectClamped, JSON.stringify(tally)).toBeGreaterThan(10);
    expect(tally.minClamped, JSON.stringify(tally)).toBeGreaterThan(10);
    expect(tally.wasm, JSON.stringify(tally)).toBeGreaterThan(tally.cases / 2);
  });
});
