/**
 * The fake-quant (float-simulated) layer beside the converted one, as torch's prepared/QAT model computes it:
 * the float conv of the dequantized input and the dequantized (convert-time clamped) weights plus the float
 * bias, ReLU, then fake_quantize_per_tensor_affine@1 with the observer's quant_min/quant_max. The conv sum is
 * taken in float64 and rounded to float32 once (torch's float conv sums in float32 in a kernel-dependent order:
 * a value within an ulp of a rounding tie may go either way there; those are reported as `float rounding`).
 * Dequantization (dequantize_per_tensor@1 / _per_channel@1) and fake quantization are the impl's ops.
 * The observers of the same values (MinMaxObserver and HistogramObserver, impl) show which range each picks.
 */
import { onnxConvOutputSize, torchConvOutputSize } from '../../contract/conv.js';
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { HistogramObserverV1Attrs, QparamsConfig } from '../../contract/ops.js';
import { type F32Tensor, type IntTensor, f32Tensor, f64Tensor, intTensor } from '../../contract/tensor.js';
import { impl } from '../../impl/index.js';
import { type ConvLayer, ModelReadError } from './model_types.js';

export interface QuantRange {
  readonly quantMin: number;
  readonly quantMax: number;
  /** 'observer' (the prepared model's) or 'dtype' (no observers given) */
  readonly from: 'observer' | 'dtype';
}

export function layerQuantRange(layer: ConvLayer): QuantRange {
  const o = layer.activationObserver;
  if (o) return { quantMin: o.quantMin, quantMax: o.quantMax, from: 'observer' };
  const r = DTYPE_RANGE[layer.y.dtype];
  return { quantMin: r.min, quantMax: r.max, from: 'dtype' };
}

export function dequantizeActivation(x: IntTensor, scale: number, zeroPoint: number): F32Tensor {
  return impl.dequantizePerTensor(x, { scale, zeroPoint });
}

/**
 * The layer's x integers dequantized (dequantize_per_tensor@1, float32) for the fake-quant view; an x scale near
 * float32's end (3e38) overflows them to +-inf, which the float conv turns into NaN, and torch's MinMaxObserver asserts
 * min_val <= max_val on it. A limit of the fake-quant view, not of the converted layer (ONNX Runtime 1.30 runs its
 * integers): refused as a ModelReadError naming the layer, the x scale and the first such integer. Before, the
 * observers' nan_observed named neither.
 */
export function dequantizedLayerX(layer: ConvLayer, xq: IntTensor): F32Tensor {
  const xf = dequantizeActivation(xq, layer.x.scale, layer.x.zeroPoint);
  const i = xf.data.findIndex((v) => !Number.isFinite(v));
  if (i >= 0) throw new ModelReadError(layer.name, `the fake-quant model dequantizes its x integer ${xq.data[i]} (x_scale ${layer.x.scale}, zero point ${layer.x.zeroPoint}) to ${xf.data[i]}: float32 overflows; explain compares the converted layer with the fake-quant model's observers and fake quantization, which take no such value`);
  return xf;
}

function dequantizedWeight(layer: ConvLayer): Float32Array {
  const w = intTensor('qint8', layer.weightShape, layer.weight);
  const k = layer.weightScales.length;
  if (layer.weightQuantization === 'per_channel') {
    return impl.dequantizePerChannel(w, f64Tensor([k], layer.weightScales), intTensor('int32', [k], layer.weightZeroPoints), { axis: 0 }).data;
  }
  return impl.dequantizePerTensor(w, { scale: layer.weightScales[0]!, zeroPoint: layer.weightZeroPoints[0]! }).data;
}

/**
 * The float conv's output size along spatial axis `d` (0: height, 1: width) for an input of `input` positions, as the
 * layer's framework sizes its float conv, by contract/conv.ts's size functions:
 *   - torch (torch.nn.functional.conv2d, aten/src/ATen/native/Convolution.cpp): torchConvOutputSize; a kernel longer
 *     than the padded input is refused ("Kernel size can't be greater than actual input size", check_shape_forward);
 *   - ONNX Runtime's float Conv (onnxruntime/core/providers/cpu/nn/conv.cc, conv_attributes.h InferOutputShape):
 *     onnxConvOutputSize (explain's ONNX convs have symmetric pads), a size <= 0 refused ("Invalid input shape").
 * Measured with torch 1.13 and onnxruntime-node 1.30 (tests/explain/float_conv_size.test.ts). A refusal is a
 * ModelReadError naming the layer.
 */
function floatConvOutputSize(layer: ConvLayer, d: 0 | 1, input: number, kernel: number): number {
  const [s, p, dil] = [layer.stride[d], layer.padding[d], layer.dilation[d]];
  const axis = d === 0 ? 'height' : 'width';
  if (layer.framework === 'torch') {
    if (input + 2 * p < dil * (kernel - 1) + 1) {
      throw new ModelReadError(layer.name, `the float conv: ${axis} ${input} padded by ${p} on each side is shorter than the dilated kernel (${dil * (kernel - 1) + 1}); torch's conv2d refuses it ("Kernel size can't be greater than actual input size")`);
    }
    return torchConvOutputSize(input, kernel, s, p, dil);
  }
  const size = onnxConvOutputSize(input, kernel, s, p, p, dil);
  if (size < 1) throw new ModelReadError(layer.name, `the float conv: output ${axis} ${size} (input ${input}, kernel ${kernel}, stride ${s}, pads ${p}, dilation ${dil}); ONNX Runtime 1.30's Conv refuses it ("Invalid input shape")`);
  return size;
}

/** The float conv output (after bias and ReLU), float32, before fake quantization, sized as the layer's framework sizes it. */
export function floatConv(layer: ConvLayer, x: F32Tensor): F32Tensor {
  const [n, c, h, w] = x.shape as [number, number, number, number];
  const [oc, icg, kh, kw] = layer.weightShape as [number, number, number, number];
  const oh = floatConvOutputSize(layer, 0, h, kh);
  const ow = floatConvOutputSize(layer, 1, w, kw);
  const wf = dequantizedWeight(layer);
  const ocg = oc / layer.groups;
  const bias = layer.bias === null ? null : layer.bias.kind === 'float32' ? layer.bias.values : layer.bias.values.map((v, o) => Math.fround(v * layer.x.scale * layer.weightScales[layer.weightQuantization === 'per_channel' ? o : 0]!));
  const out = new Float32Array(n * oc * oh * ow);
  let i = 0;
  for (let b = 0; b < n; b++) {
    for (let o = 0; o < oc; o++) {
      const group = Math.floor(o / ocg);
      for (let y = 0; y < oh; y++) {
        for (let xx = 0; xx < ow; xx++) {
          let s = bias ? bias[o]! : 0;
          for (let ci = 0; ci < icg; ci++) {
            const ic = group * icg + ci;
            for (let ky = 0; ky < kh; ky++) {
              const iy = y * layer.stride[0] - layer.padding[0] + ky * layer.dilation[0];
              if (iy < 0 || iy >= h) continue;
              for (let kx = 0; kx < kw; kx++) {
                const ix = xx * layer.stride[1] - layer.padding[1] + kx * layer.dilation[1];
                if (ix < 0 || ix >= w) continue;
                s += x.data[((b * c + ic) * h + iy) * w + ix]! * wf[((o * icg + ci) * kh + ky) * kw + kx]!;
              }
            }
          }
          const v = Math.fround(s);
          out[i++] = layer.relu ? Math.max(v, 0) : v;
        }
      }
    }
  }
  checkFinite(layer, x, wf, out, [oc, oh, ow]);
  return f32Tensor([n, oc, oh, ow], out);
}

/**
 * The float conv overflows float32 when a scale is near its end (a dequantized weight q w_scale beyond FLT_MAX is
 * +-inf, and 0 times it NaN; or a sum beyond FLT_MAX): the fake-quant model's outputs are then not numbers that its
 * observers (torch's MinMaxObserver asserts min_val <= max_val, NaN fails it) or fake quantization can take. A real
 * limit of the fake-quant view, not of the converted layer (ORT runs its integers): refused as a ModelReadError naming
 * the layer, the scales and the first such output, instead of the observers' nan_observed naming neither.
 */
function checkFinite(layer: ConvLayer, x: F32Tensor, wf: Float32Array, out: Float32Array, [oc, oh, ow]: readonly number[]): void {
  const i = out.findIndex((v) => !Number.isFinite(v));
  // a non-finite input (the fake-quant chain's own max pool over padding only gives -inf) is the chain's value, not an overflow here
  if (i < 0 || !x.data.every(Number.isFinite)) return;
  const [b, o, oy, ox] = [Math.floor(i / (oc! * oh! * ow!)), Math.floor(i / (oh! * ow!)) % oc!, Math.floor(i / ow!) % oh!, i % ow!];
  const k = wf.findIndex((v) => !Number.isFinite(v));
  const scales = layer.weightScales.length === 1 ? `w_scale ${layer.weightScales[0]}` : `w_scale[${o}] ${layer.weightScales[o]}`;
  const cause = k >= 0
    ? `its dequantized weight ${layer.weight[k]} x w_scale ${layer.weightScales[layer.weightQuantization === 'per_channel' ? Math.floor(k / (wf.length / layer.weightScales.length)) : 0]} overflows float32 to ${wf[k]}`
    : 'its sum overflows float32';
  throw new ModelReadError(layer.name, `the fake-quant model's float conv gives ${out[i]} at output (${b}, ${o}, ${oy}, ${ox}) (x_scale ${layer.x.scale}, ${scales}): ${cause}; explain compares the converted layer with the fake-quant model's observers and fake quantization, which take no such value`);
}

/** fake_quantize_per_tensor_affine@1 of the float output, as the integer each element sits on. */
export function fakeQuantIntegers(layer: ConvLayer, v: F32Tensor, range: QuantRange): Int32Array {
  const fq = impl.fakeQuantizePerTensorAffine(v, { scale: layer.y.scale, zeroPoint: layer.y.zeroPoint, quantMin: range.quantMin, quantMax: range.quantMax });
  return Int32Array.from(fq.data, (f) => Math.round(f / Math.fround(layer.y.scale)) + layer.y.zeroPoint);
}

export interface ObserverPick {
  readonly observer: 'MinMaxObserver' | 'HistogramObserver';
  readonly scale: number;
  readonly zeroPoint: number;
  /** the float range the qparams cover: [(quant_min - zp) s, (quant_max - zp) s] */
  readonly clip: readonly [number, number];
  readonly minVal: number;
  readonly maxVal: number;
}

function observerConfig(layer: ConvLayer, range: QuantRange): QparamsConfig {
  return { dtype: layer.y.dtype, qscheme: 'per_tensor_affine', reduceRange: false, quantMin: range.quantMin, quantMax: range.quantMax, eps: 2 ** -23 };
}

/** MinMaxObserver and HistogramObserver (torch 1.13, impl) on the layer's float outputs, with the range each picks. */
export function observersOn(layer: ConvLayer, v: F32Tensor, range: QuantRange): ObserverPick[] {
  const cfg = observerConfig(layer, range);
  const clip = (s: number, z: number): [number, number] => [(range.quantMin - z) * s, (range.quantMax - z) * s];
  const mm = impl.minMaxObserver([v], cfg);
  const hAttrs: HistogramObserverV1Attrs = { ...cfg, bins: 2048, sumLaneWidth: 8, upsampleRate: 128 };
  const h = impl.histogramObserver([v], hAttrs);
  return [
    { observer: 'MinMaxObserver', scale: mm.scale.data[0]!, zeroPoint: mm.zeroPoint.data[0]!, clip: clip(mm.scale.data[0]!, mm.zeroPoint.data[0]!), minVal: mm.minVal.data[0]!, maxVal: mm.maxVal.data[0]! },
    { observer: 'HistogramObserver', scale: h.scale.data[0]!, zeroPoint: h.zeroPoint.data[0]!, clip: clip(h.scale.data[0]!, h.zeroPoint.data[0]!), minVal: h.minVal.data[0]!, maxVal: h.maxVal.data[0]! },
  ];
}
