/**
 * A model's conv layer as a quantized_conv2d@1 request under one (scheme, accumulator): the stored weights and
 * qparams as they are, the bias in the kind the scheme takes. A float32 bias meets an int32-bias scheme
 * quantized as torch does it (QuantizeBias: quantize_val(b, s_x s_w, 0, qint32) = quantize_per_tensor@1 per
 * channel); an int32 bias meets a float-bias scheme dequantized (dequantize_per_tensor@1 at s_x s_w). That
 * conversion is itself one of the steps that can make two backends differ ("bias rounding").
 */
import type { Accumulator, Conv2dArgs, RequantScheme } from '../../contract/conv.js';
import { SCHEME_RULES } from '../../contract/conv_schemes.js';
import { type F32Tensor, type IntTensor, f32Tensor, f64Tensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import type { ConvLayer } from './model_types.js';

function channelScale(layer: ConvLayer, oc: number): number {
  return layer.x.scale * (layer.weightScales[layer.weightQuantization === 'per_channel' ? oc : 0] ?? 0);
}

/** The layer's bias in the kind `scheme` takes (null when it has none). */
export function biasFor(layer: ConvLayer, scheme: RequantScheme): F32Tensor | IntTensor | null {
  const b = layer.bias;
  if (!b) return null;
  const takes = SCHEME_RULES[scheme].bias;
  const oc = b.values.length;
  if (takes.includes(b.kind)) return b.kind === 'float32' ? f32Tensor([oc], b.values) : intTensor('int32', [oc], b.values);
  if (b.kind === 'float32') {
    const q = b.values.map((v, c) => impl.quantizePerTensor(f32Tensor([1], [v]), { scale: channelScale(layer, c), zeroPoint: 0, dtype: 'qint32' }).data[0]!);
    return intTensor('int32', [oc], q);
  }
  const f = b.values.map((v, c) => impl.dequantizePerTensor(intTensor('qint32', [1], [v]), { scale: channelScale(layer, c), zeroPoint: 0 }).data[0]!);
  return f32Tensor([oc], f);
}

export function convArgsFor(layer: ConvLayer, x: IntTensor, scheme: RequantScheme, accumulator: Accumulator): Conv2dArgs {
  const k = layer.weightScales.length;
  return {
    x,
    xScale: layer.x.scale,
    xZeroPoint: layer.x.zeroPoint,
    weight: intTensor('qint8', layer.weightShape, layer.weight),
    weightQuantization: layer.weightQuantization,
    weightScales: f64Tensor([k], layer.weightScales),
    weightZeroPoints: intTensor('int32', [k], layer.weightZeroPoints),
    bias: biasFor(layer, scheme),
    stride: layer.stride,
    padding: layer.padding,
    dilation: layer.dilation,
    groups: layer.groups,
    relu: layer.relu,
    yScale: layer.y.scale,
    yZeroPoint: layer.y.zeroPoint,
    scheme,
    accumulator,
  };
}
