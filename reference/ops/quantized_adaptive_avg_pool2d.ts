/**
 * quantized_adaptive_avg_pool2d@1, exact reference: torch 1.13.1's adaptive_avg_pool2d on a quantized tensor
 * (adaptive_avg_pool2d_quantized_cpu, aten/src/ATen/native/quantized/cpu/AdaptiveAveragePooling.cpp), its NHWC kernel
 * (_qadaptive_avg_pool_kernel, kernels/QuantizedOpKernels.cpp) and its NCHW one (adaptive_avg_pool_single_out_frame);
 * the formulas and which kernel runs: contract/quantized_adaptive_avg_pool2d.ts. Every float step is one float32
 * operation rounded once on rationals (reference/exact); sums and the zero point's product are bigint.
 */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { QuantizedAdaptiveAvgPool2dAttrs } from '../../contract/quantized_adaptive_avg_pool2d.js';
import { checkQuantizedAdaptiveAvgPool2d } from '../../contract/quantized_adaptive_avg_pool2d_checks.js';
import { pooledOutputIndex } from '../../contract/torch_pool_layout.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { ONE_F32 } from '../constants.js';
import { f32Div, f32Mul, intToF32, toF32 } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { exactValue, type IeeeValue } from '../exact/ieee_value.js';
import { roundRational } from '../exact/rounding.js';
import { nearbyint, truncToInt64 } from '../exact/x86_conversions.js';
import { prepareQuantizeVal, quantizeVal } from './quantize_val.js';

/**
 * start_index and end_index: [floor(f32(o * inLen) / f32(outLen)), ceil(f32((o + 1) * inLen) / f32(outLen))), the
 * integer products converted to float32 and divided in float32, then floored and ceiled (exact on the float quotient).
 */
export function adaptiveWindow(o: number, outLen: number, inLen: number): readonly [number, number] {
  const quotient = (k: number) => exactValue(f32Div(intToF32(BigInt(k * inLen)), intToF32(BigInt(outLen))));
  return [Number(roundRational(quotient(o), 'floor')), Number(roundRational(quotient(o + 1), 'ceil'))];
}

/** The NHWC kernel's quantize_val parameters for a window of `size` elements: m = f32(f32(s / s) / size), scale f32(1 / m). */
function nhwcQuantizeParams(scale: IeeeValue, size: number, zeroPoint: bigint, dtype: 'quint8' | 'qint8') {
  const multiplier = f32Div(f32Div(scale, scale), intToF32(BigInt(size)));
  return prepareQuantizeVal(f32Div(ONE_F32, multiplier), zeroPoint, dtype);
}

/** The NCHW kernel's float32 reciprocal of the window size: kDHWr = f32(f32(f32(1.0 / kD) / kH) / kW) with kD = 1. */
function nchwReciprocal(kh: number, kw: number): IeeeValue {
  return f32Div(f32Div(ONE_F32, intToF32(BigInt(kh))), intToF32(BigInt(kw)));
}

/**
 * adaptive_avg_pool2d(x, output_size) on a quantized x: per output, the sum of its window's stored values, then the
 * NHWC kernel's quantize_val of sum - z * n, or the NCHW kernel's nearbyint(f32(f32(sum) * kDHWr)).
 */
export function quantizedAdaptiveAvgPool2d(x: IntTensor, attrs: QuantizedAdaptiveAvgPool2dAttrs): IntTensor {
  const g = checkQuantizedAdaptiveAvgPool2d(x, attrs);
  const scale = toF32(fromFloat64(attrs.scale));
  const zeroPoint = BigInt(attrs.zeroPoint);
  const { min, max } = DTYPE_RANGE[g.dtype];
  const rows = Array.from({ length: g.oh }, (_, o) => adaptiveWindow(o, g.oh, g.h));
  const cols = Array.from({ length: g.ow }, (_, o) => adaptiveWindow(o, g.ow, g.w));
  const y = new Int32Array(g.n * g.c * g.oh * g.ow);
  for (let plane = 0; plane < g.n * g.c; plane++) {
    for (let oy = 0; oy < g.oh; oy++) {
      const [h0, h1] = rows[oy]!;
      for (let ox = 0; ox < g.ow; ox++) {
        const [w0, w1] = cols[ox]!;
        let sum = 0n;
        for (let iy = h0; iy < h1; iy++) for (let ix = w0; ix < w1; ix++) sum += BigInt(x.data[(plane * g.h + iy) * g.w + ix] as number);
        const size = (h1 - h0) * (w1 - w0);
        let q: bigint;
        if (g.kernel === 'nhwc') {
          q = quantizeVal(intToF32(sum - zeroPoint * BigInt(size)), nhwcQuantizeParams(scale, size, zeroPoint, g.dtype));
        } else {
          q = truncToInt64(nearbyint(f32Mul(intToF32(sum), nchwReciprocal(h1 - h0, w1 - w0))));
          // static_cast<underlying>(...) without a clamp: the rounded mean of dtype values lies in the dtype
          if (q < BigInt(min) || q > BigInt(max)) throw new Error(`quantized_adaptive_avg_pool2d: NCHW mean ${q} outside ${g.dtype}`);
        }
        y[pooledOutputIndex(g, plane, oy, ox)] = Number(q);
      }
    }
  }
  return intTensor(g.dtype, g.outShape, y);
}
