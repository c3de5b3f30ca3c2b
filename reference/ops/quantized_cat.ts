/**
 * quantized_cat@1, exact reference: torch 1.13.1 quantized::cat / cat_relu (quantized_cat_impl,
 * aten/src/ATen/native/quantized/cpu/TensorShape.cpp; its NHWC fast path qcat_nhwc_kernel,
 * kernels/QuantizedOpKernels.cpp). Which path and form each element takes: contract/quantized_cat.ts and
 * contract/quantized_cat_checks.ts. Float steps are float32 (the reciprocal of the vector form a float64 division
 * rounded to float32), each rounded once on rationals (reference/exact); the integer steps are bigint.
 */
import { DTYPE_RANGE } from '../../contract/dtypes.js';
import type { QuantizedCatAttrs, QuantizedCatInput } from '../../contract/quantized_cat.js';
import { type CatInputForm, checkQuantizedCat } from '../../contract/quantized_cat_checks.js';
import { type IntTensor, intTensor } from '../../contract/tensor.js';
import { ZERO_F32 } from '../constants.js';
import { f32OfF64Reciprocal } from '../exact/float_arith.js';
import { fromFloat64 } from '../exact/ieee_bits.js';
import { VECTOR_KERNEL, ieeeMax, stdMax } from '../exact/ieee_compare.js';
import { type VectorDequantizeParams, vectorDequantize, vectorDequantizeParams, vectorQuantize } from './aten_vectorized_quantized.js';
import { dequantizeVal } from './dequantize.js';
import { type QuantizeValParams, prepareQuantizeVal, quantizeVal } from './quantize_val.js';

/** The output's constants: quantize_val's, and the vector form's f32(1.0 / scale) (a double reciprocal). */
interface CatOutput {
  readonly scalar: QuantizeValParams;
  readonly vectorInverse: ReturnType<typeof f32OfF64Reciprocal>;
  readonly lo: bigint;
  readonly hi: bigint;
}

/** One element q of an input (channel `channel` along dim 1 on the fast path) requantized as its form says. */
function requantized(q: bigint, channel: number, form: CatInputForm, p: VectorDequantizeParams, out: CatOutput, relu: boolean): bigint {
  if (form.kind === 'copied') return q;
  const d = dequantizeVal(q, p.scale, p.zeroPoint);
  if (form.kind === 'generic') {
    // quantize_per_tensor of the dequantized values, then cat_relu's max(q, zero_point) on the quantized value
    const y = quantizeVal(d, out.scalar);
    return relu && y < out.scalar.zeroPoint ? out.scalar.zeroPoint : y;
  }
  if (channel < form.vectorChannels) {
    const v = vectorDequantize(q, p);
    return vectorQuantize(relu ? ieeeMax(v, ZERO_F32, VECTOR_KERNEL) : v, out.vectorInverse, out.scalar.zeroPoint, out.lo, out.hi);
  }
  // std::max(0.0f, float_val)
  return quantizeVal(relu ? stdMax(ZERO_F32, d) : d, out.scalar);
}

/**
 * quantized::cat(inputs, dim, scale, zero_point) and cat_relu: the inputs concatenated along dim, every element
 * requantized to (scale, zero_point) by its input's form (copied; the NHWC kernel's vector or scalar form by channel;
 * the generic path's dequantize_val then quantize_val).
 */
export function quantizedCat(inputs: readonly QuantizedCatInput[], attrs: QuantizedCatAttrs): IntTensor {
  const g = checkQuantizedCat(inputs, attrs);
  const { min, max } = DTYPE_RANGE[g.dtype];
  const out: CatOutput = {
    scalar: prepareQuantizeVal(fromFloat64(attrs.scale), BigInt(attrs.zeroPoint), g.dtype),
    vectorInverse: f32OfF64Reciprocal(fromFloat64(attrs.scale)),
    lo: BigInt(min),
    hi: BigInt(max),
  };
  const params = inputs.map((t) => vectorDequantizeParams(t.scale, t.zeroPoint));
  const y = new Int32Array(g.outer * g.extents.reduce((s, e) => s + e, 0) * g.inner);
  let at = 0;
  for (let o = 0; o < g.outer; o++) {
    inputs.forEach((t, k) => {
      const slab = g.extents[k]! * g.inner;
      for (let j = 0; j < slab; j++) {
        // on the fast path dim is 1 and o the batch index: the channel is j / inner
        const channel = Math.floor(j / g.inner);
        y[at++] = Number(requantized(BigInt(t.x.data[o * slab + j] as number), channel, g.forms[k]!, params[k]!, out, attrs.relu));
      }
    });
  }
  return intTensor(g.dtype, g.outShape, y);
}
