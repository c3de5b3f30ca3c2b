/**
 * Case generator of qlinear_conv_nhwc@1 (com.microsoft QLinearConv, channels_last = 1): ORT's QLinearConv cases
 * (conv_cases.ts ortConvCase: dense, pointwise, depthwise and grouped geometries, both activation dtypes, per-tensor
 * and per-channel weights, int32 bias, stressed scales and values, a few broken geometries) in the op's wire form:
 * x transposed to NHWC, scales float32 tensors ([] or [1]; w_scale [M] when per channel), zero points tensors. Half
 * the cases take symmetric weights (w zero point 0: ORT's ConvSym / symmetric QGEMM routes), the rest ORT's plain
 * QGEMM; a third take pads that differ begin to end (ONNX pads [top, left, bottom, right]).
 */
import { decodeTensor, hexToF64 } from '../../contract/wire.js';
import { type CaseFactory, wireF32, wireInt } from './builders.js';
import { ortConvCase } from './conv_cases.js';

export const qlinearConvNhwcCase: CaseFactory = (r, index) => {
  const conv = ortConvCase(r, index);
  const attrs = conv.attrs as Record<string, unknown>;
  const inputs = conv.inputs as Record<string, unknown>;
  const x = decodeTensor(inputs.x, 'x');
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const nhwc = new Array<number>(x.data.length);
  for (let b = 0; b < n; b++) for (let ch = 0; ch < c; ch++) for (let p = 0; p < h * w; p++) nhwc[(b * h * w + p) * c + ch] = x.data[(b * c + ch) * h * w + p] as number;
  const dtype = x.dtype as 'quint8' | 'qint8';
  const scales = [...decodeTensor(inputs.weight_scales, 'weight_scales').data].map(Math.fround);
  const zw = r.bool(0.5) ? 0 : (decodeTensor(inputs.weight_zero_points, 'weight_zero_points').data[0] as number);
  const perChannel = attrs.weight_quantization === 'per_channel';
  const one = () => (r.bool(0.2) ? [1] : []);
  const [ph, pw] = attrs.padding as [number, number];
  const end = (p: number) => (r.bool(0.35) ? Math.max(0, p + r.int(-1, 2)) : p);
  const out: Record<string, unknown> = {
    x: wireInt(dtype, [n, h, w, c], nhwc),
    x_scale: wireF32(one(), [Math.fround(hexToF64(attrs.x_scale))]),
    x_zero_point: wireInt(dtype, [], [attrs.x_zero_point as number]),
    w: inputs.weight,
    w_scale: perChannel ? wireF32([scales.length], scales) : wireF32(one(), [scales[0]!]),
    w_zero_point: perChannel && r.bool(0.5) ? wireInt('qint8', [scales.length], new Array<number>(scales.length).fill(zw)) : wireInt('qint8', one(), [zw]),
    y_scale: wireF32(one(), [Math.fround(hexToF64(attrs.y_scale))]),
    y_zero_point: wireInt(dtype, [], [attrs.y_zero_point as number]),
  };
  if (inputs.bias !== undefined) out.bias = inputs.bias;
  const newAttrs = { strides: attrs.stride, pads: [ph, pw, end(ph), end(pw)], dilations: attrs.dilation, group: attrs.groups, accumulator: 'int32_wrap' };
  return { op: 'qlinear_conv_nhwc@1', attrs: newAttrs, inputs: out };
};
