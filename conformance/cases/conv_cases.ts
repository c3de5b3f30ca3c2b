import type { Accumulator, RequantScheme, WeightQuantization } from '../../contract/conv.js';
import { onednnCorruptsHeap } from '../backends/torch/onednn_crash.js';
import type { CaseRandom } from './random.js';
import { type CaseFactory, hex64, wireF32, wireF64, wireInt } from './builders.js';
import { type DrawnGeometry, drawGeometry } from './conv_geometry.js';
import { drawEdgeGeometry } from './conv_edge_geometry.js';
import { type DrawnConvValues, drawConvValues, drawStress, torchValueRules } from './conv_quant.js';

/** One quantized_conv2d@1 request from a geometry and drawn values; the bias goes on the wire as `biasDtype`. */
export function convRequest(g: DrawnGeometry, v: DrawnConvValues, o: { scheme: RequantScheme; accumulator: Accumulator; dtype: 'quint8' | 'qint8'; biasDtype: 'float32' | 'int32'; weightQuantization: WeightQuantization }) {
  const k = v.weightScales.length;
  const inputs: Record<string, unknown> = {
    x: wireInt(o.dtype, [g.n, g.c, g.h, g.w], v.x),
    weight: wireInt('qint8', [g.oc, Math.floor(g.c / g.groups), g.kh, g.kw], v.weight),
    weight_scales: wireF64([k], v.weightScales),
    weight_zero_points: wireInt('int64', [k], v.weightZeroPoints),
  };
  if (v.biasReal) {
    const units = (c: number) => v.xScale * (v.weightScales[k === 1 ? 0 : c] as number);
    const clampInt32 = (b: number) => Math.max(-(2 ** 31), Math.min(2 ** 31 - 1, b));
    inputs.bias = o.biasDtype === 'float32' ? wireF32([v.biasReal.length], v.biasReal) : wireInt('int32', [v.biasReal.length], v.biasReal.map((b, c) => clampInt32(Math.round(b / units(c)))));
  }
  return {
    op: 'quantized_conv2d@1',
    attrs: {
      scheme: o.scheme,
      accumulator: o.accumulator,
      stride: g.stride,
      padding: g.padding,
      dilation: g.dilation,
      groups: g.groups,
      relu: v.relu,
      x_scale: hex64(v.xScale),
      x_zero_point: v.xZeroPoint,
      y_scale: hex64(v.yScale),
      y_zero_point: v.yZeroPoint,
      weight_quantization: o.weightQuantization,
    },
    inputs,
  };
}

/** A few invalid calls per file: groups not dividing C or OC, an empty output, a bias of the wrong length. */
function breakGeometry(r: CaseRandom, g: DrawnGeometry): DrawnGeometry {
  switch (r.int(0, 2)) {
    case 0:
      return { ...g, c: g.c + 1, groups: Math.max(2, g.groups), oc: Math.max(2, g.groups) * 2 }; // C % groups != 0 (weights follow C / groups)
    case 1:
      return { ...g, h: 2, w: 2, kh: 3, kw: 3, stride: [1, 1], padding: [0, 0], dilation: [1, 1] }; // empty output (0 x 0)
    default:
      return { ...g, oc: g.groups * 2 + 1 }; // OC % groups != 0 when groups > 1
  }
}

/**
 * PyTorch cases on one engine's scheme: symmetric weights for onednn, quint8 activations, float bias, and the
 * accumulator of a CPU with VNNI (int32_wrap); writers for other CPUs restate it per case
 * (conformance/backends/torch/onednn_accumulator.ts).
 * An onednn conv that would corrupt torch's heap (backends/torch/onednn_crash.ts) gets ReLU instead; this
 * consumes no randomness, so every other case stays byte-identical.
 */
function torchEngineConvCase(r: CaseRandom, scheme: RequantScheme): ReturnType<CaseFactory> {
  let g = drawGeometry(r);
  if (r.bool(0.03)) g = breakGeometry(r, g);
  return torchEngineConvOn(r, scheme, g);
}

/** torchEngineConvCase's request on the geometry `g` (its draws after the geometry's). */
function torchEngineConvOn(r: CaseRandom, scheme: RequantScheme, g: DrawnGeometry): ReturnType<CaseFactory> {
  const weightQuantization: WeightQuantization = r.bool(0.5) ? 'per_channel' : 'per_tensor';
  const rules = torchValueRules(scheme, weightQuantization);
  const v = drawConvValues(r, g, rules, drawStress(r));
  if (v.biasReal && r.bool(0.02)) v.biasReal = v.biasReal.slice(1); // wrong bias length
  avoidOnednnCrash(scheme, g, v, weightQuantization);
  return convRequest(g, v, { scheme, accumulator: 'int32_wrap', dtype: 'quint8', biasDtype: 'float32', weightQuantization });
}

/** PyTorch cases: even indices run on qnnpack, odd ones on onednn (torchEngineConvCase). */
export const torchConvCase: CaseFactory = (r, index) => torchEngineConvCase(r, index % 2 === 0 ? 'torch-qnnpack@1' : 'torch-onednn@1');

/** PyTorch onednn cases only (the per-CPU onednn sets, conformance/cases/torch_cpu_catalog.ts). */
export const torchOnednnConvCase: CaseFactory = (r) => torchEngineConvCase(r, 'torch-onednn@1');

/** PyTorch qnnpack cases only (torch26-qnnpack's --fuzz, conformance/backends/torch/torch26_fuzz_catalog.ts). */
export const torchQnnpackConvCase: CaseFactory = (r) => torchEngineConvCase(r, 'torch-qnnpack@1');

/** Gives ReLU to a drawn onednn conv torch 1.13.1 would crash on (backends/torch/onednn_crash.ts); returns whether it did. */
export function avoidOnednnCrash(scheme: RequantScheme, g: DrawnGeometry, v: DrawnConvValues, weightQuantization: WeightQuantization): boolean {
  if (scheme !== 'torch-onednn@1' || !onednnCorruptsHeap(crashFacts(g, v, weightQuantization))) return false;
  v.relu = true;
  return true;
}

/** The facts of a drawn conv that decide whether torch 1.13.1 onednn corrupts its heap on it. */
export function crashFacts(g: DrawnGeometry, v: DrawnConvValues, weightQuantization: WeightQuantization) {
  return {
    xShape: [g.n, g.c, g.h, g.w], weightShape: [g.oc, Math.floor(g.c / g.groups), g.kh, g.kw], perChannel: weightQuantization === 'per_channel',
    xScale: v.xScale, weightScale: v.weightScales[0] as number, yScale: v.yScale, hasBias: v.biasReal !== null, relu: v.relu,
  };
}

/**
 * ONNX Runtime cases (QLinearConv): uint8 or int8 activations, int32 bias, one weight zero point for every
 * channel (what the committed vectors/onnxruntime-1.30 sets were drawn with; zero points that differ per channel, which
 * ORT 1.30 also computes, are drawn by --fuzz (ort_fuzz_conv_cases.ts) and tests/backends/ort_varying_weight_zero_points.test.ts),
 * no ReLU (QLinearConv has none), float32-valued scales (ONNX stores float32).
 */
export const ortConvCase: CaseFactory = (r) => {
  let g = drawGeometry(r);
  if (r.bool(0.03)) g = breakGeometry(r, g);
  return ortConvOn(r, g);
};

/** ortConvCase's request on the geometry `g` (its draws after the geometry's). */
function ortConvOn(r: CaseRandom, g: DrawnGeometry): ReturnType<CaseFactory> {
  const dtype = r.bool(0.5) ? 'quint8' : 'qint8';
  const weightQuantization: WeightQuantization = r.bool(0.5) ? 'per_channel' : 'per_tensor';
  const rules = { xRange: dtype === 'quint8' ? ([0, 255] as const) : ([-128, 127] as const), weightZeroPoints: 'uniform' as const, perChannel: weightQuantization === 'per_channel' };
  const stress = drawStress(r);
  const v = drawConvValues(r, g, rules, stress === 'double_scales' ? 'typical' : stress);
  v.relu = false;
  return convRequest(g, v, { scheme: 'onnxruntime@1', accumulator: 'int32_wrap', dtype, biasDtype: 'int32', weightQuantization });
}

/** The share of --fuzz's conv draws redrawn on an edge geometry (conv_edge_geometry.ts). */
export const CONV_EDGE_RATE = 0.2;

/**
 * A set generator's conv as --fuzz draws it: the set's case, or for CONV_EDGE_RATE of the draws (decided after the
 * set's draws, which stay untouched) a case of the same generator on an edge geometry (conv_edge_geometry.ts: a
 * numerator in (-stride, 0), an empty batch), which the committed sets never hold.
 */
function onEdgeGeometry(set: CaseFactory, on: (r: CaseRandom, g: DrawnGeometry) => ReturnType<CaseFactory>): CaseFactory {
  return (r, index) => {
    const c = set(r, index);
    return r.bool(CONV_EDGE_RATE) ? on(r, drawEdgeGeometry(r, drawGeometry(r))) : c;
  };
}

/**
 * torchConvCase (even indices qnnpack, odd onednn) with edge geometries (onEdgeGeometry), each on an engine drawn by a
 * coin: --fuzz draws at index 0 only, and onednn is the engine that computes a row past the padding.
 */
export const torchEdgeConvCase: CaseFactory = onEdgeGeometry(torchConvCase, (r, g) => torchEngineConvOn(r, r.bool(0.5) ? 'torch-qnnpack@1' : 'torch-onednn@1', g));

/** ortConvCase with edge geometries (onEdgeGeometry). */
export const ortEdgeConvCase: CaseFactory = onEdgeGeometry(ortConvCase, (r, g) => ortConvOn(r, g));

/**
 * XNNPACK cases, within what its int8 convolution operators take: qint8 activations with symmetric weights,
 * per-tensor (qs8) or per-channel (qc8), or quint8 activations with per-tensor weights and one zero point
 * (qu8); int32 bias; never relu with the output zero point at qmax (XNNPACK requires output_min < output_max).
 */
export const xnnpackConvCase: CaseFactory = (r) => {
  let g = drawGeometry(r);
  if (r.bool(0.03)) g = breakGeometry(r, g);
  const dtype = r.bool(0.5) ? 'quint8' : 'qint8';
  const weightQuantization: WeightQuantization = dtype === 'qint8' && r.bool(0.5) ? 'per_channel' : 'per_tensor';
  const rules = { xRange: dtype === 'quint8' ? ([0, 255] as const) : ([-128, 127] as const), weightZeroPoints: dtype === 'qint8' ? ('zero' as const) : ('uniform' as const), perChannel: weightQuantization === 'per_channel' };
  const v = drawConvValues(r, g, rules, drawStress(r));
  if (v.relu && v.yZeroPoint === rules.xRange[1]) v.relu = false;
  if (v.biasReal && r.bool(0.02)) v.biasReal = v.biasReal.slice(1); // wrong bias length
  return convRequest(g, v, { scheme: 'xnnpack-fp32@1', accumulator: 'int32_wrap', dtype, biasDtype: 'int32', weightQuantization });
};

/**
 * XNNPACK cases for its arm64 (NEON) kernels: xnnpackConvCase with every qint8 weight of -128 moved to -127, so
 * weights stay in TFLite's int8 weight range [-127, 127]. XNNPACK's arm64 depthwise qc8 kernels (up16x9 / up16x25
 * "mla8": vmull_s8 then vmlal_s8) add two products in int16, which wraps only for (-128) x (-128) = 16384 twice;
 * XNNPACK's own tests assume the symmetric range (measured under qemu-aarch64: 2 cases of vectors/xnnpack-2022).
 */
export const xnnpackArm64ConvCase: CaseFactory = (r, index) => {
  const c = xnnpackConvCase(r, index);
  const weight = c.inputs?.weight as { dtype: string; shape: number[]; values: number[] } | undefined;
  if (weight?.dtype === 'qint8') weight.values = weight.values.map((v) => (v === -128 ? -127 : v));
  return c;
};
