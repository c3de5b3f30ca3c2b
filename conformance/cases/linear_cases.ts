/**
 * Seeded generators of quantized_linear@1 and quantized_linear_dynamic@1 requests, shared by the torch linear
 * vector set (conformance/cases/torch_linear_catalog.ts) and `--fuzz`. The static linear draws its values with
 * the conv's drawConvValues over the 1x1 geometry it is, so ties (power-of-two multipliers, biases at .5 of a
 * unit), saturation (huge and tiny multipliers), biases near int32 and extreme values are built in the same way.
 */
import type { RequantScheme, WeightQuantization } from '../../contract/conv.js';
import { hexToF64 } from '../../contract/wire.js';
import { type CaseFactory, hex64, wireF32, wireF64, wireInt } from './builders.js';
import type { DrawnGeometry } from './conv_geometry.js';
import { drawConvValues, drawStress, torchValueRules } from './conv_quant.js';
import type { CaseRandom } from './random.js';

/** The leading dimensions of x: [M] mostly, sometimes [B, T] (torch flattens them into rows). */
function drawLead(r: CaseRandom): number[] {
  return r.bool(0.25) ? [r.int(1, 3), r.int(1, 3)] : [r.pick([1, 1, 2, 3, 4, 7, 9])];
}

function linearGeometry(rows: number, k: number, n: number): DrawnGeometry {
  return { n: rows, c: k, h: 1, w: 1, oc: n, kh: 1, kw: 1, stride: [1, 1], padding: [0, 0], dilation: [1, 1], groups: 1, kind: 'pointwise' };
}

/** A few invalid calls: a weight whose K differs from x's, a rank-1 x, a bias of the wrong length. */
type Breakage = 'none' | 'k_mismatch' | 'rank1' | 'bias_length';
function drawBreakage(r: CaseRandom): Breakage {
  return r.bool(0.04) ? r.pick<Breakage>(['k_mismatch', 'rank1', 'bias_length']) : 'none';
}

function weightInputs(weight: number[], n: number, k: number, scales: number[], zps: number[]) {
  return { weight: wireInt('qint8', [n, k], weight), weight_scales: wireF64([scales.length], scales), weight_zero_points: wireInt('int64', [zps.length], zps) };
}

/** The K drawn by the linears of the host sets. */
const LINEAR_KS = [1, 2, 3, 5, 8, 16, 17, 32, 64, 100];

/**
 * The K of the per-CPU onednn dynamic linears: the host set's and K past oneDNN's single gemm block (256), some
 * whose second block starts at an odd k (257, 258, 301, 514: contract/onednn_gemm.ts).
 */
export const ONEDNN_GEMM_KS = [...LINEAR_KS, 255, 256, 257, 258, 301, 514, 770];

/**
 * A torch static linear on one engine's scheme: symmetric weights for onednn, quint8 x, float bias, VNNI's accumulator;
 * K drawn from `ks` (tests/backends/torch_empty_linears.test.ts draws K = 0).
 */
export function torchLinearCase(r: CaseRandom, scheme: RequantScheme, ks: readonly number[] = LINEAR_KS): ReturnType<CaseFactory> {
  const lead = drawLead(r);
  const rows = lead.reduce((a, b) => a * b, 1);
  const k = r.pick(ks);
  const n = r.int(1, 12);
  const weightQuantization: WeightQuantization = r.bool(0.5) ? 'per_channel' : 'per_tensor';
  const rules = torchValueRules(scheme, weightQuantization);
  const v = drawConvValues(r, linearGeometry(rows, k, n), rules, drawStress(r));
  const broken = drawBreakage(r);
  const xShape = broken === 'rank1' ? [rows * k] : [...lead, k];
  const wk = broken === 'k_mismatch' ? k + 1 : k;
  const weight = broken === 'k_mismatch' ? Array.from({ length: n * wk }, (_, i) => v.weight[i % v.weight.length] as number) : v.weight;
  const inputs: Record<string, unknown> = { x: wireInt('quint8', xShape, v.x), ...weightInputs(weight, n, wk, v.weightScales, v.weightZeroPoints) };
  if (v.biasReal) inputs.bias = wireF32([broken === 'bias_length' ? n + 1 : n], broken === 'bias_length' ? [...v.biasReal, 0.5] : v.biasReal);
  return {
    op: 'quantized_linear@1',
    attrs: {
      scheme,
      accumulator: 'int32_wrap',
      relu: v.relu,
      x_scale: hex64(v.xScale),
      x_zero_point: v.xZeroPoint,
      y_scale: hex64(v.yScale),
      y_zero_point: v.yZeroPoint,
      weight_quantization: weightQuantization,
    },
    inputs,
  };
}

/** Static linears, each on qnnpack or onednn (drawn, so `--fuzz`, which draws index 0 only, reaches both). */
export const torchStaticLinearCase: CaseFactory = (r) => torchLinearCase(r, r.bool(0.5) ? 'torch-qnnpack@1' : 'torch-onednn@1');

/**
 * The float input of a dynamic linear, aimed at ChooseQuantizationParams' branches: mixed signs at several
 * magnitudes, all >= 0 (min widened to 0) or all <= 0, a range so small the scale is cut at 6.1e-5 (both the
 * amplified and the one-sided forms), all zeros (scale 0.1), and values on the quantization grid (ties).
 */
function drawDynamicX(r: CaseRandom, count: number): number[] {
  const kind = r.pick(['mixed', 'mixed', 'mixed', 'positive', 'negative', 'tiny', 'tiny_positive', 'zeros', 'grid', 'extremes']);
  const mag = r.pick([1e-3, 0.05, 1, 3, 100, 1e4]);
  const one = (): number => {
    switch (kind) {
      case 'positive':
        return Math.abs(r.normal()) * mag;
      case 'negative':
        return -Math.abs(r.normal()) * mag;
      case 'tiny':
        return r.normal() * 1e-5;
      case 'tiny_positive':
        return Math.abs(r.normal()) * 1e-6;
      case 'zeros':
        return r.bool(0.5) ? 0 : -0;
      case 'grid':
        return (r.int(-300, 300) / 2) * (mag / 64);
      case 'extremes':
        return r.pick([-1, 1, 0.5, -0.5, 0]) * mag;
      default:
        return r.normal() * mag;
    }
  };
  return Array.from({ length: count }, () => Math.fround(one()));
}

/**
 * Values of x next to the rounding boundaries of the dynamic quantization: x[0] and x[1] fix min < 0 < max, so the
 * scale is (max - min) / span and the zero point about -min / scale; the rest are a few float32 ulps around
 * (j + 0.5 - z) * scale, where at::quantize_per_tensor (float 1/scale, rounding x / scale alone) and oneDNN's
 * reorder (1.0 / scale in double, rounding f32(x * ss) + z) can part.
 */
function drawNearHalfX(r: CaseRandom, count: number, span: number): number[] {
  const mag = r.pick([1e-3, 0.05, 1, 3, 100]);
  const min = -Math.fround(mag * (0.1 + r.next()));
  const max = Math.fround(mag * (0.1 + r.next()));
  const scale = (max - min) / span;
  const z = Math.round(-min / scale);
  const values = [min, max];
  while (values.length < count) {
    const x = Math.fround((r.int(0, span - 1) + 0.5 - z) * scale);
    const ulps = r.int(-3, 3);
    const bits = new Float32Array([x]);
    const i = new Int32Array(bits.buffer);
    i[0] = (i[0] as number) + ulps;
    const v = bits[0] as number;
    values.push(v < min ? min : v > max ? max : v);
  }
  return values.slice(0, count);
}

export type DynamicEngine = 'torch-qnnpack@1' | 'torch-onednn@1';

/**
 * A dynamic linear: float32 x, qint8 weights, float bias or none. qnnpack draws weights with any zero points;
 * onednn's are symmetric (a few calls with a nonzero one, which torch refuses at prepack) and a fifth of its
 * x sit next to the quantization's rounding boundaries (drawNearHalfX). The qnnpack draws are the ones the
 * set was first written with (same order of random draws).
 */
export function dynamicLinearCase(r: CaseRandom, scheme: DynamicEngine, ks: readonly number[] = LINEAR_KS): ReturnType<CaseFactory> {
  const onednn = scheme === 'torch-onednn@1';
  const lead = drawLead(r);
  const rows = lead.reduce((a, b) => a * b, 1);
  const k = r.pick(ks);
  const n = r.int(1, 12);
  const perChannel = r.bool(0.5);
  const scales = Array.from({ length: perChannel ? n : 1 }, () => Math.fround(Math.exp(Math.log(1e-3) + r.next() * Math.log(200))));
  const zps = scales.map(() => (onednn || r.bool(0.6) ? 0 : r.int(-128, 127)));
  const extremes = r.bool(0.15);
  const weight = Array.from({ length: n * k }, () => (extremes && r.bool(0.6) ? r.pick([-128, 127]) : r.int(-128, 127)));
  const broken = drawBreakage(r);
  const reduceRangeFirst = onednn ? r.bool(0.5) : false;
  const x = onednn && rows * k >= 3 && r.bool(0.2) ? drawNearHalfX(r, rows * k, reduceRangeFirst ? 127 : 255) : drawDynamicX(r, rows * k);
  if (onednn && broken === 'none' && r.bool(0.03)) zps[r.int(0, zps.length - 1)] = r.pick([-3, 1, 5]);
  const xShape = broken === 'rank1' ? [rows * k] : [...lead, k];
  const wk = broken === 'k_mismatch' ? k + 1 : k;
  const w = broken === 'k_mismatch' ? Array.from({ length: n * wk }, (_, i) => weight[i % weight.length] as number) : weight;
  const inputs: Record<string, unknown> = { x: wireF32(xShape, x), ...weightInputs(w, n, wk, scales, zps) };
  if (r.bool(0.7)) {
    const bmag = r.pick([1e-3, 1, 100]);
    const bias = Array.from({ length: n }, () => Math.fround(r.normal() * bmag));
    inputs.bias = wireF32([broken === 'bias_length' ? n + 1 : n], broken === 'bias_length' ? [...bias, 0.25] : bias);
  }
  const relu = r.bool(0.3);
  const reduceRange = onednn ? reduceRangeFirst : r.bool(0.5);
  return {
    op: 'quantized_linear_dynamic@1',
    attrs: { scheme, relu, reduce_range: reduceRange, weight_quantization: perChannel ? 'per_channel' : 'per_tensor' },
    inputs,
  };
}

/** A dynamic linear on qnnpack (the torch 1.13 and 2.6 linear sets' first 400). */
export const torchDynamicLinearCase: CaseFactory = (r) => dynamicLinearCase(r, 'torch-qnnpack@1');

/** A dynamic linear on onednn (torch 1.13's linear set after the qnnpack ones). */
export const torchOnednnDynamicLinearCase: CaseFactory = (r) => dynamicLinearCase(r, 'torch-onednn@1');

/** A dynamic linear on onednn with K from ONEDNN_GEMM_KS (the per-CPU onednn set: oneDNN's gemm K blocks). */
export const torchOnednnGemmDynamicLinearCase: CaseFactory = (r) => dynamicLinearCase(r, 'torch-onednn@1', ONEDNN_GEMM_KS);

/**
 * A static linear on onednn for the per-CPU onednn set. Three in five are redrawn so that vpmaddubsw pairs saturate
 * (x in [180, 255], weights mostly +-127 or -128): x_zero_point in [100, 200] keeps the exact accumulator moderate,
 * and y_scale maps its largest magnitude to about 100 output steps, so a saturated pair moves outputs by many steps.
 */
export const torchOnednnStaticLinearCase: CaseFactory = (r) => {
  const c = torchLinearCase(r, 'torch-onednn@1');
  const inputs = c.inputs ?? {};
  if (!r.bool(0.6)) return c;
  const x = inputs.x as { shape: number[]; values: number[] };
  const w = inputs.weight as { shape: number[]; values: number[] };
  const [n, k] = w.shape as [number, number];
  if (k !== x.shape[x.shape.length - 1]) return c; // a broken call stays as drawn
  const xs = x.values.map(() => r.int(180, 255));
  const ws = w.values.map(() => (r.bool(0.7) ? r.pick([127, -128, 127, -127]) : r.int(-128, 127)));
  const zx = r.int(100, 200);
  let spread = 1;
  for (let m = 0; m < xs.length / k; m++) {
    for (let o = 0; o < n; o++) {
      let acc = 0;
      for (let j = 0; j < k; j++) acc += ((xs[m * k + j] as number) - zx) * (ws[o * k + j] as number);
      spread = Math.max(spread, Math.abs(acc));
    }
  }
  const xScale = Number.parseFloat((0.001 + r.next() * 0.05).toPrecision(6));
  const wScale0 = hexToF64((inputs.weight_scales as { hex: string[] }).hex[0]);
  const yScale = (xScale * wScale0 * spread) / 100;
  const bias = inputs.bias as { shape: number[] } | undefined;
  const redrawn: Record<string, unknown> = { ...inputs, x: wireInt('quint8', x.shape, xs), weight: wireInt('qint8', w.shape, ws) };
  if (bias) redrawn.bias = wireF32(bias.shape, Array.from({ length: bias.shape[0] as number }, () => Math.fround(r.normal() * yScale * 20)));
  return {
    ...c,
    attrs: { ...c.attrs, x_scale: hex64(xScale), x_zero_point: zx, y_scale: hex64(yScale), y_zero_point: r.int(0, 255) },
    inputs: redrawn,
  };
};

/** Dynamic linears, each on qnnpack or onednn (drawn, so `--fuzz`, which draws index 0 only, reaches both). */
export const torchDrawnDynamicLinearCase: CaseFactory = (r) => dynamicLinearCase(r, r.bool(0.5) ? 'torch-qnnpack@1' : 'torch-onednn@1');
