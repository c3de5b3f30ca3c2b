/**
 * quantized_hardswish@1 and quantized_hardsigmoid@1, fast twins of reference/ops/quantized_hard_activations.ts (torch
 * 1.13.1 qhardswish_kernel, qhardsigmoid_kernel): the same float32 steps on doubles rounded to float32, the vector form
 * where contract/aten_vectorized_loop.ts's mask says so.
 */
import { DTYPE_RANGE } from '../contract/dtypes.js';
import { hardsigmoidOutputQparams, type QuantizedHardsigmoidAttrs, type QuantizedHardswishAttrs } from '../contract/quantized_hard_activations.js';
import { type HardActivationGeometry, checkQuantizedHardsigmoid, checkQuantizedHardswish } from '../contract/quantized_hard_activations_checks.js';
import { type IntTensor, intTensor } from '../contract/tensor.js';
import { vectorQuantize } from './aten_vectorized_quantized.js';
import { f32Add, f32Div, f32Fma, f32Mul, f32OfF64Reciprocal } from './float32.js';
import { inverseScale, quantizeValue } from './quantize.js';

/**
 * min(max(f32(d + 3), 0), 6). Both forms' min and max give a NaN for a NaN d (vec::maximum's all-ones NaN, std::max's
 * first operand) and differ only in which NaN, which no later step reads: one function serves both.
 */
function shiftedRelu6(d: number): number {
  return Math.min(Math.max(f32Add(d, 3), 0), 6);
}

/** Both kernels' loop: dequantize in the element's form, fn, quantize in that form (vector: the double reciprocal). */
function quantizedUnary(x: IntTensor, g: HardActivationGeometry, xScale: number, xZeroPoint: number, scale: number, zeroPoint: number, fn: (d: number) => number): IntTensor {
  const s = Math.fround(xScale);
  const z = xZeroPoint;
  // the vector form's f32(s * -f32(z)); the zero point is a dtype value, exact in float32
  const premul = f32Mul(s, -z);
  const scalarInverse = inverseScale(Math.fround(scale));
  const vectorInverse = f32OfF64Reciprocal(scale);
  const { min, max } = DTYPE_RANGE[g.dtype];
  const y = new Int32Array(x.data.length);
  for (let i = 0; i < y.length; i++) {
    const q = x.data[i] as number;
    y[i] = g.vectorForm[i] === 1 ? vectorQuantize(fn(f32Fma(s, q, premul)), vectorInverse, zeroPoint, min, max) : quantizeValue(fn(f32Mul(s, q - z)), scalarInverse, zeroPoint, min, max);
  }
  return intTensor(g.dtype, x.shape, y);
}

export function quantizedHardswish(x: IntTensor, attrs: QuantizedHardswishAttrs): IntTensor {
  const g = checkQuantizedHardswish(x, attrs);
  return quantizedUnary(x, g, attrs.xScale, attrs.xZeroPoint, attrs.scale, attrs.zeroPoint, (d) => f32Div(f32Mul(d, shiftedRelu6(d)), 6));
}

export function quantizedHardsigmoid(x: IntTensor, attrs: QuantizedHardsigmoidAttrs): IntTensor {
  const g = checkQuantizedHardsigmoid(x, attrs);
  const out = hardsigmoidOutputQparams(g.dtype);
  return quantizedUnary(x, g, attrs.xScale, attrs.xZeroPoint, out.scale, out.zeroPoint, (d) => f32Div(shiftedRelu6(d), 6));
}
