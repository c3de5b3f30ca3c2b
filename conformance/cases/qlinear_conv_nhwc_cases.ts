/**
 * Case generator of qlinear_conv_nhwc@1 (com.microsoft QLinearConv, channels_last = 1): ORT's QLinearConv cases
 * (conv_cases.ts ortConvCase: dense, pointwise, depthwise and grouped geometries, both activation dtypes, per-tensor
 * and per-channel weights, int32 bias, stressed scales and values, a few broken geometries) in the op's wire form:
 * x transposed to NHWC, scales float32 tensors ([] or [1]; w_scale [M] when per channel), zero points tensors. Half
 * the cases take symmetric weights (w zero point 0: ORT's ConvSym / symmetric QGEMM routes), the rest ORT's plain
 * QGEMM; about two in five take pads that differ begin to end (ONNX pads [top, left, bottom, right]). About a third of
 * the uint8-x cases take uint8 weights (ORT's u8 x u8 kernels), three in ten are 1-D (the 2-D case's first row) and two
 * in ten 3-D (toThreeD). One weight zero point for every channel, as vectors/onnxruntime-1.30-ops was drawn; --fuzz also
 * draws zero points that differ per output channel (ort_fuzz_conv_cases.ts qlinearConvNhwcFuzzCase).
 */
import { nchwToNhwc, nhwcToPaddedNchw } from '../../contract/qlinear_conv_nhwc_checks.js';
import type { IntDtype, IntTensor } from '../../contract/tensor.js';
import { decodeTensor, hexToF64 } from '../../contract/wire.js';
import type { WireRequest } from '../protocol/messages.js';
import { type CaseFactory, hex64, wireF32, wireF64, wireInt } from './builders.js';
import type { CaseRandom } from './random.js';
import { ortConvCase } from './conv_cases.js';

export const qlinearConvNhwcCase: CaseFactory = (r, index) => {
  const conv = ortConvCase(r, index);
  const attrs = conv.attrs as Record<string, unknown>;
  const inputs = conv.inputs as Record<string, unknown>;
  const x = decodeTensor(inputs.x, 'x');
  const nhwc = nchwToNhwc(x as IntTensor);
  const dtype = x.dtype as 'quint8' | 'qint8';
  const scales = [...decodeTensor(inputs.weight_scales, 'weight_scales').data].map(Math.fround);
  const zw = r.bool(0.5) ? 0 : (decodeTensor(inputs.weight_zero_points, 'weight_zero_points').data[0] as number);
  const perChannel = attrs.weight_quantization === 'per_channel';
  const one = () => (r.bool(0.2) ? [1] : []);
  const [ph, pw] = attrs.padding as [number, number];
  const end = (p: number) => (r.bool(0.35) ? Math.max(0, p + r.int(-1, 2)) : p);
  const out: Record<string, unknown> = {
    x: wireInt(dtype, nhwc.shape, [...nhwc.data]),
    x_scale: wireF32(one(), [Math.fround(hexToF64(attrs.x_scale))]),
    x_zero_point: wireInt(dtype, [], [attrs.x_zero_point as number]),
    w: inputs.weight,
    w_scale: perChannel ? wireF32([scales.length], scales) : wireF32(one(), [scales[0]!]),
    w_zero_point: perChannel && r.bool(0.5) ? wireInt('qint8', [scales.length], new Array<number>(scales.length).fill(zw)) : wireInt('qint8', one(), [zw]),
    y_scale: wireF32(one(), [Math.fround(hexToF64(attrs.y_scale))]),
    y_zero_point: wireInt(dtype, [], [attrs.y_zero_point as number]),
  };
  if (inputs.bias !== undefined) out.bias = inputs.bias;
  const newAttrs: Record<string, unknown> = { strides: attrs.stride, pads: [ph, pw, end(ph), end(pw)], dilations: attrs.dilation, group: attrs.groups, accumulator: 'int32_wrap' };
  // uint8 weights (uint8 x only, as ORT registers them): the int8 ones moved up by 128, the zero point too or drawn anew
  if (dtype === 'quint8' && r.bool(0.35)) {
    const w = out.w as { shape: number[]; values: number[] };
    out.w = wireInt('quint8', w.shape, w.values.map((v) => v + 128));
    const zp = decodeTensor(out.w_zero_point, 'w_zero_point');
    const zu = r.pick([zw + 128, 128, r.int(0, 255)]);
    out.w_zero_point = wireInt('quint8', zp.shape, new Array<number>(zp.data.length).fill(zu));
  }
  const dims = r.pick([2, 2, 2, 2, 2, 1, 1, 1, 3, 3]);
  if (dims === 1) toOneD(out, newAttrs);
  if (dims === 3) toThreeD(r, out, newAttrs);
  return { op: 'qlinear_conv_nhwc@1', attrs: newAttrs, inputs: out };
};

/** The 1-D conv of a 2-D case: x's first row ([N, W, C]), the weights' first kernel row ([M, C / group, KW]), the W attributes. */
function toOneD(out: Record<string, unknown>, attrs: Record<string, unknown>): void {
  const x = out.x as { dtype: IntDtype; shape: number[]; values: number[] };
  const [n, h, w, c] = x.shape as [number, number, number, number];
  out.x = wireInt(x.dtype, [n, w, c], Array.from({ length: n * w * c }, (_, i) => x.values[(Math.floor(i / (w * c)) * h * w * c) + (i % (w * c))]!));
  const wt = out.w as { dtype: IntDtype; shape: number[]; values: number[] };
  const [m, cg, kh, kw] = wt.shape as [number, number, number, number];
  out.w = wireInt(wt.dtype, [m, cg, kw], Array.from({ length: m * cg * kw }, (_, i) => wt.values[Math.floor(i / kw) * kh * kw + (i % kw)]!));
  const second = (k: string) => [(attrs[k] as number[])[1]!];
  const pads = attrs.pads as number[];
  Object.assign(attrs, { strides: second('strides'), dilations: second('dilations'), pads: [pads[1]!, pads[3]!] });
}

/**
 * Whether a qlinear_conv_nhwc@1 request has a quantized_conv2d@1 twin: a 2-D conv (x of rank 4) with int8 weights
 * (quantized_conv2d@1 takes no uint8 weights; ORT's u8u8 and u8s8 kernels differ on CPUs without VNNI) and equal
 * begin and end pads (quantized_conv2d@1 pads symmetrically).
 */
export function hasNchwTwin(q: WireRequest): boolean {
  const i = q.inputs as Record<string, { dtype?: string; shape?: number[] }>;
  const p = (q.attrs as { pads: number[] }).pads;
  return i.x?.shape?.length === 4 && i.w?.dtype === 'qint8' && p[0] === p[2] && p[1] === p[3];
}

/** The quantized_conv2d@1 (ONNX QLinearConv, NCHW) twin of a qlinear_conv_nhwc@1 request for which hasNchwTwin holds. */
export function qlinearConvNchwTwin(q: WireRequest): WireRequest {
  if (!hasNchwTwin(q)) throw new Error(`${q.id}: no quantized_conv2d@1 twin (2-D, int8 weights and symmetric pads only)`);
  const i = q.inputs as Record<string, unknown>;
  const a = q.attrs as Record<string, unknown>;
  const x = decodeTensor(i.x, 'x');
  const nchw = nhwcToPaddedNchw(x as IntTensor, [0, 0, 0, 0], 0);
  const scales = [...decodeTensor(i.w_scale, 'w_scale').data];
  const perChannel = decodeTensor(i.w_scale, 'w_scale').shape.length === 1 && scales.length > 1;
  const zw = decodeTensor(i.w_zero_point, 'w_zero_point').data[0] as number;
  const first = (name: string) => decodeTensor(i[name], name).data[0] as number;
  const pads = a.pads as number[];
  const inputs: Record<string, unknown> = {
    x: wireInt(nchw.dtype, nchw.shape, [...nchw.data]),
    weight: i.w,
    weight_scales: wireF64([perChannel ? scales.length : 1], perChannel ? scales : [scales[0]!]),
    weight_zero_points: wireInt('int64', [perChannel ? scales.length : 1], new Array<number>(perChannel ? scales.length : 1).fill(zw)),
  };
  if (i.bias !== undefined) inputs.bias = i.bias;
  const attrs = {
    scheme: 'onnxruntime@1', accumulator: 'int32_wrap', stride: a.strides, padding: [pads[0], pads[1]], dilation: a.dilations, groups: a.group, relu: false,
    x_scale: hex64(first('x_scale')), x_zero_point: first('x_zero_point'), y_scale: hex64(first('y_scale')), y_zero_point: first('y_zero_point'),
    weight_quantization: perChannel ? 'per_channel' : 'per_tensor',
  };
  return { id: `${q.id}-nchw`, op: 'quantized_conv2d@1', attrs, inputs };
}

/**
 * A 3-D conv from a 2-D case: D = 1-3 depth slices of x (the 2-D x, its values rotated by 7 per slice), a kernel depth
 * KD of 1-2 (the 2-D kernel's values rotated likewise), depth stride 1-2, depth pads 0-1 at either end (KD at most the
 * padded depth).
 */
function toThreeD(r: CaseRandom, out: Record<string, unknown>, attrs: Record<string, unknown>): void {
  const rotated = (values: number[], k: number) => values.map((_, i) => values[(i + 7 * k) % values.length]!);
  const x = out.x as { dtype: IntDtype; shape: number[]; values: number[] };
  const [n, ...rest] = x.shape as [number, number, number, number];
  const image = rest.reduce((p, v) => p * v, 1);
  const d = r.int(1, 3);
  const [pd0, pd1] = [r.int(0, 1), r.int(0, 1)];
  const kd = r.int(1, Math.min(2, d + pd0 + pd1));
  const slices = Array.from({ length: d }, (_, k) => rotated(x.values, k));
  out.x = wireInt(x.dtype, [n, d, ...rest], Array.from({ length: n * d * image }, (_, i) => slices[Math.floor(i / image) % d]![Math.floor(i / (d * image)) * image + (i % image)]!));
  const wt = out.w as { dtype: IntDtype; shape: number[]; values: number[] };
  const [m, cg, ...k2] = wt.shape as [number, number, number, number];
  const taps = k2[0]! * k2[1]!;
  const wSlices = Array.from({ length: kd }, (_, k) => rotated(wt.values, k));
  out.w = wireInt(wt.dtype, [m, cg, kd, ...k2], Array.from({ length: m * cg * kd * taps }, (_, i) => wSlices[Math.floor(i / taps) % kd]![Math.floor(i / (kd * taps)) * taps + (i % taps)]!));
  const pads = attrs.pads as number[];
  Object.assign(attrs, { strides: [r.int(1, 2), ...(attrs.strides as number[])], dilations: [1, ...(attrs.dilations as number[])], pads: [pd0, pads[0]!, pads[1]!, pd1, pads[2]!, pads[3]!] });
}
